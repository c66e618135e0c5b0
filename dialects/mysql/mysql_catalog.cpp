// SPDX-License-Identifier: MIT
#include "mysql_catalog.hpp"

#include "mysql_url.hpp"

#include <nlohmann/json.hpp>

namespace runner::mysql {

std::string literal(const std::string& value, const std::string& what) {
  if (value.find('\\') != std::string::npos)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       what + " '" + value +
                           "' holds a backslash, which MySQL reads one way or another depending on sql_mode "
                           "(NO_BACKSLASH_ESCAPES): write this migration for MySQL in a .up.mysql.sql variant");
  return sdk::single_quote(value);
}

std::string enum_type(const std::vector<std::string>& labels) {
  std::string out = "enum(";
  for (std::size_t i = 0; i < labels.size(); ++i) out += (i == 0 ? "" : ",") + literal(labels[i], "the enum label");
  return out + ")";
}

std::string column_definition(const Column& c) {
  const std::string extra = c.extra;
  if (extra.find("GENERATED") != std::string::npos || extra.find("generated") != std::string::npos)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       "column " + c.table + "." + c.name +
                           " is generated: changing it is MySQL's MODIFY COLUMN with its expression, which runner "
                           "cannot restate safely; write this migration for MySQL in a .up.mysql.sql variant");
  std::string out = c.type;
  if (!c.charset.empty()) out += " CHARACTER SET " + c.charset;
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  out += c.nullable ? " NULL" : " NOT NULL";
  if (c.default_sql) out += " DEFAULT " + *c.default_sql;
  if (extra.find("auto_increment") != std::string::npos) out += " AUTO_INCREMENT";
  const std::size_t on_update = extra.find("on update ");
  if (on_update != std::string::npos) out += " ON UPDATE " + extra.substr(on_update + 10);
  if (extra.find("INVISIBLE") != std::string::npos) out += " INVISIBLE";
  if (!c.comment.empty()) out += " COMMENT " + literal(c.comment, "the column comment");
  if (!c.check.empty()) out += " CHECK (" + c.check + ")";
  return out;
}

std::string Catalog::schema_sql() const {
  return schema_.empty() ? std::string("DATABASE()") : literal(schema_, "the database name");
}

std::vector<Column> Catalog::columns(const std::string& where) const {
  std::vector<Column> out;
  if (db_ == nullptr) return out;
  // MariaDB writes COLUMN_DEFAULT as SQL ('a', current_timestamp(6), NULL); MySQL writes a
  // literal's value bare, and marks an expression DEFAULT_GENERATED.
  const std::string sql =
      "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, "
      "IF(VERSION() LIKE '%MariaDB%', 1, 0), CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA = " +
      schema_sql() + " AND " + where + " ORDER BY TABLE_NAME, ORDINAL_POSITION";
  sdk::query_rows(db_, sql, [&](std::uint32_t n, const char* const* v) {
    if (n < 10) return;
    Column c;
    c.table = v[0] != nullptr ? v[0] : "";
    c.name = v[1] != nullptr ? v[1] : "";
    c.type = v[2] != nullptr ? v[2] : "";
    c.nullable = v[3] != nullptr && std::string(v[3]) == "YES";
    c.extra = v[5] != nullptr ? v[5] : "";
    c.comment = v[6] != nullptr ? v[6] : "";
    const bool mariadb = v[7] != nullptr && std::string(v[7]) == "1";
    c.charset = v[8] != nullptr ? v[8] : "";
    c.collation = v[9] != nullptr ? v[9] : "";
    if (v[4] != nullptr && std::string(v[4]) != "NULL") {
      const std::string d = v[4];
      c.default_sql = mariadb || c.extra.find("DEFAULT_GENERATED") != std::string::npos ? d : sdk::single_quote(d);
    }
    out.push_back(std::move(c));
  });
  // MariaDB keeps a column's own CHECK under the column's name (LEVEL 'Column'); MODIFY COLUMN
  // without it would drop it. MySQL has no such level: nothing to restate there.
  for (Column& c : out) {
    try {
      sdk::query_rows(db_,
                      "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
                          schema_sql() + " AND TABLE_NAME = " + literal(c.table, "the table name") +
                          " AND CONSTRAINT_NAME = " + literal(c.name, "the column name") + " AND LEVEL = 'Column'",
                      [&](std::uint32_t n, const char* const* v) {
                        if (n > 0 && v[0] != nullptr) c.check = v[0];
                      });
    } catch (const sdk::Failure&) {
    }
  }
  return out;
}

std::optional<Column> Catalog::column(const std::string& table, const std::string& name) const {
  auto found = columns("TABLE_NAME = " + literal(table, "the table name") +
                       " AND COLUMN_NAME = " + literal(name, "the column name"));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Column> Catalog::columns_of_type(const std::string& type) const {
  return columns("DATA_TYPE = 'enum' AND COLUMN_TYPE = " + literal(type, "the column type"));
}

std::vector<std::string> Catalog::tables_with_index(const std::string& index) const {
  std::vector<std::string> out;
  if (db_ == nullptr) return out;
  sdk::query_rows(db_,
                  "SELECT DISTINCT TABLE_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " + schema_sql() +
                      " AND "
                      "INDEX_NAME = " +
                      literal(index, "the index name") + " ORDER BY TABLE_NAME",
                  [&](std::uint32_t n, const char* const* v) {
                    if (n > 0 && v[0] != nullptr) out.emplace_back(v[0]);
                  });
  return out;
}

std::map<std::string, std::vector<std::string>> Catalog::indexes(const std::string& table) const {
  std::map<std::string, std::vector<std::string>> out;
  sdk::query_rows(
      db_,
      "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " + schema_sql() +
          " AND TABLE_NAME = " + literal(table, "the table name") + " ORDER BY INDEX_NAME, SEQ_IN_INDEX",
      [&](std::uint32_t n, const char* const* v) {
        if (n > 1 && v[0] != nullptr) out[v[0]].emplace_back(v[1] != nullptr ? v[1] : "");
      });
  return out;
}

std::map<std::string, std::vector<std::string>> Catalog::foreign_keys(const std::string& table) const {
  std::map<std::string, std::vector<std::string>> out;
  sdk::query_rows(db_,
                  "SELECT CONSTRAINT_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = " +
                      schema_sql() + " AND TABLE_NAME = " + literal(table, "the table name") +
                      " AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION",
                  [&](std::uint32_t n, const char* const* v) {
                    if (n > 1 && v[0] != nullptr) out[v[0]].emplace_back(v[1] != nullptr ? v[1] : "");
                  });
  return out;
}

std::string Catalog::constraint_type(const std::string& table, const std::string& name) const {
  std::string out;
  sdk::query_rows(db_,
                  "SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
                      schema_sql() + " AND TABLE_NAME = " + literal(table, "the table name") +
                      " AND CONSTRAINT_NAME = " + literal(name, "the constraint name"),
                  [&](std::uint32_t n, const char* const* v) {
                    if (n > 0 && v[0] != nullptr) out = v[0];
                  });
  return out;
}

std::optional<std::vector<std::string>> Catalog::enum_labels(const std::string& type) const {
  if (db_ == nullptr) return std::nullopt;
  bool exists = false;
  sdk::query_rows(db_,
                  "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
                  "'runner_enums'",
                  [&](std::uint32_t n, const char* const* v) { exists = n > 0 && v[0] != nullptr && v[0][0] != '0'; });
  if (!exists) return std::nullopt;
  std::optional<std::vector<std::string>> labels;
  sdk::query_rows(db_, "SELECT labels FROM runner_enums WHERE name = " + literal(type, "the type name"),
                  [&](std::uint32_t n, const char* const* v) {
                    if (n == 0 || v[0] == nullptr) return;
                    const nlohmann::json j = nlohmann::json::parse(v[0], nullptr, false);
                    if (!j.is_array()) return;
                    labels.emplace();
                    for (const auto& l : j) labels->push_back(l.is_string() ? l.get<std::string>() : "");
                  });
  return labels;
}

std::vector<std::string> Catalog::enums_with(const std::vector<std::string>& labels) const {
  std::vector<std::string> out;
  if (db_ == nullptr) return out;
  bool exists = false;
  sdk::query_rows(db_,
                  "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
                  "'runner_enums'",
                  [&](std::uint32_t n, const char* const* v) { exists = n > 0 && v[0] != nullptr && v[0][0] != '0'; });
  if (!exists) return out;
  sdk::query_rows(db_, "SELECT name, labels FROM runner_enums ORDER BY name",
                  [&](std::uint32_t n, const char* const* v) {
                    if (n < 2 || v[0] == nullptr || v[1] == nullptr) return;
                    const nlohmann::json j = nlohmann::json::parse(v[1], nullptr, false);
                    if (j.is_array() && j == nlohmann::json(labels)) out.emplace_back(v[0]);
                  });
  return out;
}

std::size_t Catalog::enum_count() const {
  std::size_t count = 0;
  if (db_ == nullptr) return count;
  bool exists = false;
  sdk::query_rows(db_,
                  "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
                  "'runner_enums'",
                  [&](std::uint32_t n, const char* const* v) { exists = n > 0 && v[0] != nullptr && v[0][0] != '0'; });
  if (!exists) return count;
  sdk::query_rows(db_, "SELECT COUNT(*) FROM runner_enums", [&](std::uint32_t n, const char* const* v) {
    if (n > 0 && v[0] != nullptr) count = std::stoul(v[0]);
  });
  return count;
}

long long Catalog::rows_holding(const Column& c, const std::string& value) const {
  long long count = 0;
  sdk::query_rows(db_,
                  "SELECT COUNT(*) FROM " + (schema_.empty() ? std::string() : backquote(schema_) + ".") +
                      backquote(c.table) + " WHERE " + backquote(c.name) + " = " + literal(value, "the enum label"),
                  [&](std::uint32_t n, const char* const* v) {
                    if (n > 0 && v[0] != nullptr) count = std::stoll(v[0]);
                  });
  return count;
}

}  // namespace runner::mysql
