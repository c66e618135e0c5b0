// SPDX-License-Identifier: MIT
#include "sqlite_lint.hpp"

#include "plugins/sdk/pg_lint.hpp"
#include "plugins/sdk/pg_scan.hpp"
#include "sqlite_catalog.hpp"
#include "sqlite_expr.hpp"
#include "sqlite_split.hpp"
#include "sqlite_statement_target.hpp"
#include "sqlite_translate.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace runner::sqlite {
namespace {

using sdk::lint::member;
using sdk::lint::str;

constexpr const char* k_rebuild_fix =
    "run it when writes can pause for as long as the copy takes (time it on a copy of the database: runner "
    "upgrade --backup keeps one); to keep the table in place, change it the way SQLite's own ALTER TABLE can "
    "(ADD COLUMN with a constant default, RENAME)";

// Whether an ADD COLUMN is one SQLite's own ALTER TABLE takes: no key or constraint, a constant
// default, and NOT NULL only with a default (sqlite.org/lang_altertable.html).
bool native_add_column(const sdk::lint::Json& def) {
  bool not_null = false, has_default = false;
  for (const auto& item : member(def, "constraints")) {
    const auto& k = member(item, "Constraint");
    const std::string kind = str(k, "contype");
    if (kind == "CONSTR_NOTNULL") {
      not_null = true;
    } else if (kind == "CONSTR_DEFAULT") {
      has_default = true;
      if (!is_constant(member(k, "raw_expr"))) return false;
    } else if (kind != "CONSTR_NULL") {
      return false;  // a key, a check, a reference, a generated column
    }
  }
  const std::string type = sdk::lint::type_name(member(def, "typeName"));
  if (type.find("serial") != std::string::npos) return false;
  return !not_null || has_default;
}

// SQLite's spellings of what PostgreSQL also has, rewritten for the rules' reading only: [name] and
// `name` quoted as "name", and UPDATE OR IGNORE (OR REPLACE, ...) as UPDATE.
std::string as_postgresql(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // copied whole: a string, or a name already quoted
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '[' || c == '`') {
      const std::size_t end = sql.find(c == '[' ? ']' : '`', i + 1);
      if (end == std::string_view::npos) return std::string(sql);
      out += '"';
      out.append(sql.substr(i + 1, end - i - 1));
      out += '"';
      i = end;
    } else {
      out += c;
    }
  }
  const std::size_t at = sdk::skip_blank(out, 0, false);
  if (sdk::keyword_at(out, at) == "UPDATE") {
    const std::size_t or_at = sdk::skip_blank(out, at + 6, false);
    if (sdk::keyword_at(out, or_at) == "OR") {
      const std::size_t what = sdk::skip_blank(out, or_at + 2, false);
      out.erase(or_at, what + sdk::keyword_at(out, what).size() - or_at);
    }
  }
  return out;
}

class SqliteLint {
 public:
  SqliteLint(std::uint32_t options, const runner_query* db) : file_(options), db_(db) {}

  void statement(const sdk::lint::Statement& s) {
    file_.begin_statement(s.index);
    // SQLite runs as written what it is not asked to translate (what PostgreSQL's grammar rejects,
    // and the rest but the portable DDL): its own parser judges that.
    unsigned plan = 0;
    if (!file_.as_written()) {
      try {
        plan = plan_statement(s.sql, s.line);
      } catch (const sdk::Failure&) {
        plan = RUNNER_STMT_TRANSLATE;  // refused by the plan, which the host reports
      }
    }
    if (!(plan & RUNNER_STMT_TRANSLATE)) sqlite_syntax(s);
    if (!s.type().empty()) {
      sdk::lint::shared_rules(s, file_);
      if (!file_.as_written()) rebuild_rules(s);
      file_.track_created(s);
      return;
    }
    // SQLite's own spelling ([name], UPDATE OR IGNORE, AUTOINCREMENT): the shared rules read it
    // through PostgreSQL's grammar where a few spellings are all that differ.
    sdk::lint::Statement read = s;
    read.node = sdk::lint::parse(as_postgresql(s.sql));
    if (!read.type().empty()) {
      sdk::lint::shared_rules(read, file_);
      file_.track_created(read);
    } else {
      track_sqlite_create(s);
    }
  }

  void data_load(const sdk::lint::Statement& s) {
    file_.begin_statement(s.index);
    sqlite_syntax(s);
  }

  void finish(const sdk::Sink& out) {
    file_.emit(out, [&](const std::string& table) { return size(table); });
  }

 private:
  void rebuild_rules(const sdk::lint::Statement& s) {
    const std::string type = s.type();
    const auto& b = s.body();
    if (type == "AlterTableStmt" && str(b, "objtype") == "OBJECT_TABLE") {
      const std::string table = str(member(b, "relation"), "relname");
      if (file_.created_here(table)) return;
      std::string why;
      for (const auto& cmd : member(b, "cmds")) {
        const auto& c = member(cmd, "AlterTableCmd");
        const std::string subtype = str(c, "subtype");
        if (subtype == "AT_AddColumn" && native_add_column(member(member(c, "def"), "ColumnDef"))) continue;
        why = subtype == "AT_AddColumn"    ? "ADD COLUMN with a key, a check, a reference or a non-constant default"
              : subtype == "AT_DropColumn" ? "DROP COLUMN"
              : subtype == "AT_AlterColumnType" ? "ALTER COLUMN ... TYPE (each value is converted as it is copied)"
              : subtype == "AT_AddConstraint"   ? "ADD CONSTRAINT"
              : subtype == "AT_DropConstraint"  ? "DROP CONSTRAINT"
              : subtype == "AT_SetNotNull"      ? "SET NOT NULL"
              : subtype == "AT_DropNotNull"     ? "DROP NOT NULL"
              : subtype == "AT_ColumnDefault"   ? "SET/DROP DEFAULT"
                                                : "ALTER TABLE";
        break;
      }
      if (why.empty()) return;
      // A single ADD or DROP COLUMN on a table written in SQLite's own SQL runs as written.
      const auto& cmds = member(b, "cmds");
      if (db_ != nullptr && cmds.size() == 1) {
        const std::string subtype = str(member(cmds[0], "AlterTableCmd"), "subtype");
        if ((subtype == "AT_AddColumn" || subtype == "AT_DropColumn") && written_for_sqlite(table)) return;
      }
      rebuild(s, table, why);
    } else if (type == "RenameStmt" && str(b, "renameType") == "OBJECT_TABCONSTRAINT") {
      const std::string table = str(member(b, "relation"), "relname");
      if (!file_.created_here(table)) rebuild(s, table, "RENAME CONSTRAINT");
    } else if (type == "AlterEnumStmt" || sdk::parse_drop_enum_value(s.sql)) {
      enum_rebuild(s, type == "AlterEnumStmt" ? sdk::lint::names(member(b, "typeName"))
                                              : std::vector<std::string>{sdk::parse_drop_enum_value(s.sql)->type});
    }
  }

  void rebuild(const sdk::lint::Statement& s, const std::string& table, const std::string& why) {
    file_.add({RUNNER_DIAG_WARNING, s.line, "sqlite-table-rebuild",
               why + " rebuilds " + table +
                   " on SQLite: runner creates the new table, copies every row, drops the old one and renames it, "
                   "inside the migration's transaction; writers wait on the whole database meanwhile",
               k_rebuild_fix, table});
  }

  void enum_rebuild(const sdk::lint::Statement& s, const std::vector<std::string>& type_names) {
    if (type_names.empty()) return;
    const std::string type = type_names.back();
    if (db_ == nullptr) {
      file_.add({RUNNER_DIAG_WARNING, s.line, "sqlite-table-rebuild",
                 "changing enum type " + type +
                     " rebuilds every table with a column of that type on SQLite (its CHECK lists the values): each "
                     "copies every row inside the migration's transaction",
                 k_rebuild_fix, ""});
      return;
    }
    std::vector<std::string> tables;
    try {
      for (const auto& user : Catalog(db_).enum_users(type))
        if (std::find(tables.begin(), tables.end(), user.table) == tables.end()) tables.push_back(user.table);
    } catch (const sdk::Failure&) {
      return;  // the enum catalog cannot be read: the plan will say why
    }
    for (const auto& table : tables)
      if (!file_.created_here(table)) rebuild(s, table, "changing enum type " + type);
  }

  void sqlite_syntax(const sdk::lint::Statement& s) {
    if (scratch_ == nullptr && sqlite3_open_v2(":memory:", &scratch_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      return;
    sqlite3_stmt* stmt = nullptr;
    // Preparing compiles without running; on an empty database only the grammar can fail it by
    // name ("no such table" is no syntax error).
    const int rc = sqlite3_prepare_v2(scratch_, s.sql.c_str(), static_cast<int>(s.sql.size()), &stmt, nullptr);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_OK) return;
    const std::string why = sqlite3_errmsg(scratch_);
    if (why.find("syntax error") == std::string::npos && why.find("incomplete input") == std::string::npos &&
        why.find("unrecognized token") == std::string::npos)
      return;
    file_.add({RUNNER_DIAG_ERROR, s.line, "syntax-error", "SQLite's grammar rejects the statement: " + why,
               "correct the statement; the run fails on it", "", true});
  }

  // CREATE TABLE in SQLite's own SQL (AUTOINCREMENT, WITHOUT ROWID, STRICT): the file's table too.
  void track_sqlite_create(const sdk::lint::Statement& s) {
    if (sdk::find_ignoring_case(s.sql, "exists", true) != std::string_view::npos) return;  // IF NOT EXISTS
    struct Target {
      std::string kind, table, schema;
    } t;
    runner_sink sink{};
    sink.ctx = &t;
    sink.statement = [](void*, const char*, size_t, uint32_t, uint32_t) {};
    sink.field = [](void* ctx, const char* key, const char* value, size_t len) {
      auto* target = static_cast<Target*>(ctx);
      const std::string k = key;
      (k == "kind" ? target->kind : k == "table" ? target->table : target->schema).assign(value, len);
    };
    sink.error = [](void*, int, uint32_t, const char*) {};
    sink.diagnostic = [](void*, int, uint32_t, const char*, const char*) {};
    describe_statement_target(s.sql, sdk::Sink(&sink));
    if (t.kind == "create_table") file_.note_created(t.schema.empty() ? t.table : t.schema + "." + t.table);
  }

  bool written_for_sqlite(const std::string& table) {
    try {
      return Catalog(db_).written_for_sqlite(table);
    } catch (const sdk::Failure&) {
      return false;
    }
  }

  // Rows from ANALYZE's sqlite_stat1 when it has the table, else counted; bytes from dbstat when
  // SQLite was built with it.
  std::optional<sdk::lint::TableSize> size(const std::string& written) {
    if (db_ == nullptr) return std::nullopt;
    Catalog catalog(db_);
    // SQLite folds names without regard to case, and "main." is the database itself.
    std::string table = written;
    if (table.size() > 5 && sdk::find_ignoring_case(table.substr(0, 5), "main.") == 0) table = table.substr(5);
    std::string name;
    try {
      const auto found =
          catalog.rows("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = " + sdk::single_quote(table) +
                       " COLLATE NOCASE LIMIT 1");
      if (found.empty() || found[0].empty() || !found[0][0]) return std::nullopt;
      table = *found[0][0];
      name = sdk::single_quote(table);
    } catch (const sdk::Failure&) {
      return std::nullopt;
    }
    sdk::lint::TableSize out;
    try {
      for (const auto& row : catalog.rows("SELECT stat FROM sqlite_stat1 WHERE tbl = " + name + " LIMIT 1"))
        if (!row.empty() && row[0]) {
          out.rows = std::atoll(row[0]->c_str());
          out.rows_source = "sqlite_stat1";
        }
    } catch (const sdk::Failure&) {
      // no ANALYZE yet
    }
    if (out.rows < 0) {
      out.rows = catalog.count("SELECT count(*) FROM " + sdk::double_quote(table));
      out.rows_source = "count";
    }
    try {
      for (const auto& row : catalog.rows("SELECT sum(pgsize) FROM dbstat WHERE name = " + name))
        if (!row.empty() && row[0]) out.bytes = std::atoll(row[0]->c_str());
    } catch (const sdk::Failure&) {
      // SQLite without the dbstat table
    }
    return out;
  }

  sdk::lint::FileLint file_;
  const runner_query* db_;
  sqlite3* scratch_ = nullptr;  // an empty database whose parser judges SQLite's own statements

 public:
  ~SqliteLint() { sqlite3_close(scratch_); }
  SqliteLint(const SqliteLint&) = delete;
  SqliteLint& operator=(const SqliteLint&) = delete;
};

}  // namespace

void lint(std::string_view sql, std::uint32_t options, const runner_query* db, const sdk::Sink& out) {
  SqliteLint rules(options, db);
  // As written: the plan's own refusals are the host's to report; here only what the rules see.
  for (auto& s :
       sdk::lint::read_statements(sql, [](std::string_view text, const sdk::Sink&sink) { split(text, sink, false); })) {
    // Data loads are no rule's concern, and a seed file's trees would take gigabytes.
    const std::string first = sdk::keyword_at(s.sql, sdk::skip_blank(s.sql, 0, false));
    if (first == "INSERT" || first == "REPLACE" || first == "VALUES") {
      rules.data_load(s);  // SQLite's parser alone, which costs what splitting does
      continue;
    }
    s.node = sdk::lint::parse(s.sql);
    rules.statement(s);
    s.node = sdk::lint::Json();
  }
  rules.finish(out);
}

}  // namespace runner::sqlite
