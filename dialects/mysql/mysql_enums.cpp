// SPDX-License-Identifier: MIT
#include "mysql_enums.hpp"

#include "mysql_url.hpp"

#include <algorithm>

namespace runner::mysql {
namespace {

constexpr const char* k_create_catalog =
    "CREATE TABLE IF NOT EXISTS runner_enums (\n  name VARCHAR(64) NOT NULL PRIMARY KEY,\n  labels LONGTEXT NOT "
    "NULL\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

[[noreturn]] void refuse(std::uint32_t line, const std::string& message) {
  throw sdk::Failure(RUNNER_ERR_USAGE, line, message);
}

std::string labels_json(const std::vector<std::string>& labels) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& l : labels) j.push_back(l);
  return literal(j.dump(), "the enum labels");
}

std::vector<std::string> known_labels(const std::string& type, const Catalog& db, std::uint32_t line) {
  auto labels = enum_of(type, db, line);
  if (!labels)
    refuse(line, "type " + type +
                     " does not exist: the mysql dialect knows the enum types earlier migrations created "
                     "(kept in runner_enums)");
  return *labels;
}

// ALTER TABLE ... MODIFY COLUMN for every column of type `from`, to type `to`.
void restate_columns(const std::vector<std::string>& from, const std::vector<std::string>& to, const Catalog& db,
                     const sdk::Sink& out, std::uint32_t line) {
  for (Column c : db.columns_of_type(enum_type(from))) {
    c.type = enum_type(to);
    out.statement(
        "ALTER TABLE " + backquote(c.table) + " MODIFY COLUMN " + backquote(c.name) + " " + column_definition(c), line,
        0);
  }
}

}  // namespace

std::optional<std::vector<std::string>> enum_of(const std::string& name, const Catalog& db, std::uint32_t line) {
  if (!db.available())
    refuse(line, "a column of type " + name +
                     " needs the enum types earlier migrations created, which the mysql dialect reads from the "
                     "database as it runs; offline (--sql, explain) give --shadow-url URL, a server where runner may "
                     "create and drop a scratch database to replay them into");
  return db.enum_labels(name);
}

void create_enum(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const std::vector<std::string> names = names_of(member(stmt, "typeName"));
  const std::string type = names.empty() ? std::string() : names.back();
  const std::vector<std::string> labels = names_of(member(stmt, "vals"));
  if (db.available() && db.enum_labels(type)) refuse(line, "type " + type + " already exists");
  // MySQL knows a column's labels, not its type: two types with the same labels could not be told
  // apart when one of them changes.
  for (const auto& twin : db.enums_with(labels))
    refuse(line, "type " + twin +
                     " has the same labels in the same order; on MySQL a column of either is the same "
                     "ENUM(...), and changing one type would change the columns of both: give " +
                     type + " other labels, or use " + twin);
  for (const auto& l : labels) literal(l, "the enum label");
  out.statement(k_create_catalog, line, 0);
  out.statement("INSERT INTO runner_enums (name, labels) VALUES (" + literal(type, "the type name") + ", " +
                    labels_json(labels) + ")",
                line, 0);
}

void add_enum_value(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const std::vector<std::string> names = names_of(member(stmt, "typeName"));
  const std::string type = names.empty() ? std::string() : names.back();
  if (!stmt.value("oldVal", "").empty())
    refuse(line,
           "ALTER TYPE ... RENAME VALUE is not translated for MySQL (the rows holding the label would have to "
           "change with it): write it for MySQL in a .up.mysql.sql variant");
  const std::vector<std::string> labels = known_labels(type, db, line);
  const std::string value = stmt.value("newVal", "");
  if (std::find(labels.begin(), labels.end(), value) != labels.end()) {
    if (stmt.value("skipIfNewValExists", false)) return;
    refuse(line, "enum label '" + value + "' already exists in type " + type);
  }
  std::vector<std::string> next = labels;
  const std::string neighbor = stmt.value("newValNeighbor", "");
  if (neighbor.empty()) {
    next.push_back(value);
  } else {
    auto at = std::find(next.begin(), next.end(), neighbor);
    if (at == next.end()) refuse(line, "'" + neighbor + "' is not an existing enum label of type " + type);
    next.insert(stmt.value("newValIsAfter", false) ? at + 1 : at, value);
  }
  restate_columns(labels, next, db, out, line);
  out.statement(
      "UPDATE runner_enums SET labels = " + labels_json(next) + " WHERE name = " + literal(type, "the type name"), line,
      0);
}

void drop_enum_value(const sdk::DropEnumValue& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const std::vector<std::string> labels = known_labels(stmt.type, db, line);
  auto at = std::find(labels.begin(), labels.end(), stmt.value);
  if (at == labels.end()) refuse(line, "'" + stmt.value + "' is not a label of type " + stmt.type);
  for (const Column& c : db.columns_of_type(enum_type(labels))) {
    if (c.default_sql && *c.default_sql == literal(stmt.value, "the enum label"))
      refuse(line, "table " + c.table + ", column " + c.name + " has '" + stmt.value +
                       "' as its default: change the default first; nothing was changed");
    const long long rows = db.rows_holding(c, stmt.value);
    if (rows > 0)
      refuse(line, "table " + c.table + ", column " + c.name + ": " + std::to_string(rows) + " row" +
                       (rows == 1 ? "" : "s") + " hold '" + stmt.value +
                       "'; change them before dropping the label; nothing was changed");
  }
  std::vector<std::string> next = labels;
  next.erase(next.begin() + (at - labels.begin()));
  restate_columns(labels, next, db, out, line);
  out.statement(
      "UPDATE runner_enums SET labels = " + labels_json(next) + " WHERE name = " + literal(stmt.type, "the type name"),
      line, 0);
}

void drop_type(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const bool missing_ok = stmt.value("missing_ok", false);
  std::size_t dropped = 0;
  for (const auto& object : member(stmt, "objects")) {
    const std::vector<std::string> names = names_of(member(node_body(object), "names"));
    const std::string type = names.empty() ? std::string() : names.back();
    const auto labels = enum_of(type, db, line);
    if (!labels) {
      if (missing_ok) continue;
      refuse(line, "type " + type + " does not exist");
    }
    const auto users = db.columns_of_type(enum_type(*labels));
    if (!users.empty())
      refuse(line, "type " + type + " is still the type of column " + users.front().table + "." + users.front().name +
                       (users.size() > 1 ? " (and " + std::to_string(users.size() - 1) + " more)" : "") +
                       ": drop or change those columns first");
    out.statement("DELETE FROM runner_enums WHERE name = " + literal(type, "the type name"), line, 0);
    ++dropped;
  }
  // The last type gone, its catalog goes too: down to base leaves nothing of the enum types.
  if (dropped > 0 && db.enum_count() == dropped) out.statement("DROP TABLE runner_enums", line, 0);
}

}  // namespace runner::mysql
