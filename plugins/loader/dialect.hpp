// SPDX-License-Identifier: MIT
// runner::Dialect: the host's C++ view of a loaded plugin. Everything the core knows about a
// database's quirks comes through here; the core never includes a dialect.
#pragma once

#include "plugins/loader/driver_connection.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct runner_dialect;

namespace runner {

// One statement of a migration file, as the dialect split it.
struct SplitStatement {
  std::string sql;          // verbatim text sent to the database
  std::uint32_t line = 0;   // line of its first token in the file
  std::uint32_t flags = 0;  // RUNNER_STMT_* from plugins/dialect_abi.h
  // Set on what an offline translation produced: 1 + the index, among the step's statements as
  // written, of the statement this one runs in place of (explain shows the pairs); 0 otherwise.
  std::uint32_t written_as = 0;
  // The file it comes from when not the step's own (a callback spliced in); "" otherwise.
  std::string file;
};

// How to reach, prepare and lock the database a URL names.
struct DatabaseInfo {
  std::string connect;               // what the dialect's driver connects with; may hold a password: never print it
  std::string display;               // the URL with its password masked
  std::vector<std::string> secrets;  // masked wherever a driver message might repeat them
  std::string schema;
  std::string file;
  std::vector<std::string> session_sql;
  std::vector<std::string> reset_sql;  // run before each migration, inside its transaction when it has one
  // Set a session migrations ran on back as a new connection starts (outside any transaction),
  // before it serves another database; none: such a connection is closed instead.
  std::vector<std::string> discard_sql;
  std::vector<std::string> prepare_sql;
  std::string default_schema_query;
  std::string default_schema_unknown;  // why default_schema_query answered "", and what to give
  std::string session_id_query;        // identifies the server session a connection reached ("" = no check)
  bool keep_open = false;              // lives only while a connection to it is open (SQLite's :memory:)
  bool one_statement = false;          // the driver runs one statement per call: never join several
  std::string server;                  // "HOST:PORT" of its server, no password; "" for a file
  std::string read_only_query;         // "" when the server takes writes, else why not ("" = no check)
  std::string write_position_query;    // where the server's writes have reached ("" = no replicas to wait for)
  std::string replica_lag_query;       // per replica: name, what it has still to replay up to $1
};

// The statements that keep runner_history, take the run lock and frame offline scripts.
struct RunnerSql {
  std::string exists;  // one row: runner_history exists (0/1), runner_meta exists (0/1)
  std::vector<std::string> create;
  // The layout of runner's own tables (runner_meta): the one `create` builds, how to read and
  // record it, and the steps from each older layout (step N brings N-1 to N).
  long long tables_version = 0;
  std::string meta_select;
  std::string select_with_layout;  // `select` and a row (-1, layout): one query for both
  std::string meta_set;            // parameter: the version
  std::string meta_init_literal;   // records tables_version unless one is recorded (offline scripts)
  std::vector<std::pair<long long, std::string>> upgrade;
  std::string select;
  std::string insert;      // parameters: version, name, checksum, applied_at, execution_ms
  std::string remove;      // parameter: version
  bool lock_file = false;  // the run lock is a flock on DatabaseInfo::file (else lock_try)
  std::string lock_try;
  std::string lock_release;
  std::string lock_check;                // returns 1 while this session holds the run lock; "" = nothing to check
  std::string lock_holder;               // describes who holds the run lock, for the timeout message; may be ""
  std::vector<std::string> schema_dump;  // queries returning statements that rebuild the schema, no rows
  std::string script_usage;              // how the database's client runs a script (FILE, DATABASE)
  std::vector<std::string> script_header;
  std::string script_block;  // a statement holding ';' in a script, $SQL$ standing for it (2.8; "": none)
  std::vector<std::string> script_prelude;
  std::vector<std::string> script_reset;  // opens each migration of an offline script
  std::string insert_literal;
  std::string delete_literal;
  // runner_progress: a no-transaction migration's progress, statement by statement (all or none;
  // none: such a migration that fails is not resumable). `exists` then has a third column.
  std::string select_with_progress;  // select_with_layout and a row (-2, version) per runner_progress row
  std::string progress_select;       // version, name, direction, checksum, statements, applied, prefix_hash,
                                     // statement_hashes, error, error_file, error_line, started_at, updated_at
  std::string progress_start;        // version, name, direction, checksum, statements, started_at
  std::string progress_step;         // version, applied, prefix_hash, statement_hashes, updated_at
  std::string progress_fail;         // version, error, error_file, error_line, updated_at
  std::string progress_delete;       // version
  bool tracks_progress() const { return !progress_select.empty(); }
  // --lock-wait and --statement-timeout: statements setting how long a migration's statement waits
  // for a lock, or runs, $MS$ standing for milliseconds (run before each migration; "" = the
  // dialect has no such setting); who blocks session $PID$, for the message of one that gave up.
  std::string lock_wait_sql;
  std::string statement_timeout_sql;
  std::string lock_blockers_sql;
};

// Read access to one database, lent to a plugin for one call (the host side of runner_query).
class SqlReader {
 public:
  using Row = std::function<void(std::uint32_t ncols, const char* const* values)>;
  virtual ~SqlReader() = default;
  // Runs `sql`, passing each row (NULL as a null pointer). False with *error when the database
  // refuses it. Must not throw.
  virtual bool query(const std::string& sql, const Row& row, std::string* error) noexcept = 0;
};

// What one statement does, as the dialect's parser reads it (runner_dialect.statement_target).
struct StatementTarget {
  std::string kind;  // begin, commit, rollback, create_table, drop_table, insert, update, delete, other
  std::string table;
  std::string schema;
  std::vector<std::string> names_schema;  // every schema an object name is qualified with (ABI 2.5)
  bool database_wide = false;             // an extension, a role, a database (ABI 2.5)
  bool search_path = false;               // SET search_path, set_config('search_path') (ABI 2.5)
  bool dynamic = false;                   // runs SQL it builds at run time: a DO block (ABI 2.5)
};

// What runs in place of a statement flagged RUNNER_STMT_TRANSLATE.
struct Translation {
  bool ok = true;
  std::string error;  // when !ok: why, for the user (rows breaking a rule, an unknown table)
  std::vector<SplitStatement> statements;
};

// One finding of the plugin's lint(): level RUNNER_DIAG_*, the first line of its statement, the
// rule, what happens, and the fields describing it (fix, table, rows, bytes, rows_source).
struct LintDiagnostic {
  int level = 0;
  std::uint32_t line = 0;
  std::string rule;
  std::string message;
  std::map<std::string, std::string> fields;
};

// One record of the plugin's describe_schema(): its kind and the fields after it, in order.
struct SchemaRecord {
  std::string kind;
  std::vector<std::pair<std::string, std::string>> fields;
};

// A scratch database (runner_dialect.scratch): where it is, and how it is made and removed.
struct ScratchDatabase {
  std::string url;
  std::vector<std::string> create;  // run on the URL it was asked for
  std::vector<std::string> drop;
};

class Dialect {
 public:
  // REQUIRES: table passed the loader's ABI checks and stays valid for the process's life.
  Dialect(const runner_dialect* table, std::string file);

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& file() const { return file_; }
  // The URLs it takes, for help.
  const std::string& url_forms() const { return url_forms_; }
  // Other URL schemes that select this dialect.
  const std::vector<std::string>& aliases() const { return aliases_; }

  // Opens a connection with the target's connect string. Null with *failure when it cannot.
  std::unique_ptr<DriverConnection> connect(const std::string& connect, StatementFailure* failure) const;

  // Throws UsageError when the plugin rejects the URL. base_dir: what relative paths in the URL are
  // relative to ("" = the working directory).
  DatabaseInfo describe_database(const std::string& url, std::uint32_t lock_timeout_s,
                                 const std::string& base_dir = "") const;

  // Throws SourceError(source_name, line, ...) when the database's lexer rejects the text.
  // as_written: the file is in the database's own SQL (-- runner:as-written): nothing is planned for
  // translation, nor refused for want of one.
  std::vector<SplitStatement> split(std::string_view sql, const std::string& source_name,
                                    bool as_written = false) const;

  RunnerSql runner_sql(const std::string& schema) const;
  // What the plugin's runner_sql("") lacks to be usable ("" when nothing): a required field, or
  // a run lock (none, or two). The loader refuses a plugin it names. Remembers the lock's kind.
  std::string missing_runner_sql();
  // Whether the run lock is a flock on the target's file (runner_sql's lock_file), as found when
  // the plugin loaded.
  bool file_lock() const { return file_lock_; }
  // The query listing projects matching `pattern`; "" when projects are files (glob them).
  std::string projects_query(const std::string& pattern) const;
  // Throws UsageError when the name cannot form a URL.
  std::string project_url(const std::string& url, const std::string& name) const;

  // The scratch database translate() replays into when no real one is at hand; "" when
  // translate() never reads the database.
  const std::string& shadow_url() const { return shadow_url_; }
  // Rewrites a RUNNER_STMT_TRANSLATE statement against `db` (may be null when shadow_url() is
  // ""). Throws DialectError when the plugin fails internally or cannot translate at all.
  Translation translate(const SplitStatement& statement, SqlReader* db) const;
  // Plan-time checks of a whole file. db: the database it will run on, or null. Throws
  // SourceError(source_name, line, ...) naming what to fix when a finding is an error (the first,
  // with the others after it); warnings are logged.
  void review(std::string_view sql, bool in_transaction, SqlReader* db, const std::string& source_name) const;
  // Whether the plugin has lint rules (ABI revision 2.4).
  bool lints() const;
  // The plugin's lint() of one whole file; options RUNNER_LINT_*, db the database it would run on
  // (null: none). Throws SourceError for a file that does not split, DialectError when the plugin
  // fails.
  std::vector<LintDiagnostic> lint(std::string_view sql, std::uint32_t options, SqlReader* db,
                                   const std::string& source_name) const;
  // Whether the plugin reads its catalog for describe_schema() (ABI revision 2.5).
  // Throws UsageError naming the dialect when it reads no schema (dump, drift, diff, test need one).
  void require_describes_schema() const;
  bool describes_schema() const;
  // The records of schema `schema` ("" = the database's default) read through `db`, which the
  // caller holds in a transaction it rolls back afterwards. Throws UsageError with what the plugin
  // said (no such schema), DialectError when it fails or cannot describe schemas at all.
  std::vector<SchemaRecord> describe_schema(const std::string& schema, SqlReader& db) const;
  // Whether the plugin makes scratch databases on a server (ABI revision 2.5); else shadow_url().
  bool makes_scratch() const;
  // A scratch database named `name` in the database `url` names (in_place) or on its server.
  // Throws UsageError with what the plugin said.
  ScratchDatabase scratch(const std::string& url, const std::string& name, bool in_place) const;
  // Whether the plugin reads statements for statement_target() (ABI revision 2.1).
  bool reads_statements() const;
  // What `sql` (one statement) does. Throws DialectError when the plugin cannot say.
  StatementTarget statement_target(std::string_view sql) const;

  // Whether the plugin backs databases up (ABI revision 2.3), and puts a backup back.
  bool backs_up() const;
  bool restores() const;
  // Writes a backup of the database `target` names into the new file `dest`; returns its format
  // ("sqlite", "pg_dump-custom"). Throws UsageError with what the plugin said (no pg_dump).
  std::string backup(const DatabaseInfo& target, const std::string& dest) const;
  // Puts the backup `src` back into the database. Throws UsageError.
  void restore(const DatabaseInfo& target, const std::string& src) const;

 private:
  const runner_dialect* table_;
  std::string file_;
  std::string name_;
  std::string version_;
  std::vector<std::string> aliases_;
  std::string url_forms_;
  bool file_lock_ = false;
  std::string shadow_url_;
};

}  // namespace runner
