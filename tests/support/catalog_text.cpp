// SPDX-License-Identifier: MIT
#include "tests/support/catalog_text.hpp"

#include "tests/support/database_probe.hpp"

#include <algorithm>

namespace runner::test {
namespace {

std::vector<std::string> sorted_lines(DatabaseProbe& probe, const std::vector<std::string>& queries) {
  std::vector<std::string> lines;
  for (const auto& q : queries)
    for (const auto& row : probe.rows(q)) lines.push_back(row.at(0));
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace

std::vector<std::string> mysql_catalog(DatabaseProbe& probe, const std::string& database) {
  const std::string db = sql_literal(database);
  const std::string not_ours = " NOT LIKE 'runner|_%' ESCAPE '|'";
  return sorted_lines(
      probe,
      {
          "SELECT CONCAT('table ', TABLE_NAME, ' ', ENGINE) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + db +
              " AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME" + not_ours,
          "SELECT CONCAT('column ', TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' default ', "
          "IFNULL(COLUMN_DEFAULT, '-'), ' ', EXTRA, ' ', IFNULL(COLLATION_NAME, '')) FROM information_schema.COLUMNS "
          "WHERE TABLE_SCHEMA = " +
              db + " AND TABLE_NAME" + not_ours,
          "SELECT CONCAT('index ', TABLE_NAME, '.', INDEX_NAME, IF(NON_UNIQUE = 0, ' unique', ''), ' (', "
          "GROUP_CONCAT(CONCAT(COLUMN_NAME, IFNULL(CONCAT('(', SUB_PART, ')'), '')) ORDER BY SEQ_IN_INDEX), ')') "
          "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
              db + " AND TABLE_NAME" + not_ours + " GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE",
          "SELECT CONCAT('foreign key ', r.TABLE_NAME, '.', r.CONSTRAINT_NAME, ' -> ', r.REFERENCED_TABLE_NAME, ' on "
          "update ', r.UPDATE_RULE, ' on delete ', r.DELETE_RULE) FROM information_schema.REFERENTIAL_CONSTRAINTS r "
          "WHERE r.CONSTRAINT_SCHEMA = " +
              db,
          "SELECT CONCAT('check ', TABLE_NAME, '.', CONSTRAINT_NAME, ' ', CHECK_CLAUSE) FROM "
          "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
              db + " AND TABLE_NAME" + not_ours,
          "SELECT CONCAT('view ', TABLE_NAME, ' ', VIEW_DEFINITION) FROM information_schema.VIEWS WHERE TABLE_SCHEMA "
          "= " +
              db,
          "SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME, ' ', MD5(ROUTINE_DEFINITION)) FROM "
          "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = " +
              db,
          "SELECT CONCAT('trigger ', TRIGGER_NAME, ' ', ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ', "
          "EVENT_OBJECT_TABLE, "
          "' ', MD5(ACTION_STATEMENT)) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
              db,
      });
}

std::vector<std::string> sqlite_catalog(DatabaseProbe& probe) {
  // SQLite's catalog is its pragmas: the stored CREATE TABLE text is whatever statement made the
  // table (the sqlite plugin writes its own when it translates one), so tables are compared by
  // what SQLite reads from it. Views and triggers, which run as written, by their text.
  const std::string tables =
      "FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'runner\\_%' ESCAPE '\\' "
      "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
  return sorted_lines(
      probe,
      {
          "SELECT 'table ' || m.name " + tables,
          "SELECT 'column ' || m.name || '.' || p.name || ' ' || upper(p.type)"
          " || CASE WHEN p.\"notnull\" THEN ' not null' ELSE '' END || coalesce(' default ' || p.dflt_value, '')"
          " || CASE WHEN p.pk > 0 THEN ' key ' || p.pk ELSE '' END"
          " FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
          " AND m.name NOT LIKE 'runner\\_%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
          "SELECT 'foreign key ' || m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.'"
          " || coalesce(f.\"to\", (SELECT k.name FROM pragma_table_info(f.\"table\") k WHERE k.pk = f.seq + 1), '?')"
          " || ' on update ' || f.on_update || ' on delete ' || f.on_delete"
          " FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
          " AND m.name NOT LIKE 'runner\\_%' ESCAPE '\\'",
          "SELECT 'index on ' || m.name || ' (' || (SELECT group_concat(coalesce(ii.name, '<expr>'), ',')"
          " FROM pragma_index_info(il.name) ii) || ')' || CASE WHEN il.\"unique\" THEN ' unique' ELSE '' END"
          " || ' ' || il.origin || CASE WHEN il.origin = 'c' THEN ' ' || il.name ELSE '' END"
          " || coalesce(' ' || (SELECT x.sql FROM sqlite_master x WHERE x.type = 'index' AND x.name = il.name), '')"
          " FROM sqlite_master m JOIN pragma_index_list(m.name) il WHERE m.type = 'table'"
          " AND m.name NOT LIKE 'runner\\_%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
          "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_master"
          " WHERE type IN ('view', 'trigger') AND name NOT LIKE 'runner\\_%' ESCAPE '\\'",
      });
}

std::vector<std::string> postgresql_catalog(DatabaseProbe& probe, const std::string& schema) {
  const std::string ns = "n.nspname = " + sql_literal(schema);
  const std::string mine = " AND c.relname NOT LIKE 'runner\\_%' ESCAPE '\\'";
  return sorted_lines(
      probe,
      {
          "SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
          " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
          " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')"
          " || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity' ELSE '' END"
          " || CASE a.attgenerated WHEN 's' THEN ' generated' ELSE '' END"
          " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
          " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
          " WHERE " +
              ns + mine + " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped",
          "SELECT 'constraint ' || c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)"
          " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = "
          "c.relnamespace"
          " WHERE " +
              ns + mine,
          "SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
          " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
              ns + mine,
          "SELECT 'view ' || c.relname || ' ' || pg_get_viewdef(c.oid) FROM pg_class c"
          " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
              ns + " AND c.relkind IN ('v', 'm')",
          "SELECT 'sequence ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          " WHERE " +
              ns + mine + " AND c.relkind = 'S'",
          "SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '"
          " || md5(pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
          " WHERE " +
              ns + " AND p.prokind IN ('f', 'p')",
          "SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
          " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
              ns + " AND NOT t.tgisinternal",
          "SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)"
          " FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace"
          " WHERE " +
              ns + " GROUP BY t.typname",
          "SELECT 'extension ' || extname FROM pg_extension",
      });
}

std::string catalog_difference(const std::vector<std::string>& left, const std::vector<std::string>& right) {
  std::vector<std::string> only_left, only_right;
  std::set_difference(left.begin(), left.end(), right.begin(), right.end(), std::back_inserter(only_left));
  std::set_difference(right.begin(), right.end(), left.begin(), left.end(), std::back_inserter(only_right));
  std::string out;
  for (const auto& l : only_left) out += "- " + l + "\n";
  for (const auto& r : only_right) out += "+ " + r + "\n";
  return out;
}

}  // namespace runner::test
