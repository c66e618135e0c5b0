// SPDX-License-Identifier: MIT
#include "postgresql_lint.hpp"

#include "plugins/sdk/pg_lint.hpp"
#include "plugins/sdk/pg_scan.hpp"
#include "postgresql_enums.hpp"
#include "postgresql_lint_catalog.hpp"
#include "postgresql_split.hpp"
#include "postgresql_type_change.hpp"

#include <set>
#include <utility>

namespace runner::postgresql {
namespace {

using sdk::lint::Finding;
using sdk::lint::Json;
using sdk::lint::member;
using sdk::lint::str;

constexpr std::size_t k_max_identifier = 63;  // NAMEDATALEN - 1: longer names are cut silently

constexpr const char* k_no_transaction_fix =
    "in a migration of its own whose first line is -- runner:no-transaction (runner resumes it "
    "statement by statement if it stops part-way)";

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// Built-in functions a column default may call without rewriting the table (not volatile).
const std::set<std::string>& stable_functions() {
  static const std::set<std::string> k = {"now",
                                          "statement_timestamp",
                                          "transaction_timestamp",
                                          "current_date",
                                          "localtimestamp",
                                          "lower",
                                          "upper",
                                          "trim",
                                          "btrim",
                                          "concat",
                                          "length",
                                          "abs",
                                          "round",
                                          "to_char",
                                          "to_timestamp",
                                          "to_date",
                                          "make_date",
                                          "make_interval",
                                          "jsonb_build_object",
                                          "json_build_object",
                                          "jsonb_build_array",
                                          "json_build_array",
                                          "array_fill",
                                          "timezone",
                                          "date_trunc",
                                          "coalesce",
                                          "nullif",
                                          "greatest",
                                          "least"};
  return k;
}

const std::set<std::string>& volatile_functions() {
  static const std::set<std::string> k = {
      "random",    "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp",
      "timeofday", "nextval",         "setseed",          "txid_current",       "random_normal"};
  return k;
}

// The names of the functions an expression calls, anywhere in it.
void called_functions(const Json& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "FuncCall") {
        const std::vector<std::string> name = sdk::lint::names(member(it.value(), "funcname"));
        if (!name.empty()) out.push_back(name.back());
      }
      called_functions(it.value(), out);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) called_functions(item, out);
  }
}

// Whether a CHECK expression proves `column` IS NOT NULL, as PostgreSQL's proof does it: the test
// itself, or one of the terms of an AND.
bool proves_not_null(const Json& expr, const std::string& column) {
  const Json& test = member(expr, "NullTest");
  if (!test.empty()) {
    const std::vector<std::string> col =
        sdk::lint::names(member(member(test, "arg"), "ColumnRef").value("fields", Json()));
    return str(test, "nulltesttype") == "IS_NOT_NULL" && col.size() == 1 && col[0] == column;
  }
  const Json& b = member(expr, "BoolExpr");
  if (str(b, "boolop") != "AND_EXPR") return false;
  for (const auto& arg : member(b, "args"))
    if (proves_not_null(arg, column)) return true;
  return false;
}

class PostgresqlLint {
 public:
  PostgresqlLint(std::uint32_t options, const runner_query* db) : file_(options), catalog_(db) {}

  void statement(const sdk::lint::Statement& s) {
    file_.begin_statement(s.index);
    const std::string type = s.type();
    if (type.empty()) {
      if (sdk::parse_drop_enum_value(s.sql)) return;  // runner's own DROP VALUE, which the dialect emulates
      std::string why;
      sdk::lint::parse(s.sql, &why);
      // Only a real statement: a psql meta-command is refused by the plan, with its own message.
      if (!why.empty())
        file_.add({RUNNER_DIAG_ERROR, s.line, "syntax-error", "PostgreSQL's grammar rejects the statement: " + why,
                   "correct the statement; the run fails on it", "", true});
      return;
    }
    sdk::lint::shared_rules(s, file_);
    long_identifiers(s);
    if (type == "IndexStmt") index_rules(s);
    if (type == "DropStmt") drop_rules(s);
    if (type == "DropdbStmt")
      file_.add({file_.destructive_level(), s.line, "ban-drop-database",
                 "DROP DATABASE " + str(s.body(), "dbname") + " deletes a whole database for good",
                 "drop databases by hand, never from a migration", ""});
    if (type == "AlterTableStmt") alter_table_rules(s);
    if (type == "VacuumStmt") vacuum_rules(s);
    if (type == "ClusterStmt") {
      const std::string table = sdk::lint::relation_name(member(s.body(), "relation"));
      file_.add({RUNNER_DIAG_ERROR, s.line, "prefer-repack",
                 "CLUSTER rewrites " + (table.empty() ? std::string("every clustered table") : table) +
                     " holding ACCESS EXCLUSIVE: no query reads or writes it until the rewrite ends",
                 "use pg_repack (or pg_squeeze), which rewrites online, outside the migration", table});
      locking(s, table);
    }
    if (type == "ReindexStmt") reindex_rules(s);
    if (type == "VariableSetStmt") set_rules(s);
    if (type == "RenameStmt" || type == "AlterObjectSchemaStmt" || type == "CreateTrigStmt") {
      // Brief ACCESS EXCLUSIVE locks: brief once granted, but queued behind any long transaction.
      const std::string table = sdk::lint::relation_name(member(s.body(), "relation"));
      if (!table.empty() && !file_.created_here(table)) locking(s, table);
    }
    if (type == "LockStmt")
      for (const auto& r : member(s.body(), "relations")) {
        const std::string table = sdk::lint::relation_name(member(r, "RangeVar"));
        if (!file_.created_here(table)) locking(s, table);
      }
    if (type == "SelectStmt" && sdk::find_ignoring_case(s.sql, "set_config", true) != std::string_view::npos) {
      // SELECT set_config('lock_timeout', '2s', ...): the literal after the name is the value.
      const auto literals = sdk::string_literals(s.sql);
      for (std::size_t i = 0; i + 1 < literals.size(); ++i)
        if (literals[i].second == "lock_timeout") {
          const std::string& v = literals[i + 1].second;
          lock_timeout_set_ = !(v == "0" || v == "0s" || v == "0ms" || v.empty());
        }
    }
    if (type == "TruncateStmt")
      for (const auto& r : member(s.body(), "relations")) {
        const std::string table = sdk::lint::relation_name(member(r, "RangeVar"));
        if (!file_.created_here(table)) locking(s, table);
      }
    if (type == "CreateStmt") create_table_rules(s);
    if (type == "CreateDomainStmt" && !member(s.body(), "constraints").empty())
      file_.add({RUNNER_DIAG_WARNING, s.line, "ban-create-domain-with-constraint",
                 "a domain's CHECK is checked against every column of the type whenever it changes, and a later ALTER "
                 "DOMAIN ... ADD CONSTRAINT scans them all holding locks",
                 "put the CHECK on the table's column instead", ""});
    if (type == "AlterDomainStmt" && str(s.body(), "subtype") == "C")
      file_.add({RUNNER_DIAG_WARNING, s.line, "ban-alter-domain-with-add-constraint",
                 "ALTER DOMAIN ... ADD CONSTRAINT scans every column of the domain's type, in every table, holding "
                 "locks on them",
                 "add the CHECK to each table's column NOT VALID, then VALIDATE it in a later migration", ""});
    if (type == "AlterEnumStmt" && !str(s.body(), "newVal").empty() && str(s.body(), "oldVal").empty() &&
        str(s.body(), "newValNeighbor").empty())
      file_.add({RUNNER_DIAG_NOTE, s.line, "require-enum-value-ordering",
                 "ADD VALUE '" + str(s.body(), "newVal") +
                     "' without BEFORE or AFTER puts the value last, which "
                     "decides how ORDER BY sorts it",
                 "say where it goes: ADD VALUE '" + str(s.body(), "newVal") + "' BEFORE (or AFTER) an existing value",
                 ""});
    if (type == "AlterObjectSchemaStmt" && str(s.body(), "objectType") == "OBJECT_TABLE") {
      const std::string table = sdk::lint::relation_name(member(s.body(), "relation"));
      if (!file_.created_here(table))
        file_.add({RUNNER_DIAG_WARNING, s.line, "ban-set-schema",
                   "moving " + table + " to schema " + quoted(str(s.body(), "newschema")) +
                       " breaks the application still looking for it under its old name",
                   "leave a view under the old name until the application is deployed again", table});
    }
    file_.track_created(s);
  }

  void finish(std::string_view sql, std::uint32_t options, const runner_query* db, const sdk::Sink& out) {
    file_.emit(out, [&](const std::string& table) { return catalog_.table_size(table); });
    if (!catalog_.connected()) db = nullptr;
    // The enum rules the plan applies, under the same names (PostgreSQL refuses those files).
    review_enum_changes(
        sql, (options & RUNNER_LINT_IN_TRANSACTION) ? static_cast<std::uint32_t>(RUNNER_REVIEW_IN_TRANSACTION) : 0u, db,
        out);
  }

 private:
  // A statement that waits for a lock on an existing table: without a lock timeout, it queues
  // behind any long transaction, and every query on the table queues behind it.
  void locking(const sdk::lint::Statement& s, const std::string& table) {
    if (lock_timeout_set_ || file_.lock_wait() || warned_lock_timeout_) return;
    if (!table.empty() && file_.created_here(table)) return;
    warned_lock_timeout_ = true;
    file_.add({RUNNER_DIAG_WARNING, s.line, "require-lock-timeout",
               "waits for its lock with no lock timeout: behind a long transaction it waits for ever, and every "
               "query on " +
                   (table.empty() ? std::string("the table") : table) + " queues behind it meanwhile",
               "run with --lock-wait SECONDS (lock-wait = in the config: runner retries with pauses), or SET "
               "lock_timeout = '2s' at the top of the file",
               table});
  }

  void index_rules(const sdk::lint::Statement& s) {
    const Json& b = s.body();
    const std::string table = sdk::lint::relation_name(member(b, "relation"));
    if (b.value("concurrent", false)) {
      if (file_.in_transaction())
        file_.add({RUNNER_DIAG_ERROR, s.line, "ban-concurrent-index-creation-in-transaction",
                   "CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and this file runs in runner's "
                   "transaction",
                   std::string("put it ") + k_no_transaction_fix, table, true});
      else if (catalog_.partitioned(table))
        file_.add({RUNNER_DIAG_ERROR, s.line, "require-concurrent-index-creation",
                   "PostgreSQL cannot build an index CONCURRENTLY on partitioned table " + table,
                   "CREATE INDEX ... ON ONLY " + table +
                       " (at once), then CREATE INDEX CONCURRENTLY on each partition, and ALTER INDEX ... ATTACH "
                       "PARTITION each of them",
                   table, true});
      return;
    }
    if (file_.created_here(table)) return;
    // ON ONLY a partitioned table: an invalid index on the parent alone, made at once.
    if (!member(b, "relation").value("inh", false)) return;  // libpg_query leaves false out
    if (catalog_.partitioned(table)) {
      file_.add({RUNNER_DIAG_ERROR, s.line, "require-concurrent-index-creation",
                 "CREATE INDEX on partitioned table " + table +
                     " builds it on every partition, blocking writes to each (SHARE lock) until all are built; "
                     "PostgreSQL cannot build it CONCURRENTLY on the parent",
                 "CREATE INDEX ... ON ONLY " + table +
                     " (at once), then CREATE INDEX CONCURRENTLY on each partition in -- runner:no-transaction "
                     "migrations, and ALTER INDEX ... ATTACH PARTITION each of them",
                 table});
      locking(s, table);
      return;
    }
    file_.add(
        {RUNNER_DIAG_ERROR, s.line, "require-concurrent-index-creation",
         "CREATE INDEX without CONCURRENTLY blocks every write to " + table + " (SHARE lock) until the index is built",
         std::string("CREATE INDEX CONCURRENTLY ") + k_no_transaction_fix, table});
    locking(s, table);
  }

  void drop_rules(const sdk::lint::Statement& s) {
    const Json& b = s.body();
    const std::string what = str(b, "removeType");
    if (what == "OBJECT_SCHEMA") {
      for (const auto& object : member(b, "objects")) {
        const std::string schema = str(member(object, "String"), "sval");
        file_.add({file_.destructive_level(), s.line, "ban-drop-schema",
                   "DROP SCHEMA " + schema + " deletes it" +
                       (str(b, "behavior") == "DROP_CASCADE" ? " with every table and row in it" : "") + " for good",
                   "drop schemas by hand after a backup, never from a migration", ""});
      }
    } else if (what == "OBJECT_INDEX") {
      const bool concurrent = b.value("concurrent", false);
      if (concurrent && file_.in_transaction())
        file_.add({RUNNER_DIAG_ERROR, s.line, "ban-concurrent-index-creation-in-transaction",
                   "DROP INDEX CONCURRENTLY cannot run inside a transaction block, and this file runs in runner's "
                   "transaction",
                   std::string("put it ") + k_no_transaction_fix, "", true});
      if (!concurrent) {
        file_.add({RUNNER_DIAG_WARNING, s.line, "require-concurrent-index-deletion",
                   "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table: it waits for every "
                   "query on it, and blocks them all meanwhile",
                   std::string("DROP INDEX CONCURRENTLY ") + k_no_transaction_fix, ""});
        locking(s, "");
      }
    } else if (what == "OBJECT_TABLE") {
      for (const auto& object : member(b, "objects")) {
        std::string table;
        for (const auto& part : sdk::lint::names(member(member(object, "List"), "items")))
          table += (table.empty() ? "" : ".") + part;
        if (!table.empty() && !file_.created_here(table)) locking(s, table);
      }
    }
  }

  void alter_table_rules(const sdk::lint::Statement& s) {
    const Json& b = s.body();
    if (str(b, "objtype") != "OBJECT_TABLE") return;
    const std::string table = sdk::lint::relation_name(member(b, "relation"));
    const std::string bare = sdk::lint::bare_table(table);
    if (file_.created_here(table)) return;
    for (const auto& cmd : member(b, "cmds")) {
      const Json& c = member(cmd, "AlterTableCmd");
      const std::string subtype = str(c, "subtype");
      if (subtype == "AT_AddConstraint") add_constraint(s, table, member(member(c, "def"), "Constraint"));
      if (subtype == "AT_AddColumn") add_column(s, table, member(member(c, "def"), "ColumnDef"));
      if (subtype == "AT_SetNotNull") set_not_null(s, table, str(c, "name"));
      if (subtype == "AT_AlterColumnType") alter_type(s, table, str(c, "name"), member(member(c, "def"), "ColumnDef"));
      if (subtype == "AT_DropNotNull")
        file_.add({RUNNER_DIAG_WARNING, s.line, "ban-drop-not-null",
                   "DROP NOT NULL on " + table + "." + str(c, "name") +
                       " lets NULLs in that the application running now does not expect",
                   "deploy an application that handles NULL in the column first", table});
      if (subtype == "AT_DetachPartition" && member(member(c, "def"), "PartitionCmd").value("concurrent", false) &&
          file_.in_transaction())
        file_.add({RUNNER_DIAG_ERROR, s.line, "ban-concurrent-index-creation-in-transaction",
                   "DETACH PARTITION ... CONCURRENTLY cannot run inside a transaction block, and this file runs in "
                   "runner's transaction",
                   std::string("put it ") + k_no_transaction_fix, table, true});
      if (subtype == "AT_DetachPartition" && !member(member(c, "def"), "PartitionCmd").value("concurrent", false))
        file_.add({RUNNER_DIAG_WARNING, s.line, "require-concurrent-partition-detach",
                   "DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on " + table + " and the partition",
                   std::string("DETACH PARTITION ... CONCURRENTLY ") + k_no_transaction_fix, table});
      if (subtype == "AT_ValidateConstraint" && file_.in_transaction() &&
          not_valid_here_.count({bare, str(c, "name")}) > 0)
        file_.add({RUNNER_DIAG_ERROR, s.line, "constraint-missing-not-valid",
                   "VALIDATE CONSTRAINT " + quoted(str(c, "name")) +
                       " in the same transaction as its ADD ... NOT VALID scans " + table +
                       " while still holding the ACCESS EXCLUSIVE lock the ADD took",
                   "validate it in a later migration", table});
      if (subtype == "AT_ValidateConstraint") validated_.insert({bare, str(c, "name")});
    }
    locking(s, table);
  }

  void add_constraint(const sdk::lint::Statement& s, const std::string& table, const Json& k) {
    const std::string kind = str(k, "contype");
    const bool not_valid = k.value("skip_validation", false);
    const std::string name = str(k, "conname");
    if (not_valid) not_valid_here_.insert({sdk::lint::bare_table(table), name});
    if (kind == "CONSTR_FOREIGN" && !not_valid)
      file_.add({RUNNER_DIAG_ERROR, s.line, "adding-foreign-key-constraint",
                 "ADD FOREIGN KEY checks every row of " + table + " while holding a SHARE ROW EXCLUSIVE lock on it " +
                     "and on the table it references: writes to both wait",
                 "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later migration", table});
    if (kind == "CONSTR_CHECK" && !not_valid)
      file_.add({RUNNER_DIAG_ERROR, s.line, "constraint-missing-not-valid",
                 "ADD CHECK scans every row of " + table + " holding ACCESS EXCLUSIVE: no query reads or writes it " +
                     "meanwhile",
                 "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later migration", table});
    if (kind == "CONSTR_CHECK") check_constraints_.push_back({sdk::lint::bare_table(table), name, k});
    if ((kind == "CONSTR_UNIQUE" || kind == "CONSTR_PRIMARY") && str(k, "indexname").empty()) {
      const bool unique = kind == "CONSTR_UNIQUE";
      file_.add(
          {RUNNER_DIAG_ERROR, s.line, unique ? "disallowed-unique-constraint" : "adding-serial-primary-key-field",
           std::string("ADD ") + (unique ? "UNIQUE" : "PRIMARY KEY") + " builds its index holding ACCESS " +
               "EXCLUSIVE on " + table + ": no query reads or writes it until the index is built",
           "CREATE UNIQUE INDEX CONCURRENTLY (in a -- runner:no-transaction migration), then ADD CONSTRAINT ... " +
               std::string(unique ? "UNIQUE" : "PRIMARY KEY") + " USING INDEX in the next one",
           table});
    }
  }

  void add_column(const sdk::lint::Statement& s, const std::string& table, const Json& def) {
    const std::string column = str(def, "colname");
    column_type_rules(s, table, column, member(def, "typeName"));
    const std::string type = sdk::lint::type_name(member(def, "typeName"));
    if (type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" || type == "serial8" ||
        type == "serial2")
      file_.add({RUNNER_DIAG_ERROR, s.line, "adding-field-with-default",
                 "ADD COLUMN " + quoted(column) + " " + type + " fills every existing row from a sequence: " + table +
                     " is rewritten holding ACCESS EXCLUSIVE",
                 "add a nullable bigint column, fill it in batches, then attach the sequence and constraints", table});
    for (const auto& item : member(def, "constraints")) {
      const Json& k = member(item, "Constraint");
      const std::string kind = str(k, "contype");
      if (kind == "CONSTR_DEFAULT") volatile_default(s, table, column, member(k, "raw_expr"));
      if (kind == "CONSTR_IDENTITY")
        file_.add({RUNNER_DIAG_ERROR, s.line, "adding-field-with-default",
                   "ADD COLUMN " + quoted(column) + " GENERATED ... AS IDENTITY fills every existing row from its " +
                       "sequence: " + table + " is rewritten holding ACCESS EXCLUSIVE",
                   "add a nullable bigint column, fill it in batches, then SET NOT NULL and ADD GENERATED ... AS "
                   "IDENTITY (which does not rewrite)",
                   table});
      if (kind == "CONSTR_GENERATED")
        file_.add({RUNNER_DIAG_ERROR, s.line, "adding-field-with-default",
                   "ADD COLUMN " + quoted(column) + " GENERATED ... STORED computes it for every row: " + table +
                       " is rewritten holding ACCESS EXCLUSIVE",
                   "add a plain nullable column, fill it in batches, and keep it current with a trigger", table});
      if (kind == "CONSTR_FOREIGN")
        file_.add({RUNNER_DIAG_ERROR, s.line, "adding-foreign-key-constraint",
                   "ADD COLUMN ... REFERENCES takes a SHARE ROW EXCLUSIVE lock on the referenced table too",
                   "add the column, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE it in a later "
                   "migration",
                   table});
      if (kind == "CONSTR_UNIQUE" || kind == "CONSTR_PRIMARY")
        file_.add({RUNNER_DIAG_ERROR, s.line, "disallowed-unique-constraint",
                   "ADD COLUMN ... " + std::string(kind == "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY") +
                       " builds an index holding ACCESS EXCLUSIVE on " + table,
                   "add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX", table});
    }
  }

  void volatile_default(const sdk::lint::Statement& s, const std::string& table, const std::string& column,
                        const Json& expr) {
    const long version = catalog_.server_version();
    if (version > 0 && version < 110000) {
      file_.add({RUNNER_DIAG_ERROR, s.line, "adding-field-with-default",
                 "ADD COLUMN with a DEFAULT rewrites " + table + " on PostgreSQL before 11 (this server: " +
                     std::to_string(version / 10000) + "), holding ACCESS EXCLUSIVE",
                 "add the column without a default, SET DEFAULT, then fill the existing rows in batches", table});
      return;
    }
    std::vector<std::string> functions;
    called_functions(expr, functions);
    for (const auto& f : functions) {
      if (stable_functions().count(f)) continue;
      std::optional<bool> is_volatile;
      if (volatile_functions().count(f)) is_volatile = true;
      if (!is_volatile) is_volatile = catalog_.function_volatile(f);
      if (is_volatile && !*is_volatile) continue;
      file_.add({RUNNER_DIAG_ERROR, s.line, "adding-field-with-default",
                 "ADD COLUMN " + quoted(column) + " DEFAULT " + f + "(...)" +
                     (is_volatile ? " calls a volatile function: " : " may call a volatile function: ") +
                     "PostgreSQL computes it for every existing row, rewriting " + table + " holding ACCESS EXCLUSIVE",
                 "add the column without the default, SET DEFAULT in the same migration (new rows only), then fill "
                 "the existing rows in batches",
                 table});
      return;
    }
  }

  void set_not_null(const sdk::lint::Statement& s, const std::string& table, const std::string& column) {
    const std::string bare = sdk::lint::bare_table(table);
    // PostgreSQL 12+ skips the scan when a validated CHECK (column IS NOT NULL) proves it.
    for (const auto& c : check_constraints_) {
      if (c.table != bare || !validated_here(c)) continue;
      if (proves_not_null(member(c.node, "raw_expr"), column)) return;
    }
    if (catalog_.has_validated_not_null_check(table, column)) return;
    // A constraint this file validates but another file added (an earlier migration of the same
    // run): its definition is the database's when it holds it already, else given the benefit of
    // the doubt (the fix this rule gives is exactly that pattern).
    for (const auto& [t, name] : validated_) {
      if (t != bare || not_valid_here_.count({t, name}) > 0) continue;
      const auto definition = catalog_.constraint_definition(table, name);
      if (!definition || LintCatalog::not_null_check_definition(*definition, column)) return;
    }
    file_.add({RUNNER_DIAG_ERROR, s.line, "adding-not-nullable-field",
               "SET NOT NULL on " + table + "." + column +
                   " scans every row holding ACCESS EXCLUSIVE: no query reads or writes the table meanwhile",
               "ADD CONSTRAINT ... CHECK (" + column + " IS NOT NULL) NOT VALID; VALIDATE it in a later migration; " +
                   "then SET NOT NULL, which uses the validated check and skips the scan (PostgreSQL 12+)",
               table});
  }

  void alter_type(const sdk::lint::Statement& s, const std::string& table, const std::string& column, const Json& def) {
    const Json& new_type = member(def, "typeName");
    const bool has_using = def.contains("raw_default");
    const TypeChange change = judge_type_change(catalog_.column_type(table, column), new_type, has_using);
    const std::string written = sdk::lint::type_name(new_type);
    if (!change.loses.empty())
      file_.add(
          {file_.destructive_level(), s.line, "changing-column-type-loses-data",
           "ALTER COLUMN " + quoted(column) + " TYPE " + written + " " + change.loses + " in every row of " + table,
           "add a column of the new type beside the old one and keep both until the values are checked", table});
    if (change.rewrite == TypeChange::Rewrite::no) return;
    const bool to_text =
        !has_using && (written == "text" || (written == "varchar" && sdk::lint::type_modifiers(new_type).empty()));
    file_.add({change.rewrite == TypeChange::Rewrite::unknown && to_text ? RUNNER_DIAG_WARNING : RUNNER_DIAG_ERROR,
               s.line, "changing-column-type",
               "ALTER COLUMN " + quoted(column) + " TYPE " + written +
                   (change.rewrite == TypeChange::Rewrite::yes
                        ? " rewrites " + table + " and its indexes"
                        : " rewrites " + table +
                              " and its indexes unless the change is binary-coercible (varchar to "
                              "text, a longer varchar)") +
                   ", holding ACCESS EXCLUSIVE: no query reads or writes it meanwhile",
               "add a column of the new type, fill it in batches, switch the application over, then drop the old "
               "column",
               table});
  }

  void column_type_rules(const sdk::lint::Statement& s, const std::string& table, const std::string& column,
                         const Json& type_node) {
    const std::string type = sdk::lint::type_name(type_node);
    const std::string where = table + "." + column;
    auto note = [&](const char* rule, const std::string& message, const std::string& fix) {
      file_.add({RUNNER_DIAG_NOTE, s.line, rule, message, fix, ""});
    };
    if (type == "int4" || type == "serial" || type == "serial4")
      note("prefer-bigint-over-int", where + " is a 32-bit integer: ids and counters outgrow 2^31",
           "use bigint (bigserial, or bigint GENERATED ... AS IDENTITY)");
    if (type == "int2" || type == "smallserial" || type == "serial2")
      note("prefer-bigint-over-smallint", where + " is a 16-bit integer: it overflows at 32767",
           "use bigint, or integer with a CHECK when small is the point");
    if (type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" || type == "serial8" ||
        type == "serial2")
      note("prefer-identity", where + " is " + type + ": its sequence's ownership and grants are managed apart",
           "use bigint GENERATED BY DEFAULT AS IDENTITY");
    if (type == "varchar" && !sdk::lint::type_modifiers(type_node).empty())
      note("prefer-text-field", where + " is varchar(n): making it longer later is an ALTER on the table",
           "use text with a CHECK (length(" + column + ") <= n), which can be replaced NOT VALID");
    if (type == "bpchar")
      note("ban-char-field", where + " is char(n): values are padded with blanks, and comparisons ignore them",
           "use text (or varchar)");
    if (type == "timestamp")
      note("prefer-timestamptz",
           where +
               " is timestamp without time zone: the instant it means depends on the "
               "session's time zone",
           "use timestamptz");
  }

  void create_table_rules(const sdk::lint::Statement& s) {
    const Json& b = s.body();
    const std::string table = sdk::lint::relation_name(member(b, "relation"));
    for (const auto& element : member(b, "tableElts")) {
      const Json& def = member(element, "ColumnDef");
      if (def.empty()) continue;
      const std::string column = str(def, "colname");
      column_type_rules(s, table, column, member(def, "typeName"));
    }
  }

  void vacuum_rules(const sdk::lint::Statement& s) {
    for (const auto& option : member(s.body(), "options")) {
      if (str(member(option, "DefElem"), "defname") != "full") continue;
      std::string table;
      for (const auto& r : member(s.body(), "rels"))
        table = sdk::lint::relation_name(member(member(r, "VacuumRelation"), "relation"));
      file_.add({RUNNER_DIAG_ERROR, s.line, "prefer-repack",
                 "VACUUM FULL rewrites " + (table.empty() ? std::string("every table") : table) +
                     " holding ACCESS EXCLUSIVE: no query reads or writes it until the rewrite ends",
                 "use pg_repack (or pg_squeeze), which rewrites online, outside the migration", table});
      locking(s, table);
    }
  }

  void reindex_rules(const sdk::lint::Statement& s) {
    bool concurrent = false;
    for (const auto& p : member(s.body(), "params"))
      concurrent = concurrent || str(member(p, "DefElem"), "defname") == "concurrently";
    const std::string table = sdk::lint::relation_name(member(s.body(), "relation"));
    if (concurrent && file_.in_transaction())
      file_.add({RUNNER_DIAG_ERROR, s.line, "ban-concurrent-index-creation-in-transaction",
                 "REINDEX CONCURRENTLY cannot run inside a transaction block, and this file runs in runner's "
                 "transaction",
                 std::string("put it ") + k_no_transaction_fix, "", true});
    if (concurrent) return;
    const bool on_table = str(s.body(), "kind") == "REINDEX_OBJECT_TABLE";
    file_.add({RUNNER_DIAG_ERROR, s.line, "require-concurrent-reindex",
               "REINDEX without CONCURRENTLY blocks writes to the table while each index is rebuilt, and reads that "
               "use it",
               std::string("REINDEX ... CONCURRENTLY ") + k_no_transaction_fix, on_table ? table : ""});
    locking(s, on_table ? table : "");
  }

  void set_rules(const sdk::lint::Statement& s) {
    const Json& b = s.body();
    if (str(b, "kind") == "VAR_RESET_ALL") lock_timeout_set_ = false;
    if (str(b, "name") != "lock_timeout") return;
    const std::string kind = str(b, "kind");
    bool zero = kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET";
    for (const auto& a : member(b, "args")) {
      const Json& c = member(a, "A_Const");
      const Json& ival = member(member(c, "ival"), "ival");
      const std::string sval = str(member(c, "sval"), "sval");
      zero = (c.contains("ival") && (!ival.is_number_integer() || ival.get<long long>() == 0)) || sval == "0" ||
             sval == "0s" || sval == "0ms";
    }
    lock_timeout_set_ = !zero;
  }

  // The parser has cut names to 63 bytes already: the statement's own tokens tell.
  void long_identifiers(const sdk::lint::Statement& s) {
    const std::string type = s.type();
    const bool names_objects = type.rfind("Create", 0) == 0 || type.rfind("Alter", 0) == 0 || type == "IndexStmt" ||
                               type == "RenameStmt" || type == "ViewStmt";
    if (!names_objects || s.sql.size() <= k_max_identifier) return;
    std::set<std::string> said;
    for (const auto& token : sdk::detail::scan(s.sql)) {
      const auto name = sdk::detail::identifier(token);
      if (!name || name->size() <= k_max_identifier || !said.insert(*name).second) continue;
      file_.add({RUNNER_DIAG_WARNING, s.line, "identifier-too-long",
                 "the name \"" + *name + "\" is " + std::to_string(name->size()) +
                     " bytes: PostgreSQL keeps its first 63, so the name the database holds is not the one written",
                 "use a name of at most 63 bytes", ""});
    }
  }

  struct CheckConstraint {
    std::string table, name;
    Json node;
  };
  bool validated_here(const CheckConstraint& c) const {
    return !c.node.value("skip_validation", false) || validated_.count({c.table, c.name}) > 0;
  }

  sdk::lint::FileLint file_;
  LintCatalog catalog_;
  bool lock_timeout_set_ = false;
  bool warned_lock_timeout_ = false;
  std::set<std::pair<std::string, std::string>> not_valid_here_;  // (table, constraint) added NOT VALID
  std::set<std::pair<std::string, std::string>> validated_;       // (table, constraint) validated
  std::vector<CheckConstraint> check_constraints_;
};

}  // namespace

void lint(std::string_view sql, std::uint32_t options, const runner_query* db, const sdk::Sink& out) {
  PostgresqlLint rules(options, db);
  for (auto& s :
       sdk::lint::read_statements(sql, [](std::string_view text, const sdk::Sink&sink) { split(text, sink); })) {
    // Data loads are no rule's concern, and a seed file's trees would take gigabytes; one that
    // deletes or updates in a CTE is read.
    const std::string first = sdk::keyword_at(s.sql, sdk::skip_blank(s.sql, 0, true));
    if ((first == "INSERT" || first == "COPY" || first == "VALUES") &&
        sdk::find_ignoring_case(s.sql, "delete", true) == std::string_view::npos &&
        sdk::find_ignoring_case(s.sql, "update", true) == std::string_view::npos)
      continue;
    s.node = sdk::lint::parse(s.sql);
    rules.statement(s);
    s.node = sdk::lint::Json();
  }
  rules.finish(sql, options, db, out);
}

}  // namespace runner::postgresql
