// SPDX-License-Identifier: MIT
#include "runner/engine/schema_dump.hpp"

#include "runner/base/errors.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/schema_reader.hpp"
#include "runner/schema/dump_writer.hpp"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

namespace runner {

std::string dump_database(const Dialect& dialect, const DatabaseInfo& target, std::chrono::seconds lock_timeout,
                          const std::vector<std::string>& schemas) {
  Database db(dialect, target, AccessMode::read, lock_timeout);
  if (!db.connected()) throw UsageError(fmt::format("{}: no such database (the file does not exist)", target.display));
  std::vector<Schema> read;
  for (const auto& name : schemas.empty() ? std::vector<std::string>{db.info().schema} : schemas) {
    read.push_back(read_schema(dialect, db.connection(), name));
    if (!read.back().exists) throw UsageError(fmt::format("{}: schema \"{}\" does not exist", target.display, name));
    if (!schemas.empty() && read.back().name.empty())
      throw UsageError(fmt::format("--schema: a {} database has no schemas to choose from", dialect.name()));
  }
  return write_dump(read, dialect.name());
}

void check_dump_target(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (file.has_parent_path() && !fs::is_directory(file.parent_path(), ec))
    throw UsageError(fmt::format("cannot write the schema to {}: the folder {} does not exist", file.string(),
                                 file.parent_path().string()));
  if (fs::is_directory(file, ec))
    throw UsageError(fmt::format("cannot write the schema to {}: it is a folder", file.string()));
}

void write_dump_file(const std::string& text, const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  check_dump_target(file);
  const fs::path temp = file.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      fs::remove(temp, ec);
      throw OutputError(fmt::format("cannot write {}", temp.string()));
    }
  }
  fs::rename(temp, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw OutputError(fmt::format("cannot replace {}: {}", file.string(), ec.message()));
  }
}

}  // namespace runner
