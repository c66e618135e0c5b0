// SPDX-License-Identifier: MIT
#include "sqlite_enums.hpp"

#include "sqlite_expr.hpp"
#include "sqlite_rebuild.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace runner::sqlite {
namespace {

[[noreturn]] void fail(std::uint32_t line, const std::string& message) {
  throw sdk::Failure(RUNNER_ERR_USAGE, line, message);
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void emit(const sdk::Sink& out, std::uint32_t line, const std::string& sql) { out.statement(sql, line, 0); }

std::string catalog_ddl() {
  return std::string("CREATE TABLE IF NOT EXISTS ") + k_enum_catalog +
         " (\n  type_name TEXT NOT NULL,\n  position REAL NOT NULL,\n  value TEXT NOT NULL,\n"
         "  PRIMARY KEY (type_name, value)\n)";
}

// Rebuilds every table with a column of `type` so that its CHECK lists `values`. renamed: old label
// -> new label, applied to the rows and defaults as they are copied.
void rebuild_users(const Catalog& db, const std::string& type, const std::vector<std::string>& values,
                   const std::map<std::string, std::string>& renamed, const sdk::Sink& out, std::uint32_t line) {
  std::vector<std::string> tables;
  for (const auto& u : db.enum_users(type))
    if (std::find(tables.begin(), tables.end(), u.table) == tables.end()) tables.push_back(u.table);
  for (const auto& name : tables) {
    Rebuild r = rebuild_of(*db.table(name));
    for (auto& col : r.after.columns) {
      if (col.enum_type != type) continue;
      col.enum_values = values;
      for (const auto& [from, to] : renamed) {
        if (col.default_sql == quote_text(from)) col.default_sql = quote_text(to);
        for (auto& p : r.copy)
          if (p.first == col.name)
            p.second = "CASE WHEN " + quote_name(col.name) + " = " + quote_text(from) + " THEN " + quote_text(to) +
                       " ELSE " + quote_name(col.name) + " END";
      }
    }
    emit_rebuild(db, r, out, line);
  }
}

std::vector<EnumEntry> need_type(const Catalog& db, const std::string& type, std::uint32_t line) {
  auto entries = db.enum_entries(type);
  if (!entries) fail(line, "type \"" + type + "\" does not exist");
  return *entries;
}

}  // namespace

void translate_create_enum(const Json& b, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const std::string type = last_name(member(b, "typeName"));
  if (db.enum_entries(type)) fail(line, "type \"" + type + "\" already exists");
  auto labels = string_list(member(b, "vals"));
  for (std::size_t i = 0; i < labels.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (labels[i] == labels[j]) fail(line, "enum label \"" + labels[i] + "\" used more than once");
  if (labels.empty()) fail(line, "an enum type without labels has no SQLite translation");
  emit(out, line, catalog_ddl());
  std::string rows;
  for (std::size_t i = 0; i < labels.size(); ++i)
    rows += std::string(rows.empty() ? "" : ", ") + "(" + quote_text(type) + ", " + std::to_string(i + 1) + ", " +
            quote_text(labels[i]) + ")";
  emit(out, line, std::string("INSERT INTO ") + k_enum_catalog + " (type_name, position, value) VALUES " + rows);
}

void translate_alter_enum(const Json& b, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const std::string type = last_name(member(b, "typeName"));
  std::vector<EnumEntry> entries = need_type(db, type, line);
  auto find = [&](const std::string& v) {
    return std::find_if(entries.begin(), entries.end(), [&](const EnumEntry& e) { return e.value == v; });
  };
  const std::string new_value = b.value("newVal", "");
  if (b.contains("oldVal")) {
    const std::string old_value = b.value("oldVal", "");
    if (find(old_value) == entries.end()) fail(line, "\"" + old_value + "\" is not an existing enum label");
    if (find(new_value) != entries.end()) fail(line, "enum label \"" + new_value + "\" already exists");
    emit(out, line,
         std::string("UPDATE ") + k_enum_catalog + " SET value = " + quote_text(new_value) +
             " WHERE type_name = " + quote_text(type) + " AND value = " + quote_text(old_value));
    std::vector<std::string> values;
    for (const auto& e : entries) values.push_back(e.value == old_value ? new_value : e.value);
    rebuild_users(db, type, values, {{old_value, new_value}}, out, line);
    return;
  }
  if (find(new_value) != entries.end()) {
    if (b.value("skipIfNewValExists", false)) return;
    fail(line, "enum label \"" + new_value + "\" already exists");
  }
  double position = entries.empty() ? 1 : entries.back().position + 1;
  if (b.contains("newValNeighbor")) {
    const std::string neighbor = b.value("newValNeighbor", "");
    auto at = find(neighbor);
    if (at == entries.end()) fail(line, "\"" + neighbor + "\" is not an existing enum label");
    const bool after = b.value("newValIsAfter", false);
    if (after)
      position = std::next(at) == entries.end() ? at->position + 1 : (at->position + std::next(at)->position) / 2;
    else
      position = at == entries.begin() ? at->position - 1 : (std::prev(at)->position + at->position) / 2;
  }
  emit(out, line,
       std::string("INSERT INTO ") + k_enum_catalog + " (type_name, position, value) VALUES (" + quote_text(type) +
           ", " + number(position) + ", " + quote_text(new_value) + ")");
  entries.push_back({position, new_value});
  std::stable_sort(entries.begin(), entries.end(),
                   [](const EnumEntry& a, const EnumEntry& c) { return a.position < c.position; });
  std::vector<std::string> values;
  for (const auto& e : entries) values.push_back(e.value);
  rebuild_users(db, type, values, {}, out, line);
}

void translate_drop_enum_value(const sdk::DropEnumValue& s, const Catalog& db, const sdk::Sink& out,
                               std::uint32_t line) {
  std::vector<EnumEntry> entries = need_type(db, s.type, line);
  if (std::none_of(entries.begin(), entries.end(), [&](const EnumEntry& e) { return e.value == s.value; }))
    fail(line, "\"" + s.value + "\" is not an existing enum label of type \"" + s.type + "\"");
  for (const auto& u : db.enum_users(s.type)) {
    long long n = db.count("SELECT count(*) FROM " + quote_name(u.table) + " WHERE " + quote_name(u.column) + " = " +
                           quote_text(s.value));
    if (n > 0)
      fail(line, "cannot drop value '" + s.value + "' of type \"" + s.type + "\": table \"" + u.table +
                     "\", column \"" + u.column + "\" holds it in " + std::to_string(n) + (n == 1 ? " row" : " rows") +
                     "; update or delete those rows first");
    auto t = db.table(u.table);
    const Column* c = t ? t->column(u.column) : nullptr;
    if (c != nullptr && c->default_sql == quote_text(s.value))
      fail(line, "cannot drop value '" + s.value + "' of type \"" + s.type + "\": it is the default of table \"" +
                     u.table + "\", column \"" + u.column + "\"");
  }
  emit(out, line,
       std::string("DELETE FROM ") + k_enum_catalog + " WHERE type_name = " + quote_text(s.type) +
           " AND value = " + quote_text(s.value));
  std::vector<std::string> values;
  for (const auto& e : entries)
    if (e.value != s.value) values.push_back(e.value);
  rebuild_users(db, s.type, values, {}, out, line);
}

void translate_drop_type(const Json& b, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  std::vector<std::string> dropped;
  for (const auto& obj : member(b, "objects")) {
    const std::string type = last_name(member(node_body(obj), "names"));
    if (!db.enum_entries(type)) {
      if (b.value("missing_ok", false)) continue;
      fail(line, "type \"" + type + "\" does not exist");
    }
    auto users = db.enum_users(type);
    if (!users.empty())
      fail(line, "cannot drop type \"" + type + "\" because table \"" + users[0].table + "\", column \"" +
                     users[0].column + "\" uses it" +
                     (users.size() > 1 ? " (and " + std::to_string(users.size() - 1) + " more)" : ""));
    emit(out, line, std::string("DELETE FROM ") + k_enum_catalog + " WHERE type_name = " + quote_text(type));
    dropped.push_back(type);
  }
  // The catalog goes with the last type, so that a migration set taken down to base leaves no trace.
  if (dropped.empty()) return;
  std::string list;
  for (const auto& t : dropped) list += (list.empty() ? "" : ", ") + quote_text(t);
  if (db.count(std::string("SELECT count(*) FROM ") + k_enum_catalog + " WHERE type_name NOT IN (" + list + ")") == 0)
    emit(out, line, std::string("DROP TABLE ") + k_enum_catalog);
}

}  // namespace runner::sqlite
