// SPDX-License-Identifier: MIT
// runner as a library: a Migrator opened on a database URL and a folder of migrations tells where
// the database stands and brings it up, down, or to a recorded position, exactly as the runner
// command does. Plain structs in and out; no SOCI, Boost or spdlog header. Errors are runner::Error
// (runner/base/errors.hpp): exit_code() is 1 for a database or migration error, 2 for bad usage or
// invalid files, 3 when refused for safety; file() and line() name what to look at.
#pragma once

#include "runner/base/errors.hpp"
#include "runner/embedded.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#if defined(RUNNER_BUILDING_LIBRARY)
#define RUNNER_API __attribute__((visibility("default")))
#else
#define RUNNER_API
#endif

namespace runner {

enum class LogLevel { debug, info, warning, error };

struct RunReport;
struct StepInfo;

struct MigratorOptions {
  std::string url;                        // sqlite:PATH, sqlite::memory:, postgresql://...?schema=S
  std::filesystem::path sql_dir = "sql";  // NNNN_name.up.sql / .down.sql
  // Migrations compiled in (runner_embed_migrations): read from memory instead of sql_dir, and named
  // embedded:SQL_DIR/FILE in messages.
  const EmbeddedMigrations* embedded = nullptr;
  // Folders searched for dialect plugins before the library's own (lib/runner/dialects beside it).
  std::vector<std::string> plugin_dirs;
  std::chrono::seconds lock_timeout{60};  // waiting for another runner's run lock
  // How long a migration's statement waits for a lock another connection holds (0: the
  // database's default, which may be for ever); one that gives up is rolled back and tried again
  // lock_retries times, with longer pauses between (1 s, 2 s, 4 s, ...). PostgreSQL's
  // lock_timeout, SQLite's busy timeout.
  std::chrono::milliseconds lock_wait{0};
  unsigned lock_retries = 3;
  std::chrono::milliseconds statement_timeout{0};  // PostgreSQL's statement_timeout (0: none)
  // upgrade(): a backup of the database under the run lock before its first pending migration
  // (SQLite's online backup API; pg_dump -Fc of the schema), into backup_dir ("": backups/ beside
  // a SQLite file, else backups/ in the working folder), keeping the newest backup_keep (0: all).
  bool backup = false;
  std::string backup_dir;
  unsigned backup_keep = 0;
  // upgrade(): lint the pending migrations first (lint()'s rules, with this database's table sizes)
  // and refuse (exit 3) when a finding at level error is not silenced; warnings go to on_log.
  bool lint = false;
  // upgrade(): every pending migration and its history row in one transaction, committed only
  // when all ran: a failure leaves the database at the version it started from. Refused (before
  // anything runs) when a pending migration cannot run in a transaction.
  bool atomic = false;
  // upgrade()/downgrade(): after a run that succeeded (not a dry run), the schema as dump_schema()
  // writes it replaces this file whole, so that it is reviewed beside the migrations ("": none).
  std::filesystem::path dump_schema_file;
  // drift(): where the shadow is built: "" for the dialect's default (PostgreSQL: a schema of its
  // own in the database; SQLite: memory), else a server where a scratch database is created and
  // dropped (postgresql://HOST/postgres; needs CREATEDB).
  std::string shadow_url;
  std::map<std::string, std::string> placeholders;  // for files that say -- runner:placeholders
  bool out_of_order = false;                        // upgrade: also apply pending migrations older than the current one
  bool allow_changed = false;                       // warn instead of refusing when an applied file changed
  // Plan and report what upgrade()/downgrade()/stamp() would do; change nothing.
  bool dry_run = false;
  // With dry_run: PlannedStep::statements as the dialect would run them (SQLite's rebuilds of
  // tables spelled out), at the cost of replaying the earlier migrations in memory.
  bool translate_plan = false;
  // Receives runner's log lines (waiting for a lock, warnings); nothing is printed when empty.
  std::function<void(LogLevel, const std::string&)> on_log;
  // Called once a run is planned, before the first migration runs (RunReport::planned filled,
  // steps empty); not for a dry run or when nothing is to run (upgrade() returns the plan then).
  std::function<void(const RunReport&)> on_plan;
  // Called after each migration is applied or reverted.
  std::function<void(const StepInfo&)> on_step;
};

// Where a database stands.
struct Position {
  std::int64_t version = 0;  // 0: base
  std::string name;
  std::string label;  // "0012_name" as the files write it (position(), which reads no file: "12_name"), or "base"
};

struct AppliedInfo {
  std::int64_t version = 0;
  std::string name;
  std::string applied_at;  // UTC, ISO 8601
  std::int64_t execution_ms = 0;
};

// A -- runner:no-transaction migration that stopped part-way: upgrade and downgrade refuse the
// database until resume() runs the rest of it or repair() records how it ended.
struct PartialInfo {
  std::int64_t version = 0;
  std::string name;
  std::string label;           // "0012_name"
  bool up = true;              // stopped while upgrading (false: downgrading)
  std::size_t statements = 0;  // in the migration as it ran
  std::size_t applied = 0;     // statements 1..applied completed and stay applied
  std::string error;           // why it stopped; "" when the run ended without a word (killed)
  std::string error_file;      // the file and line to look at
  std::uint32_t error_line = 0;
  std::string started_at;  // UTC, ISO 8601
  std::string updated_at;
};

struct MigrationStatus {
  std::int64_t version = 0;
  std::string version_text;  // the digits as the file writes them ("0007")
  std::string name;
  bool applied = false;
  std::string applied_at;  // "" when pending
  std::string file_state;  // "ok", "changed", "missing-file", or "" when pending
  std::string state;       // "applied", "pending" or "partial"
  PartialInfo partial;     // when state is "partial"
};

struct StepInfo {
  std::int64_t version = 0;
  std::string name;
  bool up = true;
  std::int64_t execution_us = 0;
  std::string label;  // "0012_name"
};

struct PlannedStatement {
  std::string file;  // the migration's file, or the callback's it comes from
  std::uint32_t line = 0;
  std::string sql;
};

struct PlannedStep {
  std::int64_t version = 0;
  std::string name;
  std::string label;
  bool up = true;
  std::string file;
  bool in_transaction = true;
  // How it runs, in words: "in a transaction", "without a transaction (-- runner:no-transaction)", or
  // statement by statement because a statement of it commits implicitly (DDL, on some databases), naming its line.
  std::string transaction;
  std::vector<PlannedStatement> statements;
};

struct RunReport {
  std::string database;    // as shown in messages, password masked
  std::int64_t from = 0;   // the version before (0: base)
  std::int64_t to = 0;     // the version after (dry run: as it would be)
  Position before, after;  // the same, with names
  bool dry_run = false;
  std::vector<PlannedStep> planned;    // what runs (dry run: would run), in order
  std::vector<StepInfo> steps;         // what ran, in order (stamp, dry run: none)
  std::vector<std::int64_t> recorded;  // stamp: history rows added, running no SQL
  std::vector<std::int64_t> removed;   // stamp: history rows removed
  std::string note;                    // repair: what it records (dry run: would record)
  std::string backup;                  // upgrade with MigratorOptions::backup: the file it wrote
};

// An applied migration whose file is not as it was when it ran.
struct DriftInfo {
  std::int64_t version = 0;
  std::string label;
  std::string problem;  // "changed", "missing-file"
};

struct ValidationReport {
  std::size_t migrations = 0;  // in the folder
  std::size_t statements = 0;  // in all their up and down files
  std::string database;        // as shown in messages
  Position current;
  std::size_t applied = 0;           // rows in its history
  std::vector<DriftInfo> drift;      // empty: every applied file is unchanged
  std::vector<PartialInfo> partial;  // no-transaction migrations stopped part-way (upgrade refuses)
};

// One finding of lint(): what in a migration could hurt the database in production.
struct LintFindingInfo {
  std::string file;
  std::uint32_t line = 0;   // the first line of the statement (0: the whole file)
  std::string rule;         // "require-concurrent-index-creation"
  std::string level;        // "error", "warning" or "note"
  std::string message;      // what happens
  std::string fix;          // how to write it safely
  std::string table;        // the table it concerns, as the file names it ("" for none)
  std::int64_t rows = -1;   // the table's rows when the database was read (-1: unknown)
  std::string rows_source;  // "estimate" (planner statistics), "sqlite_stat1", "count"
  std::int64_t bytes = -1;  // its size on disk (-1: unknown)
  bool ignored = false;     // silenced by -- runner:lint-ignore RULE REASON above the statement
  std::string ignore_reason;
  bool refused = false;  // the run fails on the statement (a syntax error, ...): no comment silences it
  std::string text;      // the finding as `runner lint` prints it (file:line, level, rule, size, fix)
};

struct LintReport {
  std::string database;            // the database read for table sizes ("" for none)
  std::vector<std::string> files;  // the files read, in order
  std::vector<LintFindingInfo> findings;
  std::size_t errors = 0;  // error-level findings not silenced: upgrade with lint refuses
  std::size_t warnings = 0, notes = 0, ignored = 0;
};

// One difference drift() found between the schema the applied migrations build and the live one.
struct SchemaDifferenceInfo {
  std::string kind;    // "missing" (the files build it, the database lacks it), "extra", "differs"
  std::string object;  // table, column, constraint, index, enum, view, sequence, function, trigger...
  std::string name;
  std::string table;                 // for what belongs to a table; else ""
  std::vector<std::string> details;  // differs: "type: bigint expected, integer found"
  std::string text;                  // "table tasks: column priority extra"
};

struct DriftReport {
  std::string database;
  std::string position;                           // the applied head ("base" for none)
  std::size_t replayed = 0;                       // migrations replayed into the shadow
  std::size_t pending = 0;                        // migrations of the folder not applied (not replayed)
  std::string shadow;                             // where the shadow was built ("" when an earlier call's was reused)
  std::vector<SchemaDifferenceInfo> differences;  // empty: no drift
  std::vector<std::string> notes;                 // files changed since they were applied, migrations stopped part-way
};

// What test() found: every migration's down checked against its up, on a shadow.
struct MigrationTestReport {
  std::string shadow;                     // where it ran
  std::size_t checked = 0;                // migrations whose round trip held
  std::vector<std::string> irreversible;  // migrations without a down file: applied, not checked
  // The first migration whose round trip did not hold (failed_version 0: none): "down" when its down
  // left the schema other than before its up, "up again" when its up, run after its down, built
  // another schema than the first time; with what differs.
  std::int64_t failed_version = 0;
  std::string failed_label;
  std::string phase;
  std::vector<SchemaDifferenceInfo> differences;
  double seconds = 0;
};

class RUNNER_API Migrator {
 public:
  // Finds the dialect from the URL and reads the folder's names (nothing connects yet). Throws
  // runner::Error.
  explicit Migrator(MigratorOptions options);
  ~Migrator();
  Migrator(Migrator&&) noexcept;
  Migrator& operator=(Migrator&&) noexcept;

  // The newest applied version; 0 at base.
  std::int64_t current();
  // The same, with its name.
  Position position();
  // The database as shown in messages, password masked.
  const std::string& database() const;
  std::vector<AppliedInfo> history();
  std::vector<MigrationStatus> status();
  // The no-transaction migrations that stopped part-way (at most one: nothing runs past it).
  std::vector<PartialInfo> partial();
  // "head", a VERSION or "+N".
  RunReport upgrade(const std::string& target = "head");
  // "-N", a VERSION (ends with it applied) or "base".
  RunReport downgrade(const std::string& target);
  // Records the history as if at "head", a VERSION or "base", running no SQL.
  RunReport stamp(const std::string& target);
  // Runs the rest of the no-transaction migration that stopped part-way, from the statement after
  // those it applied (after the cause was fixed), and records it. Refuses (exit 3) when a statement
  // it applied changed in the file since. Nothing stopped: runs nothing (planned empty).
  RunReport resume();
  // Records by hand how the migration `version` that stopped part-way ended: applied
  // (`mark_applied`) or not, and clears its progress. RunReport::note says what it records; with
  // dry_run nothing is written. Throws (exit 2) when `version` did not stop part-way.
  RunReport repair(std::int64_t version, bool mark_applied);
  // Puts the backup `file` (MigratorOptions::backup wrote it) back in place of the database, under
  // the run lock, after checking it is a database runner recognises; before and after say the
  // versions. With dry_run: checks and reports only. Throws (exit 2) for a file that is not such a
  // backup, or a dialect that cannot restore (the message says how by hand).
  RunReport restore(const std::string& file);
  // Reads, splits and checks every file (each statement against the schema the files before it
  // build, or, for what upgrade would run next, against the database's own), and which applied
  // files changed. Throws for invalid files; drift is reported, not thrown.
  ValidationReport check();
  // Reads migration files with the dialect's lint rules: `files` (paths), or, when empty, the
  // migrations upgrade() would run next (every file of the folder when the database does not exist
  // yet), with the database's table sizes. Changes nothing, takes no lock. Throws for a file that
  // does not exist; what a file holds is reported, not thrown.
  LintReport lint(const std::vector<std::string>& files = {});
  // The database's schema as the SQL that recreates it (runner dump): read from the catalog, in a
  // stable order (what others depend on first, then by name), without runner's own tables. Takes no
  // lock. Throws UsageError when the database does not exist.
  // schemas: which to dump, in order, where the database has schemas (empty: the one runner_history
  // is in); several are each created and entered in the dump.
  std::string dump_schema(const std::vector<std::string>& schemas = {});
  // Whether the live schema still matches what its applied migrations build: they are replayed into
  // a shadow (options.shadow_url), which is read and compared with the database, then removed.
  // Reads the database only. Throws UsageError when an applied migration has no file or the
  // database does not exist, MigrationError when a migration fails in the shadow.
  // schemas: those compared, where the database has schemas (empty: the one runner_history is in).
  DriftReport drift(const std::vector<std::string>& schemas = {});
  // Checks every migration's round trip on a shadow built beside this database (never in it): the
  // schema before its up, after it, after its down (which must equal the one before), and after its
  // up again (which must equal the one after). Stops at the first that does not hold. from/to: the
  // versions checked (0: from the first, to the newest); earlier ones are applied unchecked.
  // Throws MigrationError when a statement fails in the shadow, naming file and line.
  MigrationTestReport test(std::int64_t from = 0, std::int64_t to = 0, const std::vector<std::string>& schemas = {});
  // check(), throwing SafetyError when an applied file changed.
  void validate();
  // The script `runner upgrade --sql RANGE` (up) or `runner downgrade --sql RANGE` writes, as a
  // string, for a DBA to review and run: RANGE is [FROM:]TO, FROM base, head or a version (none:
  // the database's current version, read without the lock), TO as upgrade() or downgrade() take
  // it ("" for an upgrade: head). Changes nothing.
  std::string sql_script(const std::string& range, bool up = true);
  // Safe from any thread (a signal watcher's, a shutdown hook's): asks the upgrade, downgrade or
  // stamp in progress, or else the next one, to stop at the next safe point. The statement running
  // in a transactional migration is cancelled on the server and the migration rolled back; a
  // no-transaction migration stops after its current statement. The run then throws
  // runner::Error with exit_code() 130, saying what it applied and where the database is.
  void interrupt() noexcept;

 private:
  struct Impl;
  friend struct MigratorAccess;  // runner's own command line, which resolves the database itself
  explicit Migrator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
