// SPDX-License-Identifier: MIT
#include "mysql_translate.hpp"

#include "mysql_catalog.hpp"
#include "mysql_enums.hpp"
#include "mysql_lex.hpp"
#include "mysql_pg_text.hpp"
#include "mysql_table_ddl.hpp"

namespace runner::mysql {
namespace {

constexpr std::uint32_t k_translate = RUNNER_STMT_TRANSLATE | RUNNER_STMT_READS_SCHEMA;

// Statements whose PostgreSQL form the dialect may rewrite: anything else runs as written.
bool worth_parsing(const std::vector<std::string>& w) {
  const auto at = [&](std::size_t k) { return k < w.size() ? w[k] : std::string(); };
  if (at(0) == "CREATE")
    for (std::size_t k = 1; k < w.size(); ++k)
      if (at(k) == "TABLE" || at(k) == "TYPE" || at(k) == "INDEX") return true;
  if (at(0) == "ALTER") return at(1) == "TABLE" || at(1) == "TYPE";
  if (at(0) == "DROP") return at(1) == "TYPE" || at(1) == "INDEX";
  return false;
}

// Column types MySQL has no equivalent for, refused when the run is planned (a ColumnDef anywhere in
// the tree: CREATE TABLE, ADD COLUMN, ALTER COLUMN ... TYPE).
void refuse_types(const Json& node, std::uint32_t line) {
  if (node.is_array()) {
    for (const auto& item : node) refuse_types(item, line);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key() != "ColumnDef") {
      refuse_types(it.value(), line);
      continue;
    }
    const Json& type = member(it.value(), "typeName");
    const std::vector<std::string> names = names_of(member(type, "names"));
    const std::string base = names.empty() ? std::string() : names.back();
    const std::string column = it.value().value("colname", "");
    const auto refuse = [&](const std::string& why) {
      throw sdk::Failure(RUNNER_ERR_USAGE, line,
                         "column " + column + ": " + why +
                             ": write this migration for MySQL in a .up.mysql.sql variant, or use a type both have");
    };
    if (member(type, "arrayBounds").is_array()) refuse("arrays are PostgreSQL's");
    static const char* const k_none[] = {
        "inet",      "cidr",     "macaddr",       "macaddr8",  "interval",  "money",    "xml",     "citext",
        "tsvector",  "tsquery",  "hstore",        "int4range", "int8range", "numrange", "tsrange", "tstzrange",
        "daterange", "point",    "line",          "lseg",      "box",       "path",     "polygon", "circle",
        "oid",       "regclass", "txid_snapshot", "pg_lsn",    "timetz"};
    for (const char* n : k_none)
      if (base == n)
        refuse("the type " + base + " is PostgreSQL's, and MySQL has no equivalent the dialect translates to");
    if (base == "varchar" && !member(type, "typmods").is_array())
      refuse("MySQL's VARCHAR needs a length: write varchar(N), or text");
  }
}

}  // namespace

std::uint32_t plan_translation(std::string_view statement, std::uint32_t line) {
  if (!worth_parsing(leading_words(statement, 6))) return 0;
  if (sdk::parse_drop_enum_value(statement)) return k_translate;
  const std::optional<Json> tree = parse_pg(statement);
  if (!tree) return 0;  // MySQL's own syntax: it runs as written
  const std::string type = node_type(*tree);
  const Json& body = node_body(*tree);
  if (type == "AlterTableStmt")
    for (const auto& cmd : member(body, "cmds"))
      if (node_body(cmd).value("subtype", "") == "AT_AlterColumnType" &&
          !member(node_body(member(node_body(cmd), "def")), "raw_default").is_null())
        throw sdk::Failure(RUNNER_ERR_USAGE, line,
                           "ALTER COLUMN ... TYPE ... USING has no MySQL equivalent (MODIFY COLUMN converts the values "
                           "its own way): write this migration for MySQL in a .up.mysql.sql variant");
  if (type == "RenameStmt" && body.value("renameType", "") == "OBJECT_TABCONSTRAINT")
    throw sdk::Failure(RUNNER_ERR_USAGE, line,
                       "RENAME CONSTRAINT has no MySQL equivalent: write this migration for MySQL in a .up.mysql.sql "
                       "variant (drop and add the constraint)");
  if (type == "CreateStmt" || type == "AlterTableStmt") refuse_types(body, line);
  if (type == "CreateEnumStmt" || type == "CreateStmt" || type == "AlterTableStmt") return k_translate;
  if (type == "AlterEnumStmt") {
    if (!body.value("oldVal", "").empty())
      throw sdk::Failure(RUNNER_ERR_USAGE, line,
                         "ALTER TYPE ... RENAME VALUE is not translated for MySQL (the rows holding the label would "
                         "have to change with it): write it for MySQL in a .up.mysql.sql variant");
    return k_translate;
  }
  if (type == "DropStmt") {
    const std::string kind = body.value("removeType", "");
    return kind == "OBJECT_TYPE" || kind == "OBJECT_INDEX" ? k_translate : 0;
  }
  if (type == "IndexStmt") return RUNNER_STMT_TRANSLATE;
  if (type == "CompositeTypeStmt" || type == "CreateRangeStmt" || type == "CreateDomainStmt" || type == "AlterEnumStmt")
    throw sdk::Failure(RUNNER_ERR_USAGE, line,
                       "this type has no MySQL equivalent: write this migration for MySQL in a .up.mysql.sql "
                       "variant");
  return 0;
}

void translate(std::string_view sql, std::uint32_t line, const runner_query* db, const sdk::Sink& out) {
  const Catalog catalog(db);
  if (auto drop = sdk::parse_drop_enum_value(sql)) {
    drop_enum_value(*drop, catalog, out, line);
    return;
  }
  const std::optional<Json> tree = parse_pg(sql);
  if (!tree) throw sdk::Failure(RUNNER_ERR_INTERNAL, line, "nothing to translate");
  const std::string type = node_type(*tree);
  const Json& body = node_body(*tree);
  if (type == "CreateEnumStmt") return create_enum(body, catalog, out, line);
  if (type == "AlterEnumStmt") return add_enum_value(body, catalog, out, line);
  if (type == "CreateStmt") return create_table(sql, body, catalog, out, line);
  if (type == "AlterTableStmt") return alter_table(sql, body, catalog, out, line);
  if (type == "IndexStmt") return create_index(sql, body, out, line);
  if (type == "DropStmt" && body.value("removeType", "") == "OBJECT_TYPE") return drop_type(body, catalog, out, line);
  if (type == "DropStmt" && body.value("removeType", "") == "OBJECT_INDEX") return drop_index(body, catalog, out, line);
  throw sdk::Failure(RUNNER_ERR_INTERNAL, line, "nothing to translate");
}

}  // namespace runner::mysql
