// SPDX-License-Identifier: MIT
#include "sqlite_catalog.hpp"

#include "plugins/sdk/dialect_sdk.hpp"
#include "sqlite_expr.hpp"

#include <cstdlib>

namespace runner::sqlite {

std::vector<Catalog::Row> Catalog::rows(const std::string& sql) const {
  std::vector<Row> out;
  sdk::query_rows(db_, sql, [&](uint32_t n, const char* const* values) {
    Row r;
    for (uint32_t i = 0; i < n; ++i)
      r.push_back(values[i] != nullptr ? std::optional<std::string>(values[i]) : std::nullopt);
    out.push_back(std::move(r));
  });
  return out;
}

long long Catalog::count(const std::string& sql) const {
  auto r = rows(sql);
  return r.empty() || r[0].empty() || !r[0][0] ? 0 : std::atoll(r[0][0]->c_str());
}

std::optional<Table> Catalog::table(const std::string& name) const {
  auto r = rows("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name = " + quote_text(name) +
                " COLLATE NOCASE");
  if (r.empty() || !r[0][1]) return std::nullopt;
  const std::string& sql = *r[0][1];
  auto node = parse_statement(sql);
  if (!node || node_type(*node) != "CreateStmt")
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       "table \"" + name + "\" was created in SQLite's own dialect, which the sqlite plugin " +
                           "cannot rebuild; write this migration for SQLite in a .sqlite.sql variant");
  try {
    Table t = table_from_create(node_body(*node), nullptr);
    t.name = *r[0][0];
    t.if_not_exists = false;
    return t;
  } catch (const Untranslatable& e) {
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       "table \"" + name + "\" uses " + e.what() +
                           ", which the sqlite plugin cannot rebuild; write this migration for SQLite in a " +
                           ".sqlite.sql variant");
  }
}

bool Catalog::written_for_sqlite(const std::string& name) const {
  auto r =
      rows("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = " + quote_text(name) + " COLLATE NOCASE");
  if (r.empty() || !r[0][0]) return false;
  auto node = parse_statement(*r[0][0]);
  return !node || node_type(*node) != "CreateStmt";
}

std::vector<Catalog::Dependent> Catalog::dependents(const std::string& table) const {
  std::vector<Dependent> out;
  for (const auto& r : rows("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND "
                            "tbl_name = " +
                            quote_text(table) + " COLLATE NOCASE AND sql IS NOT NULL ORDER BY rowid")) {
    Dependent d;
    d.is_index = *r[0] == "index";
    d.name = r[1].value_or("");
    d.sql = r[2].value_or("");
    if (d.is_index)
      for (const auto& c : rows("SELECT name FROM pragma_index_info(" + quote_text(d.name) + ")"))
        if (c[0]) d.columns.push_back(*c[0]);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> Catalog::table_names() const {
  std::vector<std::string> out;
  for (const auto& r : rows("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                            "ESCAPE '\\' ORDER BY rowid"))
    out.push_back(r[0].value_or(""));
  return out;
}

std::vector<std::string> Catalog::primary_key_of(const std::string& table) const {
  std::vector<std::string> out;
  for (const auto& r : rows("SELECT name FROM pragma_table_info(" + quote_text(table) + ") WHERE pk > 0 ORDER BY pk"))
    out.push_back(r[0].value_or(""));
  return out;
}

bool Catalog::pragma_on(const std::string& name) const { return count("PRAGMA " + name) != 0; }

std::optional<std::vector<EnumEntry>> Catalog::enum_entries(const std::string& type) const {
  if (!has_enum_catalog_)
    has_enum_catalog_ =
        // table_info finds the table through the schema's hash; sqlite_schema would be read in full.
        count(std::string("SELECT count(*) FROM pragma_table_info('") + k_enum_catalog + "')") != 0;
  if (!*has_enum_catalog_) return std::nullopt;
  auto r = rows(std::string("SELECT position, value FROM ") + k_enum_catalog +
                " WHERE type_name = " + quote_text(type) + " ORDER BY position");
  if (r.empty()) return std::nullopt;
  std::vector<EnumEntry> out;
  for (const auto& row : r) out.push_back({std::atof(row[0].value_or("0").c_str()), row[1].value_or("")});
  return out;
}

std::optional<std::vector<std::string>> Catalog::enum_values(const std::string& type) const {
  auto entries = enum_entries(type);
  if (!entries) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& e : *entries) out.push_back(e.value);
  return out;
}

std::vector<EnumUser> Catalog::enum_users(const std::string& type) const {
  std::vector<EnumUser> out;
  const std::string marker = std::string(k_enum_prefix) + type;
  for (const auto& r : rows("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND instr(sql, " +
                            quote_text(quote_name(marker)) + ") > 0 ORDER BY rowid")) {
    auto t = table(r[0].value_or(""));
    if (!t) continue;
    for (const auto& c : t->columns)
      if (c.enum_type == type) out.push_back({t->name, c.name});
  }
  return out;
}

EnumLookup Catalog::enum_lookup() const {
  return [this](const std::string& type) { return enum_values(type); };
}

}  // namespace runner::sqlite
