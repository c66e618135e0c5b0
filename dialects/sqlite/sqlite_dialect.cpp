// SPDX-License-Identifier: MIT
// The sqlite dialect: the runner_dialect table and the history table's SQL.
#include "plugins/sdk/dialect_sdk.hpp"
#include "sqlite_backup.hpp"
#include "sqlite_catalog.hpp"
#include "sqlite_describe.hpp"
#include "sqlite_driver.hpp"
#include "sqlite_lint.hpp"
#include "sqlite_split.hpp"
#include "sqlite_statement_target.hpp"
#include "sqlite_translate.hpp"
#include "sqlite_url.hpp"

#include <string>

namespace {

using runner::sdk::guard;
using runner::sdk::Sink;

constexpr const char* k_create_meta =
    "CREATE TABLE IF NOT EXISTS runner_meta (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ")";

// Layout 2: where a -- runner:no-transaction migration's progress is kept, statement by statement.
constexpr const char* k_create_progress =
    "CREATE TABLE IF NOT EXISTS runner_progress (\n"
    "  version INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  direction TEXT NOT NULL,\n"
    "  checksum TEXT NOT NULL,\n"
    "  statements INTEGER NOT NULL,\n"
    "  applied INTEGER NOT NULL,\n"
    "  prefix_hash TEXT NOT NULL,\n"
    "  statement_hashes TEXT NOT NULL,\n"
    "  error TEXT NOT NULL,\n"
    "  error_file TEXT NOT NULL,\n"
    "  error_line INTEGER NOT NULL,\n"
    "  started_at TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL\n"
    ")";

int describe_database(const char* url, const char* base_dir, uint32_t lock_timeout_s, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::describe_database(url, base_dir, lock_timeout_s, sink); });
}

int split(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::split({sql, len}, sink); });
}

int split_as_written(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::split({sql, len}, sink, false); });
}

int runner_sql(const char* /*schema: SQLite keeps one per file*/, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    // One pass over the schema table, which has no index on name.
    sink.field("exists",
               "SELECT coalesce(max(name = 'runner_history'), 0), coalesce(max(name = 'runner_meta'), 0), "
               "coalesce(max(name = 'runner_progress'), 0) FROM sqlite_master WHERE type = 'table' AND name IN "
               "('runner_history', 'runner_meta', 'runner_progress')");
    sink.field("create",
               "CREATE TABLE IF NOT EXISTS runner_history (\n"
               "  version INTEGER PRIMARY KEY,\n"
               "  name TEXT NOT NULL,\n"
               "  checksum TEXT NOT NULL,\n"
               "  applied_at TEXT NOT NULL,\n"
               "  execution_ms INTEGER NOT NULL\n"
               ")");
    sink.field("create", k_create_meta);
    sink.field("create", k_create_progress);
    // Layout 1: runner_history as runner 0.1 made it, runner_meta, and runner_enum_values, which
    // the translation of enums creates when a migration first needs it (so not `create`'s).
    // Layout 2: runner_progress.
    sink.field("tables_version", "2");
    sink.field("upgrade", std::string("1:") + k_create_meta);
    sink.field("upgrade", std::string("2:") + k_create_progress);
    sink.field("meta_select", "SELECT value FROM runner_meta WHERE key = 'tables_version'");
    sink.field("select_with_layout",
               "SELECT -1, value, 'runner_meta', '', 0 FROM runner_meta WHERE key = 'tables_version' UNION ALL "
               "SELECT version, name, checksum, applied_at, execution_ms FROM runner_history");
    sink.field("select_with_progress",
               "SELECT -1, value, 'runner_meta', '', 0 FROM runner_meta WHERE key = 'tables_version' UNION ALL "
               "SELECT version, name, checksum, applied_at, execution_ms FROM runner_history UNION ALL "
               "SELECT -2, version, 'runner_progress', '', 0 FROM runner_progress");
    sink.field("meta_set",
               "INSERT INTO runner_meta (key, value) VALUES ('tables_version', ?1) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    sink.field("meta_init_literal",
               "INSERT INTO runner_meta (key, value) VALUES ('tables_version', '2') ON CONFLICT (key) DO NOTHING");
    sink.field("progress_select",
               "SELECT version, name, direction, checksum, statements, applied, prefix_hash, statement_hashes, error, "
               "error_file, error_line, started_at, updated_at FROM runner_progress ORDER BY version");
    sink.field("progress_start",
               "INSERT INTO runner_progress (version, name, direction, checksum, statements, applied, prefix_hash, "
               "statement_hashes, error, error_file, error_line, started_at, updated_at) "
               "VALUES (?1, ?2, ?3, ?4, ?5, 0, '', '', '', '', 0, ?6, ?6)");
    sink.field("progress_step",
               "UPDATE runner_progress SET applied = ?2, prefix_hash = ?3, statement_hashes = ?4, updated_at = ?5, "
               "error = '', error_file = '', error_line = 0 WHERE version = ?1");
    sink.field("progress_fail",
               "UPDATE runner_progress SET error = ?2, error_file = ?3, error_line = ?4, updated_at = ?5 "
               "WHERE version = ?1");
    sink.field("progress_delete", "DELETE FROM runner_progress WHERE version = ?1");
    sink.field("select",
               "SELECT version, name, checksum, applied_at, execution_ms FROM runner_history ORDER BY version");
    sink.field("insert",
               "INSERT INTO runner_history (version, name, checksum, applied_at, execution_ms) "
               "VALUES (?1, ?2, ?3, ?4, ?5)");
    sink.field("delete", "DELETE FROM runner_history WHERE version = ?1");
    // Other runners wait for an exclusive lock on the file (none on :memory:, which no one shares).
    sink.field("lock_file", "1");
    // How long a statement waits for another connection's write lock (SQLITE_BUSY after it).
    sink.field("lock_wait_sql", "PRAGMA busy_timeout = $MS$");
    sink.field("script_usage", "sqlite3 -bail DATABASE < FILE");
    // Without it the sqlite3 shell goes on after a failed statement and COMMITs the migration's
    // history row with it.
    sink.field("script_header", ".bail on");
    sink.field("script_reset", "PRAGMA foreign_keys = OFF");
    sink.field("insert_literal",
               "INSERT INTO runner_history (version, name, checksum, applied_at, execution_ms) "
               "VALUES ($VERSION$, $NAME$, $CHECKSUM$, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 0)");
    sink.field("delete_literal", "DELETE FROM runner_history WHERE version = $VERSION$");
    // Tables first (shadow tables of virtual tables come with them), then what refers to them.
    sink.field("schema_dump",
               "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
               "AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow') "
               "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid");
    sink.field("schema_dump",
               std::string("SELECT 'INSERT INTO ") + runner::sqlite::k_enum_catalog +
                   " (type_name, position, value) VALUES (' || quote(type_name) || ', ' || quote(position) || ', ' || "
                   "quote(value) || ')' FROM " +
                   runner::sqlite::k_enum_catalog);
  });
}

int translate(const char* sql, size_t len, uint32_t line, const runner_query* db, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::translate({sql, len}, line, db, sink); });
}

int projects_sql(const char* /*pattern: files, globbed by the host*/, const runner_sink* out) {
  return guard(out, [](const Sink&) {});
}

int project_url(const char* /*url*/, const char* name, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { sink.field("url", std::string("sqlite:") + name); });
}

int backup(const char* connect, const char* /*schema: one per file*/, const char* dest, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::backup(connect, dest, sink); });
}

int lint(const char* sql, size_t len, uint32_t options, const runner_query* db, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::lint({sql, len}, options, db, sink); });
}

// One database is one schema: `schema` is always "".
int describe_schema(const char* /*schema*/, const runner_query* db, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::describe_schema(db, sink); });
}

int restore(const char* connect, const char* /*schema*/, const char* src, const runner_sink* out) {
  return guard(out, [&](const Sink&) { runner::sqlite::restore(connect, src); });
}

int statement_target(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::sqlite::describe_statement_target({sql, len}, sink); });
}

const runner_dialect k_sqlite_dialect = {
    RUNNER_DIALECT_ABI_VERSION, sizeof(runner_dialect), "sqlite", "", "2.7.0",
    "sqlite:PATH (relative to the config file's folder when from it), sqlite::memory:", runner::sqlite::driver(),
    &describe_database, &split, &runner_sql, &projects_sql, &project_url,
    // Translation reads the tables it rebuilds; offline, the host replays migrations into memory.
    "sqlite::memory:", &translate, nullptr, &statement_target, &split_as_written, &backup, &restore, &lint,
    &describe_schema,
    nullptr,  // scratch: the shadow lives in memory (shadow_url)
};

}  // namespace

RUNNER_DEFINE_DIALECT(k_sqlite_dialect)
