// SPDX-License-Identifier: MIT
#include "runner/import/tool_formats.hpp"

#include "runner/base/errors.hpp"
#include "runner/import/paired_formats.hpp"
#include "runner/import/sectioned_formats.hpp"

namespace runner {

const char* tool_formats() { return "alembic, golang-migrate, dbmate, goose, sql-migrate, flyway, plain"; }

ImportedSet read_tool_folder(const std::string& format, const std::filesystem::path& dir, const Dialect& dialect) {
  if (format == "golang-migrate") return read_golang_migrate(dir);
  if (format == "flyway") return read_flyway(dir);
  if (format == "plain") return read_plain(dir);
  if (format == "dbmate") return read_dbmate(dir, dialect);
  if (format == "goose") return read_goose(dir, dialect);
  if (format == "sql-migrate") return read_sql_migrate(dir, dialect);
  throw UsageError("unknown import format '" + format + "' (known: " + tool_formats() + ")");
}

}  // namespace runner
