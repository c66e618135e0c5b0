// SPDX-License-Identifier: MIT
#include "sqlite_translate.hpp"

#include "pg_tree.hpp"
#include "plugins/sdk/pg_scan.hpp"
#include "sqlite_alter.hpp"
#include "sqlite_catalog.hpp"
#include "sqlite_enums.hpp"
#include "sqlite_expr.hpp"
#include "sqlite_table.hpp"

#include <map>
#include <set>

namespace runner::sqlite {
namespace {

constexpr const char* k_variant_hint =
    "; write this migration for SQLite in a .sqlite.sql variant (NNNN_name.up.sqlite.sql)";

// Statement kinds PostgreSQL parses that have no SQLite counterpart.
const std::map<std::string, std::string>& refused_kinds() {
  static const std::map<std::string, std::string> k = {
      {"CreateSeqStmt", "CREATE SEQUENCE"},
      {"AlterSeqStmt", "ALTER SEQUENCE"},
      {"CreateExtensionStmt", "CREATE EXTENSION"},
      {"CreateFunctionStmt", "CREATE FUNCTION"},
      {"DoStmt", "DO"},
      {"GrantStmt", "GRANT / REVOKE"},
      {"CreateSchemaStmt", "CREATE SCHEMA"},
      {"CreateDomainStmt", "CREATE DOMAIN"},
      {"CreatePolicyStmt", "CREATE POLICY"},
      {"AlterOwnerStmt", "ALTER ... OWNER"},
      {"CreateTrigStmt", "CREATE TRIGGER ... EXECUTE FUNCTION"},
      {"CompositeTypeStmt", "CREATE TYPE ... AS (...)"},
      {"CreateRangeStmt", "CREATE TYPE ... AS RANGE"},
      {"AlterDomainStmt", "ALTER DOMAIN"},
      {"CreateTableAsStmt", "CREATE TABLE ... AS / CREATE MATERIALIZED VIEW"},
      {"CopyStmt", "COPY"}};
  return k;
}

bool worth_parsing(std::string_view statement) {
  const std::string first = sdk::keyword_at(statement, sdk::skip_blank(statement, 0, false));
  return first == "CREATE" || first == "ALTER" || first == "DROP" || first == "COMMENT" || first == "COPY";
}

std::string render_index(const Json& b) {
  if (b.value("accessMethod", "btree") != "btree")
    throw Untranslatable("index method " + b.value("accessMethod", std::string()));
  if (b.contains("indexIncludingParams")) throw Untranslatable("INCLUDE columns");
  // CONCURRENTLY is left out: SQLite builds every index inside its transaction.
  const std::string table = member(b, "relation").value("relname", "");
  std::string keys;
  std::vector<std::string> name_parts;
  for (const auto& p : member(b, "indexParams")) {
    const Json& e = node_body(p);
    std::string key;
    if (e.contains("name")) {
      key = quote_name(e.value("name", ""));
      name_parts.push_back(e.value("name", ""));
    } else {
      key = "(" + render_expr(node_at(e, "expr")) + ")";
      const Json& expr = node_at(e, "expr");
      name_parts.push_back(node_type(expr) == "FuncCall" ? last_name(member(node_body(expr), "funcname")) : "expr");
    }
    if (e.contains("opclass") || e.contains("collation"))
      throw Untranslatable("operator class or collation in an index");
    if (e.value("ordering", "") == "SORTBY_DESC") key += " DESC";
    if (e.value("nulls_ordering", "SORTBY_NULLS_DEFAULT") != "SORTBY_NULLS_DEFAULT")
      throw Untranslatable("NULLS FIRST/LAST");
    keys += (keys.empty() ? "" : ", ") + key;
  }
  std::string name = b.value("idxname", "");
  if (name.empty()) {
    // PostgreSQL's default: table_col1_col2_idx (uniqueness among existing names is not checked).
    name = table;
    for (const auto& p : name_parts) name += "_" + p;
    name += "_idx";
  }
  std::string out = std::string("CREATE ") + (b.value("unique", false) ? "UNIQUE " : "") + "INDEX " +
                    (b.value("if_not_exists", false) ? "IF NOT EXISTS " : "") + quote_name(name) + " ON " +
                    quote_name(table) + " (" + keys + ")";
  if (b.contains("whereClause")) out += " WHERE " + render_expr(b["whereClause"]);
  return out;
}

// DROP TABLE / DROP INDEX, one object at a time as SQLite wants; CASCADE has no meaning there.
void translate_drop(const Json& b, const sdk::Sink& out, std::uint32_t line) {
  const std::string kind = b.value("removeType", "") == "OBJECT_TABLE" ? "TABLE" : "INDEX";
  for (const auto& obj : member(b, "objects")) {
    auto names = string_list(node_type(obj) == "List" ? member(node_body(obj), "items") : obj);
    if (names.empty()) continue;
    out.statement("DROP " + kind + (b.value("missing_ok", false) ? " IF EXISTS " : " ") + quote_name(names.back()),
                  line, 0);
  }
}

unsigned plan_node(const Json& node) {
  const std::string type = node_type(node);
  const Json& b = node_body(node);
  auto refused = refused_kinds().find(type);
  if (refused != refused_kinds().end()) throw Untranslatable(refused->second + " (SQLite has none)");
  if (type == "CreateStmt") {
    table_from_create(b, nullptr);
    return RUNNER_STMT_TRANSLATE;
  }
  if (type == "IndexStmt") {
    // A named index in the form both databases share runs as written; SQLite needs a name, and
    // only SQLite's own expression syntax is known to SQLite.
    if (!b.value("idxname", "").empty() && !b.contains("indexIncludingParams") &&
        b.value("accessMethod", "btree") == "btree" && !b.value("concurrent", false) &&
        !member(b, "relation").contains("schemaname"))
      return 0;
    render_index(b);
    return RUNNER_STMT_TRANSLATE;
  }
  if (type == "CreateEnumStmt" || type == "CommentStmt") return RUNNER_STMT_TRANSLATE;
  // These rebuild tables or rewrite the enum catalog: whether they can is up to the schema.
  constexpr unsigned k_rebuilds = RUNNER_STMT_TRANSLATE | RUNNER_STMT_READS_SCHEMA;
  if (type == "AlterEnumStmt") return k_rebuilds;
  if (type == "AlterTableStmt") {
    // SQLite's own forms wait for the table: on one written for SQLite they run as written.
    if (!sqlite_alter_form(b)) check_alter_table(b);
    return k_rebuilds;
  }
  if (type == "DropStmt") {
    const std::string what = b.value("removeType", "");
    if (what == "OBJECT_TYPE") return k_rebuilds;
    if (what == "OBJECT_TABLE" || what == "OBJECT_INDEX") return RUNNER_STMT_TRANSLATE;
    if (what == "OBJECT_SEQUENCE" || what == "OBJECT_EXTENSION" || what == "OBJECT_FUNCTION" ||
        what == "OBJECT_SCHEMA" || what == "OBJECT_DOMAIN")
      throw Untranslatable("DROP " + what.substr(7) + " (SQLite has none)");
    return 0;
  }
  if (type == "RenameStmt") {
    const std::string what = b.value("renameType", "");
    if (what == "OBJECT_TABCONSTRAINT") return k_rebuilds;
    if (what == "OBJECT_TABLE" || what == "OBJECT_COLUMN") return 0;  // SQLite's ALTER TABLE ... RENAME
    throw Untranslatable("ALTER " + what.substr(7) + " ... RENAME");
  }
  return 0;
}

}  // namespace

unsigned plan_statement(std::string_view statement, std::uint32_t line) {
  if (!worth_parsing(statement)) return 0;
  if (sdk::parse_drop_enum_value(statement)) return RUNNER_STMT_TRANSLATE | RUNNER_STMT_READS_SCHEMA;
  auto node = parse_statement(statement);
  if (!node) return 0;  // SQLite's own SQL
  try {
    return plan_node(*node);
  } catch (const Untranslatable& e) {
    throw sdk::Failure(RUNNER_ERR_USAGE, line, std::string("no SQLite translation for ") + e.what() + k_variant_hint);
  }
}

void translate(std::string_view statement, std::uint32_t line, const runner_query* db, const sdk::Sink& out) {
  if (db == nullptr) throw sdk::Failure(RUNNER_ERR_INTERNAL, line, "the sqlite dialect translates against a database");
  Catalog catalog(db);
  if (auto drop_value = sdk::parse_drop_enum_value(statement)) {
    translate_drop_enum_value(*drop_value, catalog, out, line);
    return;
  }
  auto node = parse_statement(statement);
  if (!node) throw sdk::Failure(RUNNER_ERR_INTERNAL, line, "statement no longer parses");
  const std::string type = node_type(*node);
  const Json& b = node_body(*node);
  try {
    if (type == "CreateStmt") {
      Table t = table_from_create(b, catalog.enum_lookup());
      out.statement(render_create(t, t.name), line, 0);
    } else if (type == "IndexStmt") {
      out.statement(render_index(b), line, 0);
    } else if (type == "CreateEnumStmt") {
      translate_create_enum(b, catalog, out, line);
    } else if (type == "AlterEnumStmt") {
      translate_alter_enum(b, catalog, out, line);
    } else if (type == "AlterTableStmt" && sqlite_alter_form(b) &&
               catalog.written_for_sqlite(member(b, "relation").value("relname", ""))) {
      out.statement(statement, line, 0);
    } else if (type == "AlterTableStmt") {
      check_alter_table(b);
      translate_alter_table(b, catalog, out, line);
    } else if (type == "DropStmt" && b.value("removeType", "") == "OBJECT_TYPE") {
      translate_drop_type(b, catalog, out, line);
    } else if (type == "DropStmt") {
      translate_drop(b, out, line);
    } else if (type == "RenameStmt") {
      translate_rename_constraint(b, catalog, out, line);
    } else if (type == "CommentStmt") {
      // SQLite keeps no comments on objects; the statement has nothing to do there.
    } else {
      out.statement(statement, line, 0);
    }
  } catch (const Untranslatable& e) {
    throw sdk::Failure(RUNNER_ERR_USAGE, line, std::string("no SQLite translation for ") + e.what() + k_variant_hint);
  }
}

}  // namespace runner::sqlite
