// SPDX-License-Identifier: MIT
#include "postgresql_statement_target.hpp"

#include <pg_query.h>
#include <nlohmann/json.hpp>

#include <set>
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

// Schemas an object name is qualified with anywhere in the statement (pg_catalog and
// information_schema aside: the parser writes built-in types that way), and whether the statement
// changes what the whole database shares.
struct Reach {
  std::set<std::string> schemas;
  bool database_wide = false;
  bool search_path = false;  // SET search_path, set_config('search_path', ...)
  bool dynamic = false;      // a DO block: SQL built as it runs
};

void note_schema(const std::string& schema, Reach* r) {
  if (!schema.empty() && schema != "pg_catalog" && schema != "information_schema" && schema != "pg_temp")
    r->schemas.insert(schema);
}

// A qualified name as a list of String nodes: the schema is the part before the last `parts`
// (1: schema.name; 2: schema.table.trigger, schema.table.column).
void note_qualified(const json& names, Reach* r, std::size_t parts = 1) {
  if (!names.is_array() || names.size() < parts + 1) return;
  for (const auto& n : names)
    if (!n.is_object() || !n.contains("String")) return;
  note_schema(string_of(names[names.size() - parts - 1]), r);
}

// How many trailing parts of an object's name in a DROP or COMMENT are not its schema.
std::size_t name_parts(const std::string& object_type) {
  static const std::set<std::string> k_on_table = {"OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE", "OBJECT_COLUMN",
                                                   "OBJECT_TABCONSTRAINT"};
  return k_on_table.count(object_type) ? 2 : 1;
}

void walk(const json& node, Reach* r) {
  if (node.is_array()) {
    for (const auto& e : node) walk(e, r);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    // Objects and settings every schema shares, or the server's.
    static const std::set<std::string> k_database_wide = {
        "CreateExtensionStmt",   "AlterExtensionStmt",     "AlterExtensionContentsStmt",
        "CreateRoleStmt",        "AlterRoleStmt",          "AlterRoleSetStmt",
        "DropRoleStmt",          "GrantRoleStmt",          "CreatedbStmt",
        "AlterDatabaseStmt",     "AlterDatabaseSetStmt",   "DropdbStmt",
        "CreateTableSpaceStmt",  "AlterSystemStmt",        "CreateEventTrigStmt",
        "CreatePublicationStmt", "CreateSubscriptionStmt", "AlterDefaultPrivilegesStmt",
        "CreateCastStmt",        "CreateFdwStmt",          "CreateForeignServerStmt",
        "CreateUserMappingStmt", "CreatePLangStmt",        "CreateConversionStmt",
        "ReassignOwnedStmt",     "DropOwnedStmt"};
    if (k_database_wide.count(key)) r->database_wide = true;
    // A RangeVar: the JSON names a node's type only where the field may hold several; a relation
    // field (CREATE TABLE's, ALTER TABLE's, INSERT's...) holds the RangeVar's body itself.
    if (v.is_object() && v.contains("relname")) note_schema(v.value("schemaname", ""), r);
    if (key == "VariableSetStmt" && v.is_object() && v.value("name", "") == "search_path") r->search_path = true;
    if (key == "DoStmt") r->dynamic = true;
    if (key == "FuncCall" && v.is_object()) {
      const json& name = v.value("funcname", json::array());
      const json& args = v.value("args", json::array());
      if (!name.empty() && string_of(name.back()) == "set_config" && !args.empty()) {
        const json& first = args[0].value("A_Const", json::object()).value("sval", json::object());
        if (first.value("sval", "") == "search_path") r->search_path = true;
      }
    }
    if (key == "AlterObjectSchemaStmt" && v.is_object()) note_schema(v.value("newschema", ""), r);
    if (key == "CommentStmt" && v.is_object() && v.value("objtype", "") == "OBJECT_DATABASE") r->database_wide = true;
    // GRANT on a schema or a database changes who may use what every session shares.
    if (key == "GrantStmt" && v.is_object()) {
      const std::string on = v.value("objtype", "");
      if (on == "OBJECT_DATABASE" || on == "OBJECT_TABLESPACE") r->database_wide = true;
      if (on == "OBJECT_SCHEMA")
        for (const auto& o : v.value("objects", json::array())) note_schema(string_of(o), r);
    }
    if (key == "CommentStmt" && v.is_object()) {
      const json& object = v.value("object", json::object());
      note_qualified(object.value("List", json::object()).value("items", json::array()), r,
                     name_parts(v.value("objtype", "")));
    }
    if (key == "CreateSchemaStmt" && v.is_object()) {
      const std::string schema = v.value("schemaname", "");
      if (!schema.empty()) r->schemas.insert(schema);
    } else if (key == "DropStmt" && v.is_object()) {
      const std::string what = v.value("removeType", "");
      if (what == "OBJECT_SCHEMA") {
        for (const auto& o : v.value("objects", json::array())) r->schemas.insert(string_of(o));
      } else if (what == "OBJECT_EXTENSION") {
        r->database_wide = true;
      }
      for (const auto& o : v.value("objects", json::array()))
        note_qualified(o.value("List", json::object()).value("items", json::array()), r, name_parts(what));
    } else if (key == "funcname" || key == "names" || key == "defnames" || key == "objname" || key == "typeName" ||
               key == "collname") {
      note_qualified(v, r);
    }
    walk(v, r);
  }
}

}  // namespace

void describe_statement_target(std::string_view sql, const sdk::Sink& out) {
  Target t;
  Reach reach;
  const std::string text(sql);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  if (parsed.error == nullptr) {
    json tree = json::parse(parsed.parse_tree, nullptr, false);
    const json& stmts = tree.is_object() ? tree.value("stmts", json::array()) : json::array();
    if (stmts.size() == 1) t = read_tree(stmts[0].value("stmt", json::object()));
    walk(stmts, &reach);
  }
  pg_query_free_parse_result(parsed);
  out.field("kind", t.kind);
  if (!t.table.empty()) out.field("table", t.table);
  if (!t.schema.empty()) out.field("schema", t.schema);
  for (const auto& s : reach.schemas) out.field("names_schema", s);
  if (reach.database_wide) out.field("database_wide", "1");
  if (reach.search_path) out.field("search_path", "1");
  if (reach.dynamic) out.field("dynamic", "1");
}

}  // namespace runner::postgresql
