// SPDX-License-Identifier: MIT
#include "plugins/sdk/pg_lint.hpp"

#include <pg_query.h>

#include <algorithm>

namespace runner::sdk::lint {
namespace {

const Json& empty_object() {
  static const Json k = Json::object();
  return k;
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// "schema.table" of a DropStmt object ({"List": {"items": [names]}}).
std::string object_name(const Json& object) {
  std::string name;
  for (const auto& p : names(member(member(object, "List"), "items"))) name += (name.empty() ? "" : ".") + p;
  return name;
}

// Every DELETE and UPDATE in a statement, its CTEs' included (WITH d AS (DELETE ...) SELECT ...).
void collect_writes(const Json& node, std::vector<std::pair<bool, const Json*>>& out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "DeleteStmt" || it.key() == "UpdateStmt") out.emplace_back(it.key() == "DeleteStmt", &it.value());
      collect_writes(it.value(), out);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect_writes(item, out);
  }
}

void write_rules(const Statement& s, FileLint& file) {
  std::vector<std::pair<bool, const Json*>> writes;
  collect_writes(s.node, writes);
  for (const auto& [del, body] : writes) {
    const std::string table = relation_name(member(*body, "relation"));
    if (body->contains("whereClause") || file.created_here(table)) continue;
    file.add({file.destructive_level(), s.line, del ? "ban-delete-without-where" : "ban-update-without-where",
              std::string(del ? "DELETE" : "UPDATE") + " without WHERE " + (del ? "deletes" : "rewrites") +
                  " every row of " + table + (del ? "" : ", holding each row's lock until the migration commits"),
              del ? "add the WHERE that names the rows to delete (WHERE true when every row is meant)"
                  : "add the WHERE that names the rows to change (WHERE true when every row is meant); on a large "
                    "table, update in batches in a -- runner:no-transaction migration",
              table});
  }
}

void add_drop_table(const Statement& s, FileLint& file) {
  for (const auto& object : member(s.body(), "objects")) {
    const std::string table = object_name(object);
    if (table.empty() || file.created_here(table)) continue;
    file.add({file.destructive_level(), s.line, "ban-drop-table",
              "DROP TABLE " + table + " deletes the table and every row in it for good",
              "keep the table until the application no longer reads it and a backup holds its rows (runner upgrade "
              "--backup); then drop it in a migration of its own",
              table});
  }
}

void alter_table_rules(const Statement& s, FileLint& file) {
  const Json& b = s.body();
  if (str(b, "objtype") != "OBJECT_TABLE") return;
  const std::string table = relation_name(member(b, "relation"));
  if (file.created_here(table)) return;
  for (const auto& cmd : member(b, "cmds")) {
    const Json& c = member(cmd, "AlterTableCmd");
    const std::string subtype = str(c, "subtype");
    if (subtype == "AT_DropColumn") {
      file.add({file.destructive_level(), s.line, "ban-drop-column",
                "DROP COLUMN " + quoted(str(c, "name")) + " of " + table +
                    " deletes the column's values in every row for good, and breaks the application still reading it",
                "first deploy an application that no longer reads the column, keep a backup of its values; then drop "
                "it",
                table});
    } else if (subtype == "AT_AddColumn") {
      const Json& def = member(member(c, "def"), "ColumnDef");
      bool not_null = false, has_default = false;
      for (const auto& k : member(def, "constraints")) {
        const std::string kind = str(member(k, "Constraint"), "contype");
        not_null = not_null || kind == "CONSTR_NOTNULL" || kind == "CONSTR_PRIMARY";
        has_default =
            has_default || kind == "CONSTR_DEFAULT" || kind == "CONSTR_IDENTITY" || kind == "CONSTR_GENERATED";
      }
      const std::string type = type_name(member(def, "typeName"));
      has_default = has_default || type == "serial" || type == "bigserial" || type == "smallserial" ||
                    type == "serial4" || type == "serial8" || type == "serial2";
      if (not_null && !has_default)
        file.add({RUNNER_DIAG_ERROR, s.line, "adding-required-field",
                  "ADD COLUMN " + quoted(str(def, "colname")) + " NOT NULL without a DEFAULT fails on " + table +
                      " as soon as it holds a row, and breaks the application's INSERTs that do not set it",
                  "add the column with a DEFAULT, or add it nullable, fill it, then SET NOT NULL", table});
    }
  }
}

}  // namespace

std::string Statement::type() const {
  if (!node.is_object() || node.empty()) return "";
  return node.begin().key();
}

const Json& Statement::body() const {
  if (!node.is_object() || node.empty()) return empty_object();
  return node.begin().value();
}

Json parse(std::string_view sql, std::string* error) {
  const std::string text(sql);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  Json node;
  if (parsed.error != nullptr && error != nullptr) *error = parsed.error->message;
  if (parsed.error == nullptr) {
    Json tree = Json::parse(parsed.parse_tree, nullptr, false);
    const Json& stmts = member(tree, "stmts");
    if (stmts.is_array() && stmts.size() == 1) node = member(stmts[0], "stmt");
  }
  pg_query_free_parse_result(parsed);
  return node.is_object() && !node.empty() ? node : Json();
}

std::vector<Statement> read_statements(std::string_view sql,
                                       const std::function<void(std::string_view, const Sink&)>& split) {
  struct Collected {
    std::vector<Statement> statements;
    std::uint32_t error_line = 0;
    std::string error;
  } got;
  runner_sink sink{};
  sink.ctx = &got;
  sink.statement = [](void* ctx, const char* text, size_t len, uint32_t line, uint32_t flags) {
    Statement s;
    s.sql.assign(text, len);
    s.line = line;
    s.flags = flags;
    auto* collected = static_cast<Collected*>(ctx);
    s.index = static_cast<std::uint32_t>(collected->statements.size() + 1);
    collected->statements.push_back(std::move(s));
  };
  sink.field = [](void*, const char*, const char*, size_t) {};
  sink.error = [](void* ctx, int, uint32_t line, const char* message) {
    static_cast<Collected*>(ctx)->error_line = line;
    static_cast<Collected*>(ctx)->error = message;
  };
  sink.diagnostic = [](void*, int, uint32_t, const char*, const char*) {};
  split(sql, Sink(&sink));
  return std::move(got.statements);
}

const Json& member(const Json& body, const char* key) {
  if (!body.is_object()) return empty_object();
  auto it = body.find(key);
  return it == body.end() ? empty_object() : *it;
}

std::string str(const Json& body, const char* key) {
  const Json& v = member(body, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

std::vector<std::string> names(const Json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    const Json& s = member(item, "String");
    if (s.contains("sval")) out.push_back(str(s, "sval"));
  }
  return out;
}

std::string relation_name(const Json& range_var) {
  const std::string schema = str(range_var, "schemaname");
  return (schema.empty() ? "" : schema + ".") + str(range_var, "relname");
}

std::string type_name(const Json& type_name_node) {
  std::vector<std::string> parts = names(member(type_name_node, "names"));
  if (parts.empty()) return "";
  return parts.back();
}

std::vector<long long> type_modifiers(const Json& type_name_node) {
  std::vector<long long> out;
  const Json& mods = member(type_name_node, "typmods");
  if (!mods.is_array()) return out;
  for (const auto& m : mods) {
    const Json& ival = member(member(member(m, "A_Const"), "ival"), "ival");
    out.push_back(ival.is_number_integer() ? ival.get<long long>() : 0);
  }
  return out;
}

std::string bare_table(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

// A name as written: a table created as app.t is not the t another statement names unqualified,
// which the search path may resolve elsewhere.
bool FileLint::created_here(const std::string& table) const { return created_.count(table) > 0; }

void FileLint::track_created(const Statement& s) {
  const std::string type = s.type();
  const Json& b = s.body();
  // IF NOT EXISTS may meet a table that holds rows already: it is not the file's own.
  if (type == "CreateStmt" && !b.value("if_not_exists", false)) created_.insert(relation_name(member(b, "relation")));
  if (type == "CreateTableAsStmt" && !b.value("if_not_exists", false))
    created_.insert(relation_name(member(member(b, "into"), "rel")));
  if (type == "SelectStmt" && b.contains("intoClause"))
    created_.insert(relation_name(member(member(b, "intoClause"), "rel")));
  // A name the file's table gives up may be taken by a table with rows: it is no longer the file's.
  if (type == "DropStmt" && str(b, "removeType") == "OBJECT_TABLE")
    for (const auto& object : member(b, "objects")) created_.erase(object_name(object));
  if (type == "RenameStmt" && str(b, "renameType") == "OBJECT_TABLE") {
    const std::string from = relation_name(member(b, "relation"));
    const std::string schema = str(member(b, "relation"), "schemaname");
    const std::string to = (schema.empty() ? "" : schema + ".") + str(b, "newname");
    if (created_.erase(from) > 0)
      created_.insert(to);
    else
      created_.erase(to);
  }
}

void FileLint::emit(const Sink& out, const std::function<std::optional<TableSize>(const std::string&)>& size) const {
  std::vector<const Finding*> sorted;
  for (const auto& f : findings_) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) { return a->line < b->line; });
  std::map<std::string, std::optional<TableSize>> sizes;
  for (const Finding* f : sorted) {
    out.diagnostic(f->level, f->line, f->rule.c_str(), f->message);
    if (f->statement > 0) out.field("statement", std::to_string(f->statement));
    if (f->refused) out.field("refused", "1");
    if (!f->fix.empty()) out.field("fix", f->fix);
    if (f->table.empty()) continue;
    out.field("table", f->table);
    if (!size) continue;
    auto it = sizes.find(f->table);
    if (it == sizes.end()) it = sizes.emplace(f->table, size(f->table)).first;
    if (!it->second) continue;
    if (it->second->rows >= 0) {
      out.field("rows", std::to_string(it->second->rows));
      out.field("rows_source", it->second->rows_source);
    }
    if (it->second->bytes >= 0) out.field("bytes", std::to_string(it->second->bytes));
  }
}

void shared_rules(const Statement& s, FileLint& file) {
  const std::string type = s.type();
  const Json& b = s.body();
  write_rules(s, file);
  if (type == "DropStmt" && str(b, "removeType") == "OBJECT_TABLE") {
    add_drop_table(s, file);
  } else if (type == "AlterTableStmt") {
    alter_table_rules(s, file);
  } else if (type == "TruncateStmt") {
    for (const auto& r : member(b, "relations")) {
      const std::string table = relation_name(member(r, "RangeVar"));
      if (file.created_here(table)) continue;
      if (str(b, "behavior") == "DROP_CASCADE")
        file.add({file.destructive_level(), s.line, "ban-truncate-cascade",
                  "TRUNCATE " + table +
                      " CASCADE deletes every row of it and of every table whose foreign keys reach it, however many "
                      "those are",
                  "name each table to empty in the TRUNCATE, without CASCADE", table});
      else
        file.add({file.destructive_level(), s.line, "ban-truncate", "TRUNCATE " + table + " deletes every row for good",
                  "delete the rows you mean with a WHERE, after a backup (runner upgrade --backup)", table});
    }
  } else if (type == "RenameStmt") {
    const std::string what = str(b, "renameType");
    const std::string table = relation_name(member(b, "relation"));
    if (file.created_here(table)) return;
    if (what == "OBJECT_COLUMN" && str(b, "relationType") == "OBJECT_TABLE")
      file.add({RUNNER_DIAG_WARNING, s.line, "renaming-column",
                "renaming column " + quoted(str(b, "subname")) + " of " + table + " to " + quoted(str(b, "newname")) +
                    " breaks the application still running on the old name until it is deployed again",
                "add the new column, write both, move the readers, then drop the old one (expand and contract)",
                table});
    else if (what == "OBJECT_TABLE")
      file.add({RUNNER_DIAG_WARNING, s.line, "renaming-table",
                "renaming " + table + " to " + quoted(str(b, "newname")) +
                    " breaks the application still running on the old name until it is deployed again",
                "create the new table (or a view under the old name) and move the application over before "
                "removing the old name",
                table});
  }
}

}  // namespace runner::sdk::lint
