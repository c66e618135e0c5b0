// SPDX-License-Identifier: MIT
// The postgresql dialect: the runner_dialect table and the history table's SQL.
#include "plugins/sdk/dialect_sdk.hpp"
#include "postgresql_backup.hpp"
#include "postgresql_describe.hpp"
#include "postgresql_driver.hpp"
#include "postgresql_enums.hpp"
#include "postgresql_lint.hpp"
#include "postgresql_split.hpp"
#include "postgresql_statement_target.hpp"
#include "postgresql_url.hpp"

#include <string>

namespace {

constexpr const char* k_lock_class = "1920298611";  // first advisory-lock key: "runr" in ASCII

using runner::sdk::guard;
using runner::sdk::Sink;

int describe_database(const char* url, const char* /*base_dir: no file paths*/,
                      uint32_t /*lock_timeout_s: the host polls the lock*/, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::postgresql::describe_database(url, sink); });
}

int split(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::postgresql::split({sql, len}, sink); });
}

int runner_sql(const char* schema, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    const std::string s = schema != nullptr ? schema : "";
    const std::string table = s.empty() ? "runner_history" : runner::sdk::double_quote(s) + ".runner_history";
    const std::string meta = s.empty() ? "runner_meta" : runner::sdk::double_quote(s) + ".runner_meta";
    const std::string progress = s.empty() ? "runner_progress" : runner::sdk::double_quote(s) + ".runner_progress";
    const std::string utc = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'";
    sink.field("exists", "SELECT CASE WHEN to_regclass(" + runner::sdk::single_quote(table) +
                             ") IS NULL THEN 0 ELSE 1 END, CASE WHEN to_regclass(" + runner::sdk::single_quote(meta) +
                             ") IS NULL THEN 0 ELSE 1 END, CASE WHEN to_regclass(" +
                             runner::sdk::single_quote(progress) + ") IS NULL THEN 0 ELSE 1 END");
    sink.field("create", "CREATE TABLE IF NOT EXISTS " + table +
                             " (\n"
                             "  version BIGINT PRIMARY KEY,\n"
                             "  name TEXT NOT NULL,\n"
                             "  checksum TEXT NOT NULL,\n"
                             "  applied_at TIMESTAMPTZ NOT NULL,\n"
                             "  execution_ms BIGINT NOT NULL\n"
                             ")");
    const std::string create_meta =
        "CREATE TABLE IF NOT EXISTS " + meta + " (\n  key TEXT PRIMARY KEY,\n  value TEXT NOT NULL\n)";
    sink.field("create", create_meta);
    // Layout 2: where a -- runner:no-transaction migration's progress is kept, statement by statement.
    const std::string create_progress = "CREATE TABLE IF NOT EXISTS " + progress +
                                        " (\n"
                                        "  version BIGINT PRIMARY KEY,\n"
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
                                        "  started_at TIMESTAMPTZ NOT NULL,\n"
                                        "  updated_at TIMESTAMPTZ NOT NULL\n"
                                        ")";
    sink.field("create", create_progress);
    // Layout 1: runner_history as runner 0.1 made it, and runner_meta. Layout 2: runner_progress.
    sink.field("tables_version", "2");
    sink.field("upgrade", "1:" + create_meta);
    sink.field("upgrade", "2:" + create_progress);
    sink.field("meta_select", "SELECT value FROM " + meta + " WHERE key = 'tables_version'");
    sink.field("select_with_layout",
               "SELECT -1::bigint, value, 'runner_meta', '', 0::bigint FROM " + meta +
                   " WHERE key = 'tables_version' UNION ALL SELECT version, name, checksum, "
                   "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), execution_ms FROM " +
                   table);
    sink.field("select_with_progress",
               "SELECT -1::bigint, value, 'runner_meta', '', 0::bigint FROM " + meta +
                   " WHERE key = 'tables_version' UNION ALL SELECT version, name, checksum, "
                   "to_char(applied_at AT TIME ZONE 'UTC', " +
                   utc + "), execution_ms FROM " + table +
                   " UNION ALL SELECT -2::bigint, version::text, 'runner_progress', '', 0::bigint FROM " + progress);
    sink.field("meta_set", "INSERT INTO " + meta +
                               " (key, value) VALUES ('tables_version', $1) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    sink.field("meta_init_literal",
               "INSERT INTO " + meta + " (key, value) VALUES ('tables_version', '2') ON CONFLICT (key) DO NOTHING");
    sink.field("progress_select",
               "SELECT version, name, direction, checksum, statements, applied, prefix_hash, statement_hashes, error, "
               "error_file, error_line, to_char(started_at AT TIME ZONE 'UTC', " +
                   utc + "), to_char(updated_at AT TIME ZONE 'UTC', " + utc + ") FROM " + progress +
                   " ORDER BY version");
    sink.field("progress_start", "INSERT INTO " + progress +
                                     " (version, name, direction, checksum, statements, applied, prefix_hash, "
                                     "statement_hashes, error, error_file, error_line, started_at, updated_at) "
                                     "VALUES ($1, $2, $3, $4, $5, 0, '', '', '', '', 0, CAST($6 AS TIMESTAMPTZ), "
                                     "CAST($6 AS TIMESTAMPTZ))");
    sink.field("progress_step", "UPDATE " + progress +
                                    " SET applied = $2, prefix_hash = $3, statement_hashes = $4, "
                                    "updated_at = CAST($5 AS TIMESTAMPTZ), error = '', error_file = '', error_line = 0 "
                                    "WHERE version = $1");
    sink.field("progress_fail", "UPDATE " + progress +
                                    " SET error = $2, error_file = $3, error_line = $4, "
                                    "updated_at = CAST($5 AS TIMESTAMPTZ) WHERE version = $1");
    sink.field("progress_delete", "DELETE FROM " + progress + " WHERE version = $1");
    sink.field("select",
               "SELECT version, name, checksum, "
               "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), execution_ms FROM " +
                   table + " ORDER BY version");
    sink.field("insert", "INSERT INTO " + table +
                             " (version, name, checksum, applied_at, execution_ms) "
                             "VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ), $5)");
    sink.field("delete", "DELETE FROM " + table + " WHERE version = $1");
    // Session-wide, set again before each migration: a no-transaction migration has no transaction
    // for SET LOCAL to last in.
    sink.field("lock_wait_sql", "SET lock_timeout = '$MS$ms'");
    sink.field("statement_timeout_sql", "SET statement_timeout = '$MS$ms'");
    sink.field("lock_blockers_sql",
               "SELECT string_agg(format('server process %s (application_name %L, user %s, %s, transaction open %s s): "
               "%s', a.pid, a.application_name, a.usename, a.state, "
               "coalesce(round(extract(epoch FROM clock_timestamp() - a.xact_start))::text, '-'), "
               "left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120)), '; ' ORDER BY a.xact_start) "
               "FROM pg_catalog.pg_stat_activity a WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($PID$))");
    sink.field("script_usage", "psql -v ON_ERROR_STOP=1 -f FILE");
    // psql goes on after an error unless told not to; the runner's literals assume standard strings.
    sink.field("script_header", "\\set ON_ERROR_STOP on");
    sink.field("script_prelude", "SET standard_conforming_strings TO on");
    const std::string search_path =
        s.empty() ? std::string("RESET search_path")
                  : "SET search_path TO " + runner::sdk::double_quote(s) + (s == "public" ? "" : ", public");
    if (!s.empty()) {
      sink.field("script_prelude", "CREATE SCHEMA IF NOT EXISTS " + runner::sdk::double_quote(s));
      sink.field("script_prelude", search_path);
    }
    // As online: what one migration SETs or RESETs does not reach the next.
    sink.field("script_reset", "SET standard_conforming_strings TO on");
    sink.field("script_reset", search_path);
    sink.field("insert_literal", "INSERT INTO " + table +
                                     " (version, name, checksum, applied_at, execution_ms) "
                                     "VALUES ($VERSION$, $NAME$, $CHECKSUM$, now(), 0)");
    sink.field("delete_literal", "DELETE FROM " + table + " WHERE version = $VERSION$");
    // A session advisory lock keyed on (runner, database + schema): runs on other schemas of the
    // same database proceed in parallel.
    const std::string schema_key = "hashtext(current_database() || '.' || " +
                                   (s.empty() ? std::string("current_schema()") : runner::sdk::single_quote(s)) + ")";
    const std::string key = std::string(k_lock_class) + ", " + schema_key;
    sink.field("lock_try", "SELECT CASE WHEN pg_try_advisory_lock(" + key + ") THEN 1 ELSE 0 END");
    sink.field("lock_release", "SELECT CASE WHEN pg_advisory_unlock(" + key + ") THEN 1 ELSE 0 END");
    // The lock as pg_locks shows it (two int4 keys: classid, objid, objsubid 2), held by this very
    // server session: a statement that released it, or a pooler that moved the client to another
    // server session, both show here.
    // Who holds it, for the message of a runner that gave up waiting: a session left idle in a
    // transaction by a killed deploy looks different from a runner still at work.
    sink.field("lock_holder",
               "SELECT format('server process %s (application_name %L, client %s), connected since %s, %s since %s%s', "
               "a.pid, a.application_name, coalesce(host(a.client_addr), 'local'), "
               "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), a.state, "
               "to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), "
               "CASE WHEN a.state LIKE 'idle in transaction%' THEN ' (a session idle in a transaction holds it: end it "
               "with pg_terminate_backend(' || a.pid || ') once you know it is abandoned)' ELSE '' END) "
               "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
               "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = " +
                   std::string(k_lock_class) + " AND l.objid = (" + schema_key +
                   ")::oid AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = "
                   "current_database()) LIMIT 1");
    sink.field("lock_check",
               "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted AND "
               "pid = pg_backend_pid() AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = "
               "current_database()) AND classid = " +
                   std::string(k_lock_class) + " AND objid = (" + schema_key + ")::oid AND objsubid = 2");
  });
}

int translate(const char* sql, size_t len, uint32_t line, const runner_query* /*db: not needed*/,
              const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    auto drop = runner::sdk::parse_drop_enum_value({sql, len});
    if (!drop) throw runner::sdk::Failure(RUNNER_ERR_INTERNAL, line, "nothing to translate");
    sink.statement(runner::postgresql::drop_enum_value_sql(*drop), line, 0);
  });
}

int review(const char* sql, size_t len, uint32_t options, const runner_query* db, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::postgresql::review_enum_changes({sql, len}, options, db, sink); });
}

int lint(const char* sql, size_t len, uint32_t options, const runner_query* db, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::postgresql::lint({sql, len}, options, db, sink); });
}

int describe_schema(const char* schema, const runner_query* db, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::postgresql::describe_schema(schema, db, sink); });
}

int statement_target(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::postgresql::describe_statement_target({sql, len}, sink); });
}

int projects_sql(const char* pattern, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    const std::string like = runner::sdk::like_pattern(pattern, '\\');
    // System schemas are never projects, whatever the pattern.
    sink.field("query",
               "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname LIKE " +
                   runner::sdk::single_quote(like) +
                   " ESCAPE '\\' AND nspname NOT LIKE 'pg\\_%' ESCAPE '\\' AND nspname <> 'information_schema' "
                   "ORDER BY nspname");
  });
}

int backup(const char* connect, const char* schema, const char* dest, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::postgresql::backup(connect, schema, dest, sink); });
}

int project_url(const char* url, const char* name, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { sink.field("url", runner::postgresql::with_schema(url, name)); });
}

// A scratch schema in the database `url` names, or a scratch database on its server.
int scratch(const char* url, const char* name, uint32_t in_place, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    const std::string quoted = runner::sdk::double_quote(name);
    if (in_place != 0) {
      sink.field("url", runner::postgresql::with_schema(url, name));
      sink.field("create", "CREATE SCHEMA " + quoted);
      sink.field("drop", "DROP SCHEMA IF EXISTS " + quoted + " CASCADE");
    } else {
      sink.field("url", runner::postgresql::with_database(url, name));
      sink.field("create", "CREATE DATABASE " + quoted);
      // Sessions a failed run left behind are ended with it.
      sink.field("drop", "DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
    }
  });
}

const runner_dialect k_postgresql_dialect = {
    RUNNER_DIALECT_ABI_VERSION,
    sizeof(runner_dialect),
    "postgresql",
    "postgres",
    "2.7.0",
    "postgresql://USER:PASSWORD@HOST:PORT/DB?schema=NAME (or postgres://; libpq's other parameters pass through)",
    runner::postgresql::driver(),
    &describe_database,
    &split,
    &runner_sql,
    &projects_sql,
    &project_url,
    nullptr,
    &translate,
    &review,
    &statement_target,
    nullptr,  // split_as_written: PostgreSQL translates nothing, so split() serves as written too
    &backup,
    nullptr,  // restore: pg_restore, by hand (the host says how)
    &lint,
    &describe_schema,
    &scratch,
};

}  // namespace

RUNNER_DEFINE_DIALECT(k_postgresql_dialect)
