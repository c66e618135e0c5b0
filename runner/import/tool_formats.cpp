// SPDX-License-Identifier: MIT
#include "runner/import/tool_formats.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/import/paired_formats.hpp"
#include "runner/import/sectioned_formats.hpp"

#include <fmt/format.h>

#include <string_view>

namespace runner {

const char* tool_formats() { return "alembic, golang-migrate, dbmate, goose, sql-migrate, flyway, plain"; }

namespace {

ImportedSet read_format(const std::string& format, const std::filesystem::path& dir, const Dialect& dialect) {
  if (format == "golang-migrate") return read_golang_migrate(dir);
  if (format == "flyway") return read_flyway(dir);
  if (format == "plain") return read_plain(dir);
  if (format == "dbmate") return read_dbmate(dir, dialect);
  if (format == "goose") return read_goose(dir, dialect);
  if (format == "sql-migrate") return read_sql_migrate(dir, dialect);
  throw UsageError("unknown import format '" + format + "' (known: " + tool_formats() + ")");
}

// River's runner replaces this comment with the target schema and a dot ("" for none) before it
// runs a file, inside string literals too; runner's ${runner.schema:qualifier} does the same.
constexpr std::string_view k_river_template = "/* TEMPLATE: schema */";

std::size_t replace_river_template(std::string& text) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(k_river_template, at)) != std::string::npos; ++n) {
    const std::string with = std::string("${") + k_schema_placeholder + ":qualifier}";
    text.replace(at, k_river_template.size(), with);
    at += with.size();
  }
  return n;
}

// Placeholders the tool substitutes: River's schema template, and Flyway's ${name} (which Flyway
// replaces in every file).
void map_placeholders(ImportedSet& set) {
  std::size_t river = 0, flyway = 0;
  for (auto& m : set.migrations) {
    std::size_t n = replace_river_template(m.up);
    if (m.down) n += replace_river_template(*m.down);
    if (n > 0) {
      m.placeholders = true;
      river += n;
    }
    if (set.format == "flyway" &&
        (m.up.find("${") != std::string::npos || (m.down && m.down->find("${") != std::string::npos))) {
      m.placeholders = true;
      ++flyway;
    }
  }
  if (river > 0)
    set.report.push_back(fmt::format(
        "River's {} marker replaced by ${{{}:qualifier}} in {} places (the target schema, quoted, and a dot; "
        "nothing where the run names no schema)",
        k_river_template, k_schema_placeholder, river));
  if (flyway > 0)
    set.report.push_back(fmt::format(
        "{} Flyway migrations use ${{...}} placeholders: they say -- runner:placeholders; give the values with "
        "--set NAME=VALUE, RUNNER_PLACEHOLDER_NAME or [placeholders] in the config",
        flyway));
}

}  // namespace

ImportedSet read_tool_folder(const std::string& format, const std::filesystem::path& dir, const Dialect& dialect) {
  ImportedSet set = read_format(format, dir, dialect);
  map_placeholders(set);
  return set;
}

}  // namespace runner
