// SPDX-License-Identifier: MIT
#include "mysql_history.hpp"

#include "mysql_url.hpp"

#include <string>

namespace runner::mysql {
namespace {

// A UTC ISO 8601 text with milliseconds ("2026-11-24T07:35:00.123Z"), from and to DATETIME(3).
std::string iso(const std::string& column) {
  return "CONCAT(DATE_FORMAT(" + column + ", '%Y-%m-%dT%H:%i:%s.'), LPAD(FLOOR(MICROSECOND(" + column +
         ") / 1000), 3, '0'), 'Z')";
}
std::string from_iso(const std::string& param) { return "STR_TO_DATE(" + param + ", '%Y-%m-%dT%H:%i:%s.%fZ')"; }

}  // namespace

std::string lock_name_sql(std::string_view schema) {
  // GET_LOCK names are server-wide and at most 64 characters: one per database, 'runner.DB', or
  // for a name too long to fit, its first 40 characters and a hash of it all.
  const std::string db = schema.empty() ? std::string("DATABASE()") : "'" + std::string(schema) + "'";
  return "IF(CHAR_LENGTH(" + db + ") > 57, CONCAT('runner.', LEFT(" + db + ", 40), '.', LEFT(SHA1(" + db +
         "), 16)), CONCAT('runner.', " + db + "))";
}

void runner_sql(std::string_view schema, const sdk::Sink& sink) {
  const std::string s(schema);
  for (char c : s)
    if (c == '\'' || c == '\\')
      throw sdk::Failure(RUNNER_ERR_USAGE, 0, "the database name '" + s + "' holds a quote or a backslash");
  const std::string prefix = s.empty() ? std::string() : backquote(s) + ".";
  const std::string table = prefix + "runner_history";
  const std::string meta = prefix + "runner_meta";
  const std::string progress = prefix + "runner_progress";
  const std::string database = s.empty() ? std::string("DATABASE()") : "'" + s + "'";
  const auto exists = [&](const char* name) {
    return "(SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + database + " AND TABLE_NAME = '" +
           name + "')";
  };
  sink.field("exists",
             "SELECT " + exists("runner_history") + ", " + exists("runner_meta") + ", " + exists("runner_progress"));
  const std::string options = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  sink.field("create", "CREATE TABLE IF NOT EXISTS " + table +
                           " (\n"
                           "  version BIGINT NOT NULL PRIMARY KEY,\n"
                           "  name VARCHAR(255) NOT NULL,\n"
                           "  checksum VARCHAR(128) NOT NULL,\n"
                           "  applied_at DATETIME(3) NOT NULL,\n"
                           "  execution_ms BIGINT NOT NULL\n"
                           ")" +
                           options);
  const std::string create_meta = "CREATE TABLE IF NOT EXISTS " + meta +
                                  " (\n  `key` VARCHAR(64) NOT NULL PRIMARY KEY,\n  value TEXT NOT NULL\n)" + options;
  sink.field("create", create_meta);
  const std::string create_progress = "CREATE TABLE IF NOT EXISTS " + progress +
                                      " (\n"
                                      "  version BIGINT NOT NULL PRIMARY KEY,\n"
                                      "  name VARCHAR(255) NOT NULL,\n"
                                      "  direction VARCHAR(4) NOT NULL,\n"
                                      "  checksum VARCHAR(128) NOT NULL,\n"
                                      "  statements INT NOT NULL,\n"
                                      "  applied INT NOT NULL,\n"
                                      "  prefix_hash VARCHAR(128) NOT NULL,\n"
                                      "  statement_hashes LONGTEXT NOT NULL,\n"
                                      "  error LONGTEXT NOT NULL,\n"
                                      "  error_file TEXT NOT NULL,\n"
                                      "  error_line INT NOT NULL,\n"
                                      "  started_at DATETIME(3) NOT NULL,\n"
                                      "  updated_at DATETIME(3) NOT NULL\n"
                                      ")" +
                                      options;
  sink.field("create", create_progress);
  sink.field("tables_version", "2");
  sink.field("upgrade", "1:" + create_meta);
  sink.field("upgrade", "2:" + create_progress);
  sink.field("meta_select", "SELECT value FROM " + meta + " WHERE `key` = 'tables_version'");
  const std::string history_rows =
      "SELECT version, name, checksum, " + iso("applied_at") + ", execution_ms FROM " + table;
  const std::string meta_row =
      "SELECT -1, value, 'runner_meta', '', 0 FROM " + meta + " WHERE `key` = 'tables_version'";
  sink.field("select_with_layout", meta_row + " UNION ALL " + history_rows);
  sink.field("select_with_progress", meta_row + " UNION ALL " + history_rows +
                                         " UNION ALL SELECT -2, CAST(version AS CHAR), 'runner_progress', '', 0 FROM " +
                                         progress);
  sink.field("select", history_rows + " ORDER BY version");
  sink.field("meta_set", "INSERT INTO " + meta +
                             " (`key`, value) VALUES ('tables_version', $1) ON DUPLICATE KEY UPDATE value = $1");
  sink.field("meta_init_literal", "INSERT INTO " + meta +
                                      " (`key`, value) VALUES ('tables_version', '2') ON DUPLICATE KEY UPDATE "
                                      "value = value");
  sink.field("insert", "INSERT INTO " + table +
                           " (version, name, checksum, applied_at, execution_ms) VALUES ($1, $2, $3, " +
                           from_iso("$4") + ", $5)");
  sink.field("delete", "DELETE FROM " + table + " WHERE version = $1");
  sink.field("progress_select",
             "SELECT version, name, direction, checksum, statements, applied, prefix_hash, "
             "statement_hashes, error, error_file, error_line, " +
                 iso("started_at") + ", " + iso("updated_at") + " FROM " + progress + " ORDER BY version");
  sink.field("progress_start", "INSERT INTO " + progress +
                                   " (version, name, direction, checksum, statements, applied, prefix_hash, "
                                   "statement_hashes, error, error_file, error_line, started_at, updated_at) VALUES "
                                   "($1, $2, $3, $4, $5, 0, '', '', '', '', 0, " +
                                   from_iso("$6") + ", " + from_iso("$6") + ")");
  sink.field("progress_step", "UPDATE " + progress +
                                  " SET applied = $2, prefix_hash = $3, statement_hashes = $4, updated_at = " +
                                  from_iso("$5") + ", error = '', error_file = '', error_line = 0 WHERE version = $1");
  sink.field("progress_fail", "UPDATE " + progress +
                                  " SET error = $2, error_file = $3, error_line = $4, updated_at = " + from_iso("$5") +
                                  " WHERE version = $1");
  sink.field("progress_delete", "DELETE FROM " + progress + " WHERE version = $1");

  // lock_wait_timeout bounds a wait for a metadata lock (DDL behind a long transaction),
  // innodb_lock_wait_timeout one for a row lock; both count whole seconds.
  sink.field("lock_wait_sql",
             "SET SESSION lock_wait_timeout = GREATEST(1, CEILING($MS$ / 1000)), SESSION innodb_lock_wait_timeout = "
             "GREATEST(1, CEILING($MS$ / 1000))");
  // MariaDB's max_statement_time (seconds, fractions allowed); MySQL has no equivalent for DDL.
  sink.field("statement_timeout_sql", "SET SESSION max_statement_time = $MS$ / 1000");
  // Who blocks connection $PID$: the transactions holding the row locks it waits for or, when it
  // waits for a metadata lock (which InnoDB does not list), every open transaction but its own.
  sink.field(
      "lock_blockers_sql",
      "SELECT GROUP_CONCAT(DISTINCT CONCAT('connection ', p.ID, ' (user ', p.USER, ', host ', p.HOST, ', ', "
      "p.COMMAND, ' for ', p.TIME, ' s, transaction open since ', t.trx_started, '): ', "
      "LEFT(IFNULL(p.INFO, ''), 120)) SEPARATOR '; ') FROM information_schema.INNODB_TRX t JOIN "
      "information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE t.trx_mysql_thread_id <> $PID$ AND "
      "(t.trx_id IN (SELECT w.blocking_trx_id FROM information_schema.INNODB_LOCK_WAITS w JOIN "
      "information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id WHERE r.trx_mysql_thread_id = $PID$) OR "
      "EXISTS (SELECT 1 FROM information_schema.PROCESSLIST me WHERE me.ID = $PID$ AND me.STATE LIKE "
      "'%metadata lock%'))");

  // The mysql client stops at the first error unless told --force.
  sink.field("script_usage", "mysql --database=DATABASE < FILE");
  sink.field("script_block", "DELIMITER ;;\n$SQL$\n;;\nDELIMITER ;");
  if (!s.empty()) {
    sink.field("script_prelude", "CREATE DATABASE IF NOT EXISTS " + backquote(s));
    sink.field("script_prelude", "USE " + backquote(s));
    sink.field("script_reset", "USE " + backquote(s));
  }
  sink.field("insert_literal", "INSERT INTO " + table +
                                   " (version, name, checksum, applied_at, execution_ms) VALUES ($VERSION$, $NAME$, "
                                   "$CHECKSUM$, UTC_TIMESTAMP(3), 0)");
  sink.field("delete_literal", "DELETE FROM " + table + " WHERE version = $VERSION$");

  // A named lock of the session (GET_LOCK): the server lets it go when the session ends, however
  // the runner ended.
  const std::string name = lock_name_sql(s);
  sink.field("lock_try", "SELECT IFNULL(GET_LOCK(" + name + ", 0), 0)");
  sink.field("lock_release", "SELECT RELEASE_LOCK(" + name + ")");
  sink.field("lock_check", "SELECT IFNULL(IS_USED_LOCK(" + name + ") = CONNECTION_ID(), 0)");
  sink.field(
      "lock_holder",
      "SELECT CONCAT('connection ', p.ID, ' (user ', p.USER, ', host ', p.HOST, '), ', p.COMMAND, ' for ', p.TIME, "
      "' s', IF(t.trx_started IS NULL, '', CONCAT(', transaction open since ', t.trx_started, ' (end it with KILL ', "
      "p.ID, ' once you know it is abandoned)'))) FROM information_schema.PROCESSLIST p LEFT JOIN "
      "information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID WHERE p.ID = IS_USED_LOCK(" +
          name + ")");
}

}  // namespace runner::mysql
