// SPDX-License-Identifier: MIT
#include "runner/import/tool_formats.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/engine/step_source.hpp"
#include "runner/import/paired_formats.hpp"
#include "runner/import/sectioned_formats.hpp"

#include <fmt/format.h>

#include <algorithm>
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

// Flyway's built-in placeholders: ${flyway:defaultSchema} is runner's ${runner.schema}; the others
// (user, database, timestamp, filename, ...) have no runner value and are refused where they stand.
void map_flyway_builtins(std::string& text, const std::string& file, std::uint32_t start) {
  const std::string prefix = "${flyway:";
  for (std::size_t at = 0; (at = text.find(prefix, at)) != std::string::npos;) {
    const std::size_t close = text.find('}', at);
    const std::string name =
        text.substr(at + prefix.size(), close == std::string::npos ? 0 : close - at - prefix.size());
    if (name == "defaultSchema") {
      const std::string with = std::string("${") + k_schema_placeholder + "}";
      text.replace(at, close + 1 - at, with);
      at += with.size();
      continue;
    }
    const auto line = static_cast<std::uint32_t>(
        start + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    throw SourceError(file, line,
                      fmt::format("Flyway's built-in placeholder ${{flyway:{}}} has no runner value: write the value "
                                  "into the file, or use a placeholder of your own (${{name}}, given with --set); "
                                  "only ${{flyway:defaultSchema}} maps (to ${{{}}})",
                                  name, k_schema_placeholder));
  }
}

// Placeholders the tool substitutes: River's schema template, and Flyway's ${name} (which Flyway
// replaces in every file).
void map_placeholders(ImportedSet& set) {
  std::size_t river = 0, flyway = 0;
  for (auto& m : set.migrations) {
    if (set.format == "flyway") {
      map_flyway_builtins(m.up, m.source_file, m.up_line);
      if (m.down) map_flyway_builtins(*m.down, m.down_source_file, m.down_line);
    }
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

// The portable set is PostgreSQL's DDL; a folder written for another database is that
// database's own SQL, and runs there exactly as written.
void mark_as_written(ImportedSet& set, const Dialect& dialect) {
  if (dialect.name() == "postgresql") return;
  for (auto& m : set.migrations) m.as_written = true;
}

// A file whose statements cannot run inside runner's transaction (PRAGMA foreign_keys, VACUUM,
// CREATE INDEX CONCURRENTLY, its own BEGIN/COMMIT around part of it) runs without one, as its tool
// ran it, said in the report.
void mark_no_transaction(ImportedSet& set, const Dialect& dialect) {
  std::vector<std::string> marked;
  for (auto& m : set.migrations) {
    const auto check = [&](const std::string& text, bool* no_transaction, const std::string& file,
                           std::uint32_t start) {
      if (*no_transaction) return;
      // The section's lines, blanked before it, so that the lines are the file's.
      const std::string at_its_lines = std::string(start > 0 ? start - 1 : 0, '\n') + text;
      const auto statements = dialect.split(at_its_lines, file, m.as_written);
      if (const SplitStatement* st = first_outside_transaction(statements)) {
        *no_transaction = true;
        marked.push_back(fmt::format("{}:{}: {}", file, st->line, first_line(st->sql)));
      }
    };
    check(m.up, &m.no_transaction, m.source_file, m.up_line);
    if (m.down) check(*m.down, &m.down_no_transaction, m.down_source_file, m.down_line);
  }
  if (marked.empty()) return;
  std::string report = fmt::format(
      "{} files cannot run inside runner's transaction and say -- runner:no-transaction (each statement "
      "commits on its own, as the tool ran it):",
      marked.size());
  for (const auto& m : marked) report += "\n    " + m;
  set.report.push_back(report);
}

}  // namespace

ImportedSet read_tool_folder(const std::string& format, const std::filesystem::path& dir, const Dialect& dialect) {
  ImportedSet set = read_format(format, dir, dialect);
  mark_as_written(set, dialect);
  map_placeholders(set);
  mark_no_transaction(set, dialect);
  return set;
}

}  // namespace runner
