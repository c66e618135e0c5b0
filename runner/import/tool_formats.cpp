// SPDX-License-Identifier: MIT
#include "runner/import/tool_formats.hpp"

#include "runner/base/errors.hpp"

namespace runner {

const char* tool_formats() { return "alembic, golang-migrate, dbmate, goose, sql-migrate, flyway, plain"; }

ImportedSet read_tool_folder(const std::string& format, const std::filesystem::path&, const Dialect&) {
  for (const char* planned : {"golang-migrate", "dbmate", "goose", "sql-migrate", "flyway", "plain"})
    if (format == planned)
      throw UsageError("import " + format +
                       ": not read yet; runner import reads alembic so far (runner adopt already reads " + format +
                       "'s history table, once the files carry -- runner:imported-from lines)");
  throw UsageError("unknown import format '" + format + "' (known: " + tool_formats() + ")");
}

}  // namespace runner
