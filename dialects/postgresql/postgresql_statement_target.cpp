// SPDX-License-Identifier: MIT
#include "postgresql_statement_target.hpp"

#include <pg_query.h>
#include <nlohmann/json.hpp>

#include <string>

namespace runner::postgresql {
namespace {

using nlohmann::json;

struct Target {
  std::string kind = "other";
  std::string table;
  std::string schema;
};

void take_relation(const json& node, const char* kind, Target* t) {
  const json& rel = node.value("relation", json::object());
  t->kind = kind;
  t->table = rel.value("relname", "");
  t->schema = rel.value("schemaname", "");
}

// A String node's text: "sval" since libpg_query 15, "str" before.
std::string string_of(const json& node) {
  const json& s = node.value("String", json::object());
  return s.contains("sval") ? s.value("sval", "") : s.value("str", "");
}

Target read_tree(const json& stmt) {
  Target t;
  if (stmt.contains("TransactionStmt")) {
    const std::string k = stmt["TransactionStmt"].value("kind", "");
    if (k == "TRANS_STMT_BEGIN" || k == "TRANS_STMT_START") t.kind = "begin";
    if (k == "TRANS_STMT_COMMIT") t.kind = "commit";
    if (k == "TRANS_STMT_ROLLBACK") t.kind = "rollback";
  } else if (stmt.contains("CreateStmt")) {
    take_relation(stmt["CreateStmt"], "create_table", &t);
  } else if (stmt.contains("InsertStmt")) {
    take_relation(stmt["InsertStmt"], "insert", &t);
  } else if (stmt.contains("UpdateStmt")) {
    take_relation(stmt["UpdateStmt"], "update", &t);
  } else if (stmt.contains("DeleteStmt")) {
    take_relation(stmt["DeleteStmt"], "delete", &t);
  } else if (stmt.contains("DropStmt")) {
    const json& drop = stmt["DropStmt"];
    const json& objects = drop.value("objects", json::array());
    // One table only: a DROP naming several tables is more than bookkeeping.
    if (drop.value("removeType", "") == "OBJECT_TABLE" && objects.size() == 1) {
      const json& items = objects[0].value("List", json::object()).value("items", json::array());
      if (!items.empty()) {
        t.kind = "drop_table";
        t.table = string_of(items.back());
        if (items.size() > 1) t.schema = string_of(items[items.size() - 2]);
      }
    }
  }
  return t;
}

}  // namespace

void describe_statement_target(std::string_view sql, const sdk::Sink& out) {
  Target t;
  const std::string text(sql);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  if (parsed.error == nullptr) {
    json tree = json::parse(parsed.parse_tree, nullptr, false);
    const json& stmts = tree.is_object() ? tree.value("stmts", json::array()) : json::array();
    if (stmts.size() == 1) t = read_tree(stmts[0].value("stmt", json::object()));
  }
  pg_query_free_parse_result(parsed);
  out.field("kind", t.kind);
  if (!t.table.empty()) out.field("table", t.table);
  if (!t.schema.empty()) out.field("schema", t.schema);
}

}  // namespace runner::postgresql
