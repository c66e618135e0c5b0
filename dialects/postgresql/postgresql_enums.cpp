// SPDX-License-Identifier: MIT
#include "postgresql_enums.hpp"

#include "postgresql_split.hpp"

#include <pg_query.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <vector>

namespace runner::postgresql {
namespace {

// The server's version number (150004), or 0 when it cannot be asked.
long server_version(const runner_query* db) {
  if (db == nullptr) return 0;
  long version = 0;
  try {
    sdk::query_rows(db, "SHOW server_version_num", [&](uint32_t n, const char* const* values) {
      if (n > 0 && values[0] != nullptr) version = std::atol(values[0]);
    });
  } catch (const sdk::Failure&) {
    return 0;
  }
  return version;
}

struct AddValue {
  std::string value;
  std::size_t end;  // byte offset just past the statement
  std::uint32_t line;
};

}  // namespace

std::string drop_enum_value_sql(const sdk::DropEnumValue& s) {
  const std::string tag = "$runner_drop_value$";
  if ((s.schema + s.type + s.value).find(tag) != std::string::npos)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0, "a type name or label containing " + tag + " cannot be dropped this way");
  const std::string type = (s.schema.empty() ? "" : sdk::double_quote(s.schema) + ".") + sdk::double_quote(s.type);
  const std::string label = sdk::single_quote(s.value);
  // Everything is quoted by format(%I, %L) inside the block; the two inputs arrive as literals.
  return "DO $runner_drop_value$\n"
         "DECLARE\n"
         "  old_type regtype := to_regtype(" +
         sdk::single_quote(type) +
         ");\n"
         "  label text := " +
         label +
         ";\n"
         "  schema_name name;\n"
         "  type_name name;\n"
         "  labels text;\n"
         "  col record;\n"
         "  n bigint;\n"
         "BEGIN\n"
         "  IF old_type IS NULL THEN\n"
         "    RAISE EXCEPTION 'type % does not exist', " +
         sdk::single_quote(type) +
         " USING ERRCODE = 'undefined_object';\n"
         "  END IF;\n"
         "  IF NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = old_type AND enumlabel = label) THEN\n"
         "    RAISE EXCEPTION '% is not an existing enum label of type %', quote_literal(label), old_type\n"
         "      USING ERRCODE = 'invalid_parameter_value';\n"
         "  END IF;\n"
         "  SELECT n.nspname, t.typname INTO schema_name, type_name\n"
         "    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = old_type;\n"
         "  CREATE TEMP TABLE runner_enum_columns ON COMMIT DROP AS\n"
         "    SELECT a.attrelid::regclass AS tbl, a.attname AS col, pg_get_expr(d.adbin, d.adrelid) AS def\n"
         "      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid\n"
         "      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
         "     WHERE a.atttypid = old_type AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p');\n"
         "  FOR col IN SELECT * FROM runner_enum_columns LOOP\n"
         "    EXECUTE format('SELECT count(*) FROM %s WHERE %I = %L', col.tbl, col.col, label) INTO n;\n"
         "    IF n > 0 THEN\n"
         "      RAISE EXCEPTION 'cannot drop value % of type %: table %, column % holds it in % row(s)',\n"
         "        quote_literal(label), old_type, col.tbl, quote_ident(col.col), n\n"
         "        USING ERRCODE = 'dependent_objects_still_exist', HINT = 'update or delete those rows first';\n"
         "    END IF;\n"
         "  END LOOP;\n"
         "  SELECT string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder) INTO labels\n"
         "    FROM pg_enum WHERE enumtypid = old_type AND enumlabel <> label;\n"
         "  EXECUTE format('CREATE TYPE %I.%I AS ENUM (%s)', schema_name, 'runner_new_' || type_name, coalesce(labels, "
         "''));\n"
         "  FOR col IN SELECT * FROM runner_enum_columns LOOP\n"
         "    IF col.def IS NOT NULL THEN\n"
         "      EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', col.tbl, col.col);\n"
         "    END IF;\n"
         "    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE %I.%I USING %I::text::%I.%I', col.tbl, col.col,\n"
         "      schema_name, 'runner_new_' || type_name, col.col, schema_name, 'runner_new_' || type_name);\n"
         "  END LOOP;\n"
         "  EXECUTE format('DROP TYPE %s', old_type);\n"
         "  EXECUTE format('ALTER TYPE %I.%I RENAME TO %I', schema_name, 'runner_new_' || type_name, type_name);\n"
         "  FOR col IN SELECT * FROM runner_enum_columns WHERE def IS NOT NULL LOOP\n"
         "    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', col.tbl, col.col, col.def);\n"
         "  END LOOP;\n"
         "  DROP TABLE runner_enum_columns;\n"
         "END\n"
         "$runner_drop_value$";
}

void review_enum_changes(std::string_view sql, std::uint32_t options, const runner_query* db, const sdk::Sink& out) {
  if (!(options & RUNNER_REVIEW_IN_TRANSACTION)) return;  // each statement commits by itself
  // A file without the word VALUE (VALUES is another word) holds no ADD VALUE: skip splitting it a
  // second time, which would double the plan's cost on every run and on every data file.
  if (sdk::find_ignoring_case(sql, "value", true) == std::string_view::npos) return;
  // The splitter's windowed scan: scanning the whole file at once would hold its every token.
  std::vector<AddValue> adds;
  sdk::LineCounter lines(sql);
  for (const Piece& piece : scan_pieces(sql)) {
    const std::size_t offset = piece.offset, length = piece.length;
    std::string_view stmt = sql.substr(offset, length);
    std::size_t first = sdk::skip_blank(stmt, 0, true);
    if (sdk::keyword_at(stmt, first) != "ALTER") continue;
    std::string one(stmt);
    PgQueryParseResult parsed = pg_query_parse(one.c_str());
    if (parsed.error == nullptr) {
      auto tree = nlohmann::json::parse(parsed.parse_tree, nullptr, false);
      for (const auto& s : tree.value("stmts", nlohmann::json::array())) {
        const auto& node = s.value("stmt", nlohmann::json::object());
        if (!node.contains("AlterEnumStmt")) continue;
        const auto& e = node["AlterEnumStmt"];
        if (e.contains("oldVal")) continue;  // RENAME VALUE runs anywhere
        adds.push_back({e.value("newVal", ""), offset + length, lines.at(offset + first)});
      }
    }
    pg_query_free_parse_result(parsed);
  }
  if (adds.empty()) return;

  const long version = server_version(db);
  if (version > 0 && version < 120000) {
    out.diagnostic(RUNNER_DIAG_ERROR, adds.front().line, "enum-add-value-in-transaction",
                   "ALTER TYPE ... ADD VALUE cannot run inside a transaction block on PostgreSQL " +
                       std::to_string(version / 10000) + " (before 12); put it in a migration of its own " +
                       "with `-- runner:no-transaction` as its first line");
    return;
  }
  for (const auto& add : adds) {
    for (const auto& [at, value] : sdk::string_literals(sql.substr(add.end))) {
      if (value != add.value) continue;
      out.diagnostic(RUNNER_DIAG_ERROR, sdk::line_at(sql, add.end + at), "enum-new-value-used-in-transaction",
                     "uses the enum value '" + add.value + "' that line " + std::to_string(add.line) +
                         " adds in the same transaction, which PostgreSQL refuses (unsafe use of new value); " +
                         "move the statements using it to a later migration, or add " +
                         "`-- runner:no-transaction` as the first line of this file");
      break;  // one finding per added value
    }
  }
}

}  // namespace runner::postgresql
