// SPDX-License-Identifier: MIT
#include "runner/cli/command.hpp"

namespace runner::cli {

// Each command is one record; left as written.
// clang-format off
const std::vector<Command>& commands() {
  static const std::vector<Command> k_commands = {
      {"current", nullptr, "show the applied version and name, or base", "current",
       "Prints the newest applied migration (VERSION NAME) or `base`.\n"
       "--json: {\"version\": N or null, \"name\": \"...\" or null}",
       {"dry-run"}, &cmd_current},
      {"history", "status", "list every migration: applied or pending, when, checksum state", "history",
       "Lists every migration known from the files or the history with its state (applied, pending), when it "
       "was applied, and whether its file still matches (ok, changed, missing-file).\n"
       "--json: {\"current\": N or null, \"migrations\": [{\"version\", \"name\", \"applied\", \"applied_at\", "
       "\"checksum\"}]}",
       {"dry-run"}, &cmd_history},
      {"upgrade", nullptr, "apply pending migrations (to head, a version, or +N)", "upgrade [head|VERSION|+N]",
       "Applies pending migrations oldest first, each in its own transaction together with its history row, "
       "and prints each as it is applied with its time. Every file is read, split and checked before the first "
       "statement runs. Holds the run lock throughout.\n"
       "Refuses (exit 3) when an applied migration's file changed or disappeared, or a pending one is older "
       "than the current version.\n"
       "--dry-run: reads the history without locking or creating anything, reads, splits and checks every "
       "pending file as a real run would, and lists what would run (with -v, every statement); changes nothing.\n"
       "--backup[=DIR]: before its first pending migration, each database is backed up under the run lock "
       "(SQLite: an online copy through its backup API, into backups/ beside the file; PostgreSQL: pg_dump -Fc of "
       "the schema, refused when pg_dump is not installed), named NAME.vVERSION.UTCTIME.db|.dump; --keep N "
       "prunes to the newest N of each database. `runner restore FILE` puts one back.\n"
       "--lint (lint = true in the config): lints the pending migrations first, with the database's table sizes, "
       "and refuses (exit 3) when a finding at level error is not silenced; warnings are printed and the run goes on. "
       "--no-lint turns the config's lint = true off. With --sql nothing runs and nothing is linted (lint = true "
       "says so on stderr): `runner lint FILE...` reads the files.\n"
       "--sql [FROM:]TO: prints the script runner would run (history table, statements, history rows, "
       "BEGIN/COMMIT) for the database's own client, whose command the script's first lines give; FROM defaults to the database's current version when one "
       "is configured and reachable (its schema is then what statements are translated against), else base. "
       "-o FILE writes it to a file, whole or not at all, never inside the migration folder; --schema S "
       "targets schema S (dialects whose projects are schemas).\n"
       "--atomic (atomic = true in the config): every pending migration and its history row in one transaction, "
       "committed only when all ran: a failure leaves the database at the version it started from; refused before "
       "anything runs when a migration cannot run in a transaction (-- runner:no-transaction) or, on PostgreSQL, "
       "uses an enum value an earlier one adds.\n"
       "A URL that reaches a standby (a server in recovery) is refused before planning, exit 2. "
       "--wait-replicas=SECONDS: after a run that succeeded, waits until every streaming replica has replayed "
       "it, showing the lag, exit 3 naming a replica still behind.",
       {"dry-run", "sql", "allow-changed", "out-of-order", "set", "backup", "keep", "lint", "no-lint", "dump-schema", "shadow-url",
        "wait-replicas", "atomic", "no-atomic"},
       &cmd_upgrade, true},
      {"downgrade", nullptr, "roll back migrations (-N, to a version, or to base)", "downgrade -N|VERSION|base",
       "Runs down files newest first, each in its own transaction with the removal of its history row. "
       "VERSION: ends with that version applied. Refuses (exit 2) when a migration on the way has no down file, "
       "before running anything.\n"
       "--sql FROM:TO (or TO with a reachable database): prints the script instead of running it.",
       {"dry-run", "sql", "allow-changed", "set", "dump-schema", "wait-replicas", "shadow-url"}, &cmd_downgrade, true},
      {"stamp", nullptr, "record the history as if up to TARGET, running no SQL", "stamp head|VERSION|base",
       "For a database built another way: records every migration up to TARGET as applied (and removes rows "
       "above it) without running any migration SQL, in one transaction.",
       {"dry-run"}, &cmd_stamp, true},
      {"resume", nullptr, "run the rest of a no-transaction migration that stopped part-way", "resume",
       "A -- runner:no-transaction migration that fails (or is stopped) part-way is recorded as partial in "
       "runner_progress: `current` and `history` show it, with the statements applied and why it stopped, and "
       "upgrade, downgrade and stamp refuse the database (exit 3) until it is resolved. Once the cause is fixed "
       "(the failing statement, or what it met in the database), `resume` runs the migration on from the "
       "statement after those applied, then records it. It refuses (exit 3) when a statement that was applied "
       "changed in the file since; the failing statement and those after it may be edited. Nothing stopped "
       "part-way: nothing to do (exit 0). With --dry-run: shows what would run.",
       {"dry-run", "allow-changed", "set"}, &cmd_resume, true},
      {"restore", nullptr, "put a --backup copy back in place of the database",
       "restore FILE   (or: restore --all-projects --to-version VERSION)",
       "Checks that FILE is a backup of a database runner keeps (its runner_history readable, a layout this "
       "runner knows), then, under the run lock, replaces the database's content with it (SQLite: page by page "
       "through the backup API) and prints the version before and after. Without --yes it only says what it "
       "would do and exits 2; --dry-run checks and exits 0. With --all-projects --to-version VERSION: each "
       "project's newest backup taken at VERSION (a project with none fails, the others go on). PostgreSQL "
       "backups are pg_dump archives: restore them with pg_restore (the message says how).",
       {"yes", "dry-run", "to-version"}, &cmd_restore, true},
      {"repair", nullptr, "record how a migration that stopped part-way ended", "repair VERSION --mark-applied|--forget",
       "For a no-transaction migration that stopped part-way and that you finished or undid by hand: "
       "--mark-applied records it as applied (its runner_history row, with the file's checksum), --forget as "
       "not applied (no row); either clears its progress, in one transaction. Prints what it records; without "
       "--yes it records nothing and exits 2, with --dry-run it records nothing and exits 0. Refuses (exit 2) a "
       "VERSION that did not stop part-way: `stamp` rewrites the history otherwise.",
       {"mark-applied", "forget", "yes", "dry-run"}, &cmd_repair, true},
      {"new", "revision", "write the next-numbered up/down pair (empty, or generated with --to)",
       "new NAME [--to FILE [--from-db]]   (or: revision -m NAME)",
       "Writes NNNN_NAME.up.sql and NNNN_NAME.down.sql into the migration folder with a header comment, "
       "numbered after the highest version there (timestamps stay timestamps), and prints the two paths. "
       "--to FILE: the pair is generated, as `diff --to FILE` writes it: the up takes the schema the migrations "
       "build (--from-db: the database's) to the one FILE builds, the down takes it back; each file says what it "
       "was generated from, lists what was not generated, and was checked on a shadow first. Nothing to "
       "generate: nothing is written (exit 0).",
       {"message", "dry-run", "to", "from-db", "shadow-url", "set"}, &cmd_new, true},
      {"diff", nullptr, "the SQL that takes the migrations' schema to a desired one", "diff --to FILE [--from-db]",
       "Builds the schema the migrations make at head (--from-db: reads the database's instead) and the one FILE "
       "makes (a dump, or a schema written by hand), each in a shadow as drift does, and prints the statements "
       "that take the first to the second, in runner's portable DDL (PostgreSQL's, which the sqlite dialect "
       "translates): enums (create, add a value in place, drop a value, drop), sequences, tables, columns (add, "
       "drop, type, default, nullability), keys, checks and foreign keys as named constraints, indexes, views. "
       "Renames are not guessed: a dropped and an added column of one type get a comment suggesting RENAME. "
       "Destructive statements carry a comment; functions, triggers and other changes not generated are listed "
       "by name. The statements are then run on a shadow of the start: what they do not reach (up, then down "
       "back) is printed as a warning. `new NAME --to FILE` writes them as the next pair.\n"
       "Exit 0: no difference; 3: they differ; 2: bad usage (no FILE); 1: FILE or a migration failed in its "
       "shadow.\n"
       "--json: {\"from\", \"to\", \"same\", \"differences\", \"up\", \"down\", \"destructive\", "
       "\"not_generated\", \"up_left\", \"down_left\", \"check_error\"}",
       {"to", "from-db", "shadow-url", "set"}, &cmd_diff, true},
      {"validate", nullptr, "check the files, and that applied files are unchanged", "validate",
       "Checks every file's name and pairing, splits every statement with the dialect's lexer, checks the "
       "transaction rules and the dialect's translations (against the schema the files build, up to head and "
       "back down). With a database, also checks that every applied migration's file exists with its checksum "
       "unchanged (exit 3 when not), and translates the pending ones against that database's own schema.",
       {"dry-run", "set"}, &cmd_validate},
      {"lint", nullptr, "report what in the migrations could hurt a production database, before it runs",
       "lint [FILE...]",
       "Reads each statement with the dialect's own parser and reports, per statement, FILE:LINE, the level "
       "(error, warning, note), the rule, what happens and the fix: data lost for good (DROP TABLE, DROP COLUMN, "
       "TRUNCATE, DELETE or UPDATE without WHERE, a type change that changes values), locks that stop the "
       "application (PostgreSQL: CREATE INDEX without CONCURRENTLY, ADD FOREIGN KEY or CHECK without NOT VALID, "
       "SET NOT NULL, a rewriting type change, a volatile default, ADD UNIQUE or PRIMARY KEY without USING INDEX, "
       "VACUUM FULL, CLUSTER, REINDEX; no lock timeout), renames the running application trips over, SQLite's "
       "table rebuilds, and what the run itself would refuse. A table created earlier in the same file is no "
       "locking finding. Without FILE: the migrations upgrade would run next on the configured database, with "
       "each table's size and rows (pg_class, sqlite_stat1 or count(*)); with no database, every up and down file "
       "(destructive statements are warnings in a down file). A finding is silenced for one statement by "
       "`-- runner:lint-ignore RULE[,RULE] REASON` above it; the reason is shown. Rules: docs/lint.md.\n"
       "Exit 0: no error-level finding left; 1: at least one; 2: a file that does not exist.\n"
       "--json: {\"dialect\", \"database\", \"files\", \"findings\": [{\"file\", \"line\", \"rule\", \"level\", "
       "\"message\", \"fix\", \"table\", \"rows\", \"rows_source\", \"bytes\", \"refused\", \"ignored\", "
       "\"ignore_reason\"}], "
       "\"errors\", \"warnings\", \"notes\", \"ignored\"}",
       {"set"}, &cmd_lint},
      {"dump", nullptr, "print the database's schema as the SQL that recreates it", "dump [-o FILE]",
       "Reads the schema from the database's own catalog (no pg_dump, whatever the server's version) and prints "
       "the statements that recreate it, in a stable order: extensions, enums, sequences, functions, tables (with "
       "their columns, keys and checks), views, indexes, triggers, then foreign keys; by name within each, a table "
       "or view after those it depends on. runner's own tables are left out. The same schema always dumps to the "
       "same text, so the file can be reviewed in version control: `upgrade --dump-schema FILE` (dump-schema = in "
       "the config) rewrites it after every upgrade or downgrade that succeeded. On SQLite each object is written "
       "as SQLite stored it, and enum types as CREATE TYPE, which the sqlite dialect translates when the file runs "
       "as a migration. -o FILE: write it to FILE (replaced whole) instead of printing it.\n"
       "Exit 0; 2 when the database (a SQLite file, a schema) does not exist.\n"
       "--json: {\"database\", \"dialect\", \"sql\"} (\"file\" instead of \"sql\" with -o)",
       {"output", "schema"}, &cmd_dump},
      {"drift", nullptr, "compare the live schema with what its applied migrations build", "drift",
       "Replays the migrations the database's history lists into a shadow (PostgreSQL: a schema of its own in "
       "the same database, runner_shadow_PID_N; SQLite: memory; --shadow-url URL: a scratch database created "
       "and dropped on that server, for migrations that make their own schemas or extensions), reads both "
       "schemas from the catalog as `dump` does, and prints each difference: `table tasks: column priority "
       "missing` (the files build it, the database lacks it), `index runs_task_id_idx: extra` (the database has "
       "it, no file made it), `table runs: column status differs (type: run_status expected, text found)`. The "
       "shadow is always removed, on failure and on SIGINT/SIGTERM too. Reads the database only: no lock. A "
       "migration naming another schema cannot be replayed beside the live one and is refused (exit 2), "
       "naming --shadow-url. With --all-projects: one line per project in the summary (projects at the same "
       "version share one shadow), then each difference as `project ID: ...`.\n"
       "Exit 0: no drift; 3: drift; 2: an applied migration has no file, or the database does not exist; 1: a "
       "migration failed in the shadow.\n"
       "--json: {\"database\", \"position\", \"replayed\", \"shadow\", \"drift\", \"differences\": "
       "[{\"kind\": \"missing|extra|differs\", \"object\", \"name\", \"table\", \"details\", \"text\"}], "
       "\"notes\"}",
       {"shadow-url", "schema", "set"}, &cmd_drift, true},
      {"test", nullptr, "check that every migration's down undoes its up, on a shadow", "test [--from V] [--to V]",
       "For each migration in order, on a shadow (SQLite: memory; PostgreSQL: a schema of its own beside the "
       "configured database, or a scratch database on --shadow-url's server; never the database itself): reads "
       "the schema, applies the up, reads it, applies the down and compares with the schema before the up, "
       "applies the up again and compares with the schema after the first. Stops at the first migration whose "
       "down leaves something behind (or whose up builds another schema the second time), printing each "
       "difference as drift does. A migration without a down is reported as irreversible and applied unchecked. "
       "--from/--to: the versions checked (earlier ones are applied unchecked). Rows are not compared: the "
       "shadow holds none. No database is needed on SQLite.\n"
       "Exit 0: every round trip held; 1: one did not, or a statement failed in the shadow (its file and line "
       "named); 2: bad usage, a migration that cannot run in a shadow schema (give --shadow-url).\n"
       "--json: {\"shadow\", \"checked\", \"irreversible\", \"failure\": null | {\"version\", \"label\", "
       "\"phase\": \"down|up again\", \"differences\"}, \"seconds\", \"passed\"}",
       {"shadow-url", "from", "to", "schema", "set"}, &cmd_test, true},
      {"explain", nullptr, "show a migration file's statements as they will run on a dialect", "explain FILE",
       "Prints the statements of FILE (an up or down file, by path or by name in the migration folder) as they "
       "will run on the dialect given by --dialect, else by the database URL: each with its file:line, and each "
       "statement the dialect rewrites (what the database lacks, emulated: an enum or constraint change, say) as "
       "written and as it runs. Connects to nothing: statements are translated against the schema the earlier "
       "migrations build, replayed into the dialect's scratch database (for a dialect with none in memory, mysql's: "
       "a database created and dropped on --shadow-url's server). Output is SQL with comments.\n"
       "Exit 2 when FILE is not a migration of the folder or a statement has no translation for the dialect.\n"
       "--json: {\"dialect\", \"file\", \"version\", \"name\", \"direction\", \"transaction\", \"after\", "
       "\"statements\": [{\"line\", \"written\", \"translated\", \"runs\": [SQL, ...]}]}",
       {"set", "shadow-url"}, &cmd_explain},
      {"import", nullptr, "rewrite another tool's migrations (Alembic, golang-migrate, goose, ...) as runner's files",
       "import FORMAT --from DIR",
       "Writes one NNNN_name.up.sql / .down.sql pair per migration of another tool into the migration folder, "
       "in the order that tool applies them (Alembic's revisions numbered after the folder's last migration; the "
       "other tools' versions kept, below), each opening with a comment naming where it came from and a "
       "`-- runner:imported-from FORMAT KEY` line that `runner adopt` maps the tool's history with. Writes every "
       "file or none, never over an existing one; the whole folder as it would be is split and checked (and "
       "translated over a round trip) first, and a migration that does not run is named with its line.\n"
       "FORMAT alembic: DIR holds alembic.ini (or give --alembic-config FILE). Runs the project's own Alembic "
       "(--alembic CMD; default `alembic` on PATH, Debian's package) in offline mode, one revision at a time "
       "(upgrade PARENT:REV --sql, downgrade REV:PARENT --sql), rendered for PostgreSQL: a temporary copy of "
       "the ini beside it sets sqlalchemy.url to postgresql://runner-offline/import (no server is contacted), "
       "and --url-env NAME puts the same URL in variable NAME for an env.py that reads it there. Alembic's "
       "version table and BEGIN/COMMIT are dropped (read by the dialect's parser). The revision graph is "
       "linearised: each revision after what it revises, ties by create date, then id; the order is printed. "
       "The PostgreSQL SQL must also translate for SQLite, else nothing is written and the revision, statement "
       "and construct are named; with --dialect sqlite, Alembic's SQLite rendering is written as "
       ".up.sqlite.sql/.down.sqlite.sql variants instead.\n"
       "Exit 2: Alembic missing or failing (the command and its stderr), a revision that cannot render "
       "offline (by name, with Alembic's message), a cycle, a file that exists.\n"
       "FORMAT golang-migrate ({version}_{title}.up.sql/.down.sql), dbmate (-- migrate:up/down, "
       "transaction:false), goose (-- +goose Up/Down, StatementBegin/End, NO TRANSACTION), sql-migrate "
       "(-- +migrate Up/Down [notransaction]), flyway (V1__x.sql, U1__x.sql undo; R__ refused) or plain "
       "([V]NNNN[_name][.up|_up|.down|_down].sql): statements kept byte for byte, markers dropped, no-transaction "
       "markers mapped; a StatementBegin/End block must end where --dialect's splitter ends a statement. "
       "The tool's versions are kept where they rise, else (repeated, 0, dotted) renumbered in the tool's "
       "order with a report. --dialect (default postgresql) names the database the folder was written for; "
       "for another than PostgreSQL each file gets -- runner:as-written (run with no translation).\n"
       "Exit 2: a file that does not fit FORMAT (file and line; the format the folder looks like), "
       "sections that cannot be told apart, a down without its up.\n"
       "Importing again writes only the migrations no file carries yet.\n"
       "--dry-run: lists what would be written; writes nothing.",
       {"from", "alembic", "alembic-config", "url-env", "set", "dry-run"}, &cmd_import},
      {"adopt", nullptr, "record another tool's history (alembic_version, ...) in runner_history, running no SQL",
       "adopt FORMAT -d URL | --all-projects",
       "For a database another tool migrated, after `runner import FORMAT`: reads that tool's history table "
       "(alembic_version; golang-migrate's and dbmate's schema_migrations; goose_db_version; gorp_migrations; "
       "flyway_schema_history), maps what it records to the imported files through their "
       "`-- runner:imported-from` lines, and records exactly those migrations in runner_history with the files' "
       "checksums, in one transaction under the run lock, running no migration SQL. Alembic: the revision and "
       "every revision it stands on, so a database on one branch of a merge gets the other branch as pending "
       "(upgrade --out-of-order applies it). The other tool's table is left as it was unless --drop-source. "
       "A database adopted the same way before is nothing to do.\n"
       "Refused (exit 3; with --all-projects the others proceed): no such table, a dirty (golang-migrate) or "
       "failed (Flyway) row, two Alembic heads, a revision or version no imported file carries, runner_history "
       "rows that disagree. Exit 2: no file imported from FORMAT; with --from (alembic), an Alembic revision "
       "that was not imported.\n"
       "--dry-run: prints, per database, what was found and the version it maps to; changes nothing.",
       {"from", "alembic", "alembic-config", "url-env", "drop-source", "dry-run"}, &cmd_adopt},
      {"renumber", nullptr, "move pending migrations to the next free versions at the top", "renumber [VERSION...]",
       "For a branch merged late (its migration numbered below what production applied) or two branches that "
       "both added one version: renames every file of each migration (up, down, dialect variants) to the next "
       "free versions above every file and every applied version, in version order, keeping names and the "
       "digits' width. Without VERSIONs: every migration no checked database applied that is below the "
       "highest version one of them applied. The databases checked are -d URL or every project with "
       "--all-projects (read only: no lock, nothing created); a migration any of them applied is never moved "
       "(exit 3 naming the database); one applied on some and pending on others is listed as left, for "
       "upgrade --out-of-order. Renames all files or none, never over an existing file.\n"
       "Exit 2: a VERSION no file has; no VERSION and no database.\n"
       "--dry-run: prints the renames; renames nothing.\n"
       "--json: {\"sql_dir\", \"checked\": [database, ...], \"renumbered\": [{\"from\", \"to\", \"migration\", "
       "\"now\", \"files\": [{\"from\", \"to\"}]}], \"left\": [...]}",
       {"dry-run"}, &cmd_renumber},
      {"completion", nullptr, "print the shell completion script (bash)", "completion bash",
       "Prints a bash completion script for runner: its commands, each command's options, the global options, "
       "and the dialect names `runner dialects` finds when completing --dialect. Installed as "
       "share/bash-completion/completions/runner; to try it: source <(runner completion bash).",
       {}, &cmd_completion},
      {"dialects", nullptr, "list the dialect plugins found, with version and file", "dialects",
       "Loads every runner_dialect_*.so on the plugin search path and lists name, version and file. "
       "Exit 2 when one of them cannot be loaded.",
       {"dry-run"}, &cmd_dialects},
  };
  return k_commands;
}
// clang-format on

}  // namespace runner::cli
