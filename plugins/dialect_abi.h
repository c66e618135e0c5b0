/* SPDX-License-Identifier: MIT */
/* The contract between the runner and its dialect plugins.
 *
 * A dialect is a shared object exporting one C function, RUNNER_DIALECT_ENTRY_SYMBOL, that returns
 * a static runner_dialect table: what differs between databases (splitting, transaction rules,
 * translation, history and lock SQL, URLs) and the driver that connects and runs statements. The
 * host holds no database name; a new database needs a plugin and nothing else. Rules that keep the
 * boundary safe across compilers and heaps:
 *   1. Nothing but C types crosses. No exception may leave a function on either side: a plugin's
 *      entries and the row callbacks it hands the host, and the host's sinks, queries and logger
 *      (the SDK guards the plugin side, the loader the host side).
 *   2. No memory crosses. Lifetimes: every pointer passed into a call (SQL text, URLs, parameters,
 *      row values, sinks, queries) is valid until that call returns and no longer; whoever keeps
 *      one copies it. Strings in runner_dialect, and the runner_host and runner_driver tables, live
 *      as long as the process. A runner_connection lives from connect() to close() and is used by
 *      one thread at a time (cancel() excepted).
 *   3. Versions are negotiated before anything else is read: the host passes the oldest and the
 *      newest ABI it speaks in runner_host; the plugin returns a table whose abi_version lies
 *      between them, or NULL when it cannot serve this host (saying why through host->log when the
 *      host's runner_host is laid out as the plugin knows it);
 *      the host checks abi_version and struct_size before reading any other field. A minor revision
 *      may only append fields (read when struct_size covers them); any other change is a new
 *      RUNNER_DIALECT_ABI_VERSION.
 */
#ifndef RUNNER_PLUGINS_DIALECT_ABI_H
#define RUNNER_PLUGINS_DIALECT_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2: the driver entered the ABI; soci_backend, quote_identifier and :name binds left it. */
#define RUNNER_DIALECT_ABI_VERSION 2u
#define RUNNER_DIALECT_ENTRY_SYMBOL "runner_dialect_entry"

/* Status returned by every plugin function. */
enum runner_status {
  RUNNER_OK = 0,
  RUNNER_ERR_SYNTAX = 1,  /* the input (SQL, URL) is malformed; error() names the line */
  RUNNER_ERR_USAGE = 2,   /* a valid request the dialect refuses or does not support */
  RUNNER_ERR_INTERNAL = 3 /* a bug or resource failure inside the plugin */
};

/* Flags a splitter attaches to a statement. */
enum runner_statement_flag {
  RUNNER_STMT_NO_TRANSACTION = 1u << 0,  /* the database refuses it inside a transaction block */
  RUNNER_STMT_TX_BEGIN = 1u << 1,        /* BEGIN / START TRANSACTION */
  RUNNER_STMT_TX_COMMIT = 1u << 2,       /* COMMIT / END */
  RUNNER_STMT_TX_OTHER = 1u << 3,        /* ROLLBACK and other statements that end a transaction */
  RUNNER_STMT_TRANSLATE = 1u << 4,       /* pass it to translate() right before it runs */
  RUNNER_STMT_READS_SCHEMA = 1u << 5,    /* (with TRANSLATE) its translation reads the schema and may be
                                            refused by what the earlier migrations built: the host
                                            translates it against a scratch copy when the run is
                                            planned, so that the refusal comes before anything runs */
  RUNNER_STMT_IMPLICIT_COMMIT = 1u << 6, /* (2.8) the database commits the open transaction before and
                                            after it (MySQL's DDL): a migration holding one cannot run in
                                            a transaction, so the host runs it statement by statement with
                                            its progress recorded, as a -- runner:no-transaction migration,
                                            and refuses it inside a BEGIN the file opened itself */
  RUNNER_STMT_SESSION = 1u << 7          /* (2.8) it changes only the session (USE, SET of a session or
                                            user variable): a migration resumed or retried part-way runs
                                            the ones before its next statement again first, so that the
                                            rest runs where and as the file meant */
};

/* Options of runner_dialect.review. */
enum runner_review_option {
  RUNNER_REVIEW_IN_TRANSACTION = 1u << 0 /* the migration runs inside the runner's transaction */
};

/* Options of runner_dialect.lint. */
enum runner_lint_option {
  RUNNER_LINT_IN_TRANSACTION = 1u << 0, /* the file runs inside the runner's transaction */
  RUNNER_LINT_DOWN = 1u << 1,           /* a down file: it undoes a migration, and dropping is its job */
  RUNNER_LINT_LOCK_WAIT = 1u << 2,      /* the host bounds every lock wait itself (--lock-wait) */
  RUNNER_LINT_AS_WRITTEN = 1u << 3      /* the file is in the database's own SQL (-- runner:as-written) */
};

/* Log levels for runner_host.log, mirroring the host's logger. */
enum runner_log_level { RUNNER_LOG_DEBUG = 0, RUNNER_LOG_INFO = 1, RUNNER_LOG_WARN = 2 };

/* Levels of a finding (runner_sink.diagnostic). An error refuses the file; a warning is shown and
 * the run goes on; a note is shown with --verbose. */
enum runner_diagnostic_level { RUNNER_DIAG_NOTE = 0, RUNNER_DIAG_WARNING = 1, RUNNER_DIAG_ERROR = 2 };

/* Operations of runner_driver.transaction. */
enum runner_transaction_op { RUNNER_TX_BEGIN = 0, RUNNER_TX_COMMIT = 1, RUNNER_TX_ROLLBACK = 2 };

/* Where a plugin function writes its results. Valid for one call. */
typedef struct runner_sink {
  void* ctx;
  /* One SQL statement, verbatim from the input. line: 1-based line of its first token. */
  void (*statement)(void* ctx, const char* sql, size_t len, uint32_t line, uint32_t flags);
  /* A named value; a key may repeat (e.g. several "session_sql" statements, in order). */
  void (*field)(void* ctx, const char* key, const char* value, size_t value_len);
  /* Why the call failed. line: 1-based line in the input, 0 when none applies. */
  void (*error)(void* ctx, int status, uint32_t line, const char* message);
  /* One finding of a review (repeatable): level (RUNNER_DIAG_*), 1-based line (0: the whole
   * file), the rule's name ("enum-add-value-in-transaction"), and the message with its fix. */
  void (*diagnostic)(void* ctx, int level, uint32_t line, const char* rule, const char* message);
} runner_sink;

/* Services the host lends a plugin for the life of the process. */
typedef struct runner_host {
  uint32_t abi_version;     /* the newest ABI the host speaks */
  uint32_t struct_size;     /* sizeof(runner_host) as the host saw it */
  uint32_t abi_min_version; /* the oldest ABI the host still speaks */
  void* ctx;
  void (*log)(void* ctx, int level, const char* message); /* any thread; never fails */
} runner_host;

/* One result row: `values[i]` is column i as text, a null pointer for SQL NULL. */
typedef void (*runner_row_fn)(void* row_ctx, uint32_t ncols, const char* const* values);

/* A window on the database a statement is about to run against, lent by the host for one call.
 * It sees the migration's open transaction, so a plugin reads the schema exactly as the statement
 * will find it. Plugins use it to read (catalogs, PRAGMAs, row counts); what they want changed
 * they emit as statements. */
typedef struct runner_query {
  void* ctx;
  /* Runs one statement and passes each row to row(row_ctx, ...) (row must not be NULL). Returns
   * RUNNER_OK, or RUNNER_ERR_USAGE when the database refused it: error(ctx) then holds its
   * message, valid until the next run() on this query or the end of the plugin call. */
  int (*run)(void* ctx, const char* sql, runner_row_fn row, void* row_ctx);
  const char* (*error)(void* ctx);
} runner_query;

/* A connection, opaque to the host: created by runner_driver.connect, freed by close. */
typedef struct runner_connection runner_connection;

/* How the host reaches the database: connect, run statements verbatim, transactions, cancel.
 * Failures of connect, run and transaction report through out: the fields
 *   sqlstate  the SQLSTATE, where the database has them        detail, hint  the database's own
 *   code      the database's error code in words ("SQLITE_CONSTRAINT, code 19")
 *   position  the byte offset in the statement the database points at (decimal)
 *   locked    "1" when another connection held what it needed past the lock timeout
 * then error(RUNNER_ERR_USAGE, 0, primary message). RUNNER_ERR_INTERNAL: the plugin failed. */
typedef struct runner_driver {
  /* Opens a connection with describe_database's `connect`; *conn is set on RUNNER_OK. */
  int (*connect)(const char* connect, const runner_sink* out, runner_connection** conn);
  void (*close)(runner_connection* conn);
  /* Runs `sql` verbatim, exactly as the database's own client would send it. nparams text
   * parameters (NULL for SQL NULL) fill the placeholders the dialect's own SQL uses (runner_sql's
   * insert and delete); with nparams 0 the text is sent as it is, placeholders and all. row (may be
   * NULL) receives each result row; a row callback must not fail (it is host code, guarded). */
  int (*run)(runner_connection* conn, const char* sql, size_t len, uint32_t nparams, const char* const* params,
             runner_row_fn row, void* row_ctx, const runner_sink* out);
  /* RUNNER_TX_BEGIN, _COMMIT or _ROLLBACK of the connection's transaction. */
  int (*transaction)(runner_connection* conn, int op, const runner_sink* out);
  /* 1 while a transaction is open (one a migration file began itself, say), else 0. */
  int (*in_transaction)(runner_connection* conn);
  /* The local and the remote TCP port of the connection's socket; -1 when not TCP. */
  void (*ports)(runner_connection* conn, int* local, int* remote);
  /* Asks the database to stop what conn is running now; callable from another thread while run()
   * is in progress. Returns RUNNER_OK when the request was sent. */
  int (*cancel)(runner_connection* conn);
} runner_driver;

typedef struct runner_dialect {
  uint32_t abi_version;  /* the ABI the plugin serves this host with, within the host's range */
  uint32_t struct_size;  /* sizeof(runner_dialect) as the plugin saw it */
  const char* name;      /* "sqlite", "postgresql": what URL schemes and --dialect select */
  const char* aliases;   /* other URL schemes that select it, space-separated ("" for none); the
                            plugin file is found under each as well (a symlink) */
  const char* version;   /* the plugin's own version */
  const char* url_forms; /* the URLs it takes, for the user ("sqlite:PATH, sqlite::memory:") */
  const runner_driver* driver;

  /* Describes the database a URL names. Fields:
   *   connect      what runner_driver.connect takes (holds the password: the host never prints it)
   *   display      the URL with any password masked
   *   secret       a string (the password, raw and decoded) to mask in any message (repeatable)
   *   schema       the schema holding runner_history ("" where the database has none)
   *   file         the database file ("" for an in-memory or server database)
   *   session_sql  statements to run right after connecting, in order (repeatable)
   *   reset_sql    statements that set the session up again before each migration, so that what one
   *                migration SETs or RESETs (search_path above all) never reaches the next; run
   *                before the migration's BEGIN (repeatable)
   *   discard_sql  statements that set a session migrations ran on back to how a new connection with
   *                `connect` starts (temporary tables, settings, prepared statements, locks,
   *                listeners); the host runs them outside any transaction before the connection
   *                serves another database of the server, then its session_sql. Without them such
   *                a connection is closed (repeatable, optional, 2.7)
   *   prepare_sql  statements that create the target (schema) before a write (repeatable)
   *   default_schema  when `schema` is "": a query returning the schema that holds runner_history
   *                (else the one the connection uses; "" when that cannot be told), so
   *                that runner_history and the lock stay put whatever search_path a migration sets
   *   default_schema_unknown  (with default_schema) why it answered "", and what the user gives
   *                instead, for the host's refusal
   *   session_id   a query returning "SESSION CLIENT_PORT SERVER_PORT": what identifies the server
   *                session a connection reached, and the two ports of the server's socket (-1: not
   *                TCP). When they are not the connection's own two, the host asks from a second
   *                connection too and refuses the URL when sessions are shared (a pool in
   *                transaction mode)
   *   keep_open    "1": the database lives only while a connection to it is open (SQLite's
   *                :memory:), and `connect` names the same one each time it is used; a host that
   *                works on it across calls keeps one connection open meanwhile (optional, 2.2)
   *   server       the server the database lives on, as "HOST:PORT" (a list for several hosts),
   *                never with a user or password: what a fleet run groups projects by and caps
   *                its connections to; "" for a file (optional, 2.6)
   *   read_only    a query returning "" when the server takes writes, else why not, naming the
   *                server the connection reached (a standby); the host refuses a run that would
   *                write before planning it (optional, 2.6)
   *   write_position  a query returning the position the server's writes have reached, as text
   *                (PostgreSQL: the WAL LSN) (optional, 2.6)
   *   one_statement  "1": the driver runs one statement per run() call (MySQL without multi-statements,
   *                so that a statement the splitter missed can never run unseen); the host then never
   *                joins its own statements (the session settings and BEGIN) into one call
   *                (optional, 2.8)
   *   replica_lag  a query taking that position as its one parameter, returning a row per replica:
   *                its name, and how much of the writes up to the position it has still to
   *                replay (a decimal; "0": it has caught up) (optional, 2.6; with write_position)
   * base_dir: what a relative file path in the URL is relative to ("" = the working directory);
   * the folder of the config file the URL came from.
   * lock_timeout_s: how long the host will wait for locks (the dialect may pass it to the driver). */
  int (*describe_database)(const char* url, const char* base_dir, uint32_t lock_timeout_s, const runner_sink* out);

  /* Splits a migration file into statements with the database's own lexer. Comment-only or
   * empty input yields no statement. */
  int (*split)(const char* sql, size_t len, const runner_sink* out);

  /* clang-format off */
  /* The SQL of runner's own work in `schema` ("" = the connection's default): its tables, the run
   * lock, offline scripts. The host calls it with "" when the plugin loads and refuses a plugin
   * missing a required field or giving no run lock, or two. Fields, required unless marked:
   *
   * runner_history, one row per applied migration:
   *   exists    a query returning one row: 1 when runner_history exists (else 0), and 1 when
   *             runner_meta exists (else 0)
   *   create    DDL building runner's tables (runner_history, runner_meta, any other of the
   *             dialect's own) at layout tables_version, for a database that has none; idempotent
   *             (repeatable, in order)
   *   select    returns version, name, checksum, applied_at (UTC, ISO 8601), execution_ms
   *   insert    takes five parameters: version, name, checksum, applied_at, execution_ms
   *   delete    takes one parameter: version
   *
   * runner_meta, the layout of runner's tables, so that they can change safely:
   *   tables_version      the layout `create` builds and the other fields read and write ("1")
   *   meta_select         a query returning the recorded layout (no row: 0, written before runner_meta)
   *   select_with_layout  `select` with one more row: version -1, the recorded layout as its name
   *                       and 'runner_meta' as its checksum, rows in any order (run when runner_meta
   *                       exists, so that a read costs one query, as before runner_meta)
   *   meta_set            records the layout; takes one parameter: the version
   *   meta_init_literal   records tables_version unless a layout is recorded, for offline scripts
   *                       (which create what is missing and cannot run upgrade steps: a step that
   *                       changes an existing table needs an online runner to apply it)
   *   upgrade             "N:SQL", a statement of the step bringing an existing database's tables
   *                       from layout N-1 to N (repeatable, in order, optional); the host runs the
   *                       steps above the recorded layout in one transaction under the run lock,
   *                       then meta_set. A layout above tables_version is refused: a newer runner
   *                       wrote it.
   *
   * The run lock, exactly one of:
   *   lock_file     "1": an exclusive lock on the database file describe_database names (none for a
   *                 database without a file, which no other process can reach)
   *   lock_try      a query returning 1 once the run lock on this schema is taken, 0 while
   *                 another runner holds it; with lock_release, the statement that releases it
   * and, for a lock_try lock:
   *   lock_check    a query returning 1 while this very session still holds the run lock, run
   *                 before each history write (optional: absent, the lock cannot be lost)
   *   lock_holder   a query returning one line describing who holds the run lock, for the message
   *                 of a runner that gave up waiting for it (optional)
   *
   * Offline (--sql) scripts:
   *   script_usage    how to run one with the database's client, FILE and DATABASE standing for the
   *                   script and the database ("psql -v ON_ERROR_STOP=1 -f FILE")
   *   script_header   lines for the very top, verbatim: the client's stop-on-error setting
   *                   (repeatable, optional)
   *   script_block    (2.8, optional) how a script writes a migration's statement that holds ';' (a
   *                   stored program's body), $SQL$ standing for it, so that the client sends it
   *                   whole (MySQL: "DELIMITER ;;\n$SQL$\n;;\nDELIMITER ;")
   *   script_prelude  statements opening the script for `schema` (repeatable, optional)
   *   script_reset    statements opening each migration, before its BEGIN: the offline form of
   *                   describe_database's reset_sql (repeatable, optional)
   *   insert_literal  the insert with literals: the host replaces $VERSION$ with the number and
   *                   $NAME$, $CHECKSUM$ with standard SQL string literals
   *   delete_literal  the delete, with $VERSION$
   *
   * Waiting for locks and statements (optional; without them --lock-wait and --statement-timeout are
   * refused for the dialect):
   *   lock_wait_sql          sets how long a statement waits for a lock before it fails with
   *                          the driver's failure field `locked` set; $MS$: milliseconds;
   *                          run before each migration, outside its transaction
   *   statement_timeout_sql  sets how long a statement may run; $MS$ as above
   *   lock_blockers_sql      a query returning one line describing who blocks session $PID$ (the
   *                          first word of describe_database's session_id), "" or no row for none;
   *                          run from a second connection while a migration waits
   *
   * runner_progress, a -- runner:no-transaction migration's progress (all of these fields, or none: such a
   * migration that fails part-way is then not resumable), one row per migration stopped part-way.
   * Times are UTC, ISO 8601, as in select:
   *   exists           returns a third column: 1 when runner_progress exists (else 0)
   *   select_with_progress  select_with_layout with one more row per runner_progress row:
   *                    version -2, its version as the name and 'runner_progress' as the checksum
   *                    (run when runner_progress exists)
   *   progress_select  returns version, name, direction ('up'/'down'), checksum, statements,
   *                    applied, prefix_hash, statement_hashes, error, error_file, error_line,
   *                    started_at, updated_at, ordered by version
   *   progress_start   inserts a row; parameters: version, name, direction, checksum, statements,
   *                    started_at (applied 0, the rest '')
   *   progress_step    parameters: version, applied, prefix_hash, statement_hashes, updated_at
   *                    (clears error, error_file, error_line)
   *   progress_fail    parameters: version, error, error_file, error_line, updated_at
   *   progress_delete  parameter: version
   *
   * Plan-time translation against a live database:
   *   schema_dump   a query returning, one per row, statements that rebuild the database's schema
   *                 without its rows in the scratch database (repeatable, optional; a query the
   *                 database refuses is skipped: what it reads does not exist). The check of
   *                 RUNNER_STMT_READS_SCHEMA translations starts from it on a live database. */
  /* clang-format on */
  int (*runner_sql)(const char* schema, const runner_sink* out);

  /* The projects `--all-projects` covers, for a glob `pattern` (* and ?). Field:
   *   query  a query, run on the database the URL names, returning the project names in order;
   *          absent when projects are files (the host then expands the glob itself) */
  int (*projects_sql)(const char* pattern, const runner_sink* out);

  /* The URL of project `name` (a schema, a file path) derived from `url`. Field: url */
  int (*project_url)(const char* url, const char* name, const runner_sink* out);

  /* A URL of an empty scratch database (e.g. "sqlite::memory:") the host replays earlier
   * migrations into, so that translate() sees the schema when no real database is at hand
   * (--sql, explain). NULL: translate() never needs the database. */
  const char* shadow_url;

  /* Rewrites one statement that split() flagged RUNNER_STMT_TRANSLATE into the statements that
   * run in its place, in order, through out->statement (line: the original's). db reads the
   * database as the statement will find it; it is NULL when shadow_url is NULL. Errors:
   * RUNNER_ERR_USAGE with what the user must fix (rows breaking a new rule, an unknown table). */
  int (*translate)(const char* sql, size_t len, uint32_t line, const runner_query* db, const runner_sink* out);

  /* Plan-time review of one whole migration file, before anything runs: rules that depend on the
   * server (db; NULL offline) or on the transaction (options: RUNNER_REVIEW_*). Findings go
   * through out->diagnostic, as many as there are; an error-level one refuses the file. Returns
   * RUNNER_OK when it reviewed the file (whatever it found). May be NULL. */
  int (*review)(const char* sql, size_t len, uint32_t options, const runner_query* db, const runner_sink* out);

  /* Revision 2.1 (read when struct_size covers it; may be NULL). */

  /* What one statement (as split() gave it) does, read with the dialect's parser, for a host that
   * reads another tool's output (import drops that tool's own bookkeeping). Fields:
   *   kind    "begin", "commit", "rollback" (transaction control), "create_table", "drop_table",
   *           "insert", "update", "delete", or "other"
   *   table   for the five table kinds: the table's name as the database stores it (unquoted,
   *           folded as the database folds it), without its schema
   *   schema  the schema written before it, when one is
   *   names_schema   (2.5, repeatable) every schema an object name in the statement is qualified
   *           with, or that it creates or drops, but the database's own catalogs
   *   database_wide  (2.5) "1": it changes what every schema of the database shares (an
   *           extension, a role, a database)
   *   search_path    (2.5) "1": it changes where unqualified names go (SET search_path)
   *   dynamic        (2.5) "1": it runs SQL it builds as it runs (a DO block)
   * A statement the parser cannot read is "other". */
  int (*statement_target)(const char* sql, size_t len, const runner_sink* out);

  /* Revision 2.2 (read when struct_size covers it; may be NULL). */

  /* Splits like split(), for a file in the database's own SQL (-- runner:as-written): no
   * statement is planned for translation from the portable DDL, so none is flagged
   * RUNNER_STMT_TRANSLATE or refused for want of a translation. NULL: the host uses split() and
   * drops those flags (a dialect that translates nothing needs no second splitter). */
  int (*split_as_written)(const char* sql, size_t len, const runner_sink* out);

  /* Revision 2.3 (read when struct_size covers it; may be NULL). */

  /* Writes a consistent copy of the database that `connect` (describe_database's) reaches, or of
   * `schema` in it ("": the whole database), into the new file `dest`, while other sessions go on
   * reading and writing (SQLite: its online backup API; PostgreSQL: pg_dump's custom format).
   * Field: format, a word naming what was written ("sqlite", "pg_dump-custom"). Errors:
   * RUNNER_ERR_USAGE with what the user must fix (no pg_dump installed). NULL: no backups. */
  int (*backup)(const char* connect, const char* schema, const char* dest, const runner_sink* out);

  /* Replaces the content of the database `connect` reaches with the copy in `src` that backup()
   * wrote. The host holds the run lock and has checked `src`. NULL: the dialect cannot restore (the
   * host says how to by hand). */
  int (*restore)(const char* connect, const char* schema, const char* src, const runner_sink* out);

  /* Revision 2.4 (read when struct_size covers it; may be NULL). */

  /* Reads one whole migration file, before anything runs, for what could hurt a database in
   * production: statements that lose data, hold locks that stop the application's queries, rewrite
   * a table, or break the application still running against the old schema. options: RUNNER_LINT_*.
   * db: the database the file would run on, for the size of the tables concerned (NULL: none).
   * Each finding goes through out->diagnostic: its level, the first line of its statement (where
   * the host looks for the comment that silences it), the rule's name (squawk's where squawk has
   * the rule), and what happens. Fields after a diagnostic describe it (each optional):
   *   fix    how to write it safely       table  the table it concerns, as the file names it
   *   rows   the table's rows, decimal    rows_source  where that comes from ("estimate": the
   *   bytes  its size on disk, decimal    planner's statistics, "sqlite_stat1", "count")
   *   statement  the statement's 1-based index in split()'s order (several may share a line)
   *   refused    "1": the run fails on the statement whatever a comment says (a syntax error,
   *              what the database refuses in a transaction): no lint-ignore silences it
   * Returns RUNNER_OK when it read the file (whatever it found); RUNNER_ERR_SYNTAX, naming the line,
   * when the file does not split. NULL: the dialect has no rules (lint reports nothing for it). */
  int (*lint)(const char* sql, size_t len, uint32_t options, const runner_query* db, const runner_sink* out);

  /* Revision 2.5 (read when struct_size covers it; may be NULL). */

  /* Reads the schema of `schema` ("": the database's only one) from the catalog, through db, into
   * records the host compares and dumps. The host calls it inside a transaction it rolls back, so
   * the plugin may set what holds for that transaction only (search_path, so that deparsed text
   * names objects of the schema unqualified). Objects of runner's own (runner_*) and objects an
   * extension owns are left out. Each record starts with field "object", its kind, and the fields
   * after it describe it (a key marked * may repeat, in order):
   *   schema      (first, where the database has schemas) name, create (CREATE SCHEMA), use (the
   *               statement making it the one unqualified names go to, for a dump of several);
   *               for a schema that does not exist, name and exists "0", and no other record
   *   table       name, depends* (the tables it is created after: a partition's or child's parent),
   *               and what else makes it (compared): inherits*, partition_of, partition_bound,
   *               partition_key, unlogged, options (storage parameters)
   *   column      name, table, type (the database's canonical spelling), not_null ("1"/"0"),
   *               default, identity ("always", "by default"), generated (the expression),
   *               collation (when not the type's default)
   *   constraint  name, table, contype (primary, unique, check, foreign, exclusion), definition
   *               (the database's own deparsed text), validated ("0" for NOT VALID), ref_table (the
   *               table a foreign key references)
   *   index       name, table, definition (deparsed), unique ("1"/"0")
   *   enum        name, label* (in order)
   *   view        name, definition (its query, deparsed), materialized ("1"/"0"), options,
   *               depends* (the tables and views of the schema it reads: views are created after
   *               the views they read, and dropped before a column they read changes)
   *   sequence, function, trigger, extension   name (a function's with its argument types),
   *               table (a trigger's), definition (compared as text: whitespace aside)
   * and, for a dump, the statements that create the object in the database's own SQL:
   *   create*     the object alone (a table with its columns and the constraints that need no
   *               other table; an enum; an index...); none for what another record's create holds
   *   after*      statements that need every table first (a foreign key, a sequence's OWNED BY)
   * Unknown keys are kept and compared as text, so a plugin may describe more than the host knows. */
  int (*describe_schema)(const char* schema, const runner_query* db, const runner_sink* out);

  /* A scratch database the host builds a schema in from migration files and reads back (drift,
   * test, diff), named `name` (unique to the process; letters, digits and _). in_place: 1, a part
   * of the database `url` names that nothing else shares (a schema); 0, a database of its own on
   * the server `url` reaches. Fields:
   *   url     its URL
   *   create  a statement creating it, run on `url` (repeatable; failing when it exists)
   *   drop    a statement dropping it and all it holds, run on `url` (repeatable)
   * NULL: scratch databases are shadow_url's (one that lives in memory); in_place is not offered. */
  int (*scratch)(const char* url, const char* name, uint32_t in_place, const runner_sink* out);
} runner_dialect;

typedef const runner_dialect* (*runner_dialect_entry_fn)(const runner_host* host);

#ifdef __cplusplus
}
#endif

#endif /* RUNNER_PLUGINS_DIALECT_ABI_H */
