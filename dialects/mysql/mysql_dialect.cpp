// SPDX-License-Identifier: MIT
// The mysql dialect (MySQL and MariaDB): the runner_dialect table. Its schemas are databases:
// runner_history lives in the database the URL names, --all-projects covers the databases matching
// the pattern, and a scratch schema is a scratch database on the same server.
#include "mysql_driver.hpp"
#include "mysql_history.hpp"
#include "mysql_split.hpp"
#include "mysql_statement_target.hpp"
#include "mysql_translate.hpp"
#include "mysql_url.hpp"
#include "plugins/sdk/dialect_sdk.hpp"

#include <string>

namespace {

using runner::sdk::guard;
using runner::sdk::Sink;

int describe_database(const char* url, const char* /*base_dir: no file paths*/,
                      uint32_t /*lock_timeout_s: the host polls the lock*/, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::mysql::describe_database(url, sink); });
}

int split(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    for (const auto& st : runner::mysql::split({sql, len})) sink.statement(st.sql, st.line, st.flags);
  });
}

int statement_target(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::mysql::describe_statement_target({sql, len}, sink); });
}

int split_as_written(const char* sql, size_t len, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    for (const auto& st : runner::mysql::split({sql, len}, false)) sink.statement(st.sql, st.line, st.flags);
  });
}

int translate(const char* sql, size_t len, uint32_t line, const runner_query* db, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::mysql::translate({sql, len}, line, db, sink); });
}

int runner_sql(const char* schema, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { runner::mysql::runner_sql(schema != nullptr ? schema : "", sink); });
}

int projects_sql(const char* pattern, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    // LIKE's escape is '|': a backslash would mean two things under NO_BACKSLASH_ESCAPES.
    const std::string glob = pattern;
    if (glob.find_first_of("'\\") != std::string::npos)
      throw runner::sdk::Failure(RUNNER_ERR_USAGE, 0, "the project pattern holds a quote or a backslash");
    const std::string like = runner::sdk::like_pattern(glob, '|');
    // The server's own databases are never projects, whatever the pattern.
    sink.field("query",
               "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '" + like +
                   "' ESCAPE '|' AND SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') "
                   "ORDER BY SCHEMA_NAME");
  });
}

int project_url(const char* url, const char* name, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) { sink.field("url", runner::mysql::with_database(url, name)); });
}

// A scratch database on the server `url` reaches: MySQL has no schema inside a database, so an
// in-place scratch is one too.
int scratch(const char* url, const char* name, uint32_t /*in_place*/, const runner_sink* out) {
  return guard(out, [&](const Sink& sink) {
    const std::string quoted = runner::mysql::backquote(name);
    sink.field("url", runner::mysql::with_database(url, name));
    sink.field("create", "CREATE DATABASE " + quoted + " CHARACTER SET utf8mb4");
    sink.field("drop", "DROP DATABASE IF EXISTS " + quoted);
  });
}

const runner_dialect k_mysql_dialect = {
    RUNNER_DIALECT_ABI_VERSION,
    sizeof(runner_dialect),
    "mysql",
    "mariadb",
    "2.8.0",
    "mysql://USER:PASSWORD@HOST:PORT/DATABASE (or mariadb://; ?socket=PATH, ?ssl-mode=REQUIRED&ssl-ca=FILE)",
    runner::mysql::driver(),
    &describe_database,
    &split,
    &runner_sql,
    &projects_sql,
    &project_url,
    nullptr,  // shadow_url: none in memory; scratch databases are made on the server
    &translate,
    nullptr,  // review
    &statement_target,
    &split_as_written,
    nullptr,  // backup: mysqldump, by hand
    nullptr,  // restore
    nullptr,  // lint
    nullptr,  // describe_schema
    &scratch,
};

}  // namespace

RUNNER_DEFINE_DIALECT(k_mysql_dialect)
