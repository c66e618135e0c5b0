// SPDX-License-Identifier: MIT
// The dialect conformance suite: what every dialect plugin must do, checked through the host's
// loader on a real database. Each case runs once per dialect (name_sqlite, name_pg, name_mysql); a new dialect
// adds its DialectCase and one line to CONFORMANCE_CASE.
#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "tests/dialect/dialect_fixture.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using namespace runner;
using namespace runner::test;

namespace {

// One dialect under test, and a database of its own to test on.
struct DialectCase {
  std::string name;
  std::string url;                  // an empty database (file or schema) for this case alone
  std::string password_url;         // a URL holding the password "s3cret"
  std::string malformed_url;        // a URL of its scheme the dialect must refuse
  std::string long_statement;       // runs until cancelled
  bool ddl_in_transactions = true;  // false: the database commits around DDL (MySQL)
  std::unique_ptr<TempDir> dir;     // holds the SQLite file
};

DialectCase sqlite_case() {
  DialectCase c;
  c.dir = std::make_unique<TempDir>();
  c.name = "sqlite";
  c.url = "sqlite:" + (*c.dir / "conformance.db").string();
  c.password_url = "";  // SQLite URLs hold no password
  c.malformed_url = "sqlite:";
  c.long_statement = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n";
  return c;
}

DialectCase postgresql_case() {
  DialectCase c;
  c.name = "postgresql";
  c.url = pg_url() + "?schema=" + unique_name("conformance");
  c.password_url = "postgresql://runner:s3cret@127.0.0.1:1/db";
  c.malformed_url = "postgresql:///db?schema=";
  c.long_statement = "SELECT pg_sleep(60)";
  return c;
}

DialectCase mysql_case() {
  DialectCase c;
  c.name = "mysql";
  const std::string server = mysql_url().substr(0, mysql_url().rfind('/') + 1);
  const std::string database = unique_name("conformance");
  // MySQL's schemas are databases: one of its own, made through the dialect itself.
  const Dialect& d = load_dialect("mysql");
  StatementFailure f;
  auto admin = d.connect(d.describe_database(server, 5).connect, &f);
  BOOST_TEST_REQUIRE(static_cast<bool>(admin), f.message);
  BOOST_TEST_REQUIRE(admin->run("CREATE DATABASE " + database, {}, nullptr, &f), f.message);
  c.url = server + database;
  c.password_url = "mysql://runner:s3cret@127.0.0.1:1/db";
  c.malformed_url = "mysql://u@h:99999/db";
  // KILL QUERY ends SLEEP() and BENCHMARK() with a result, not an error: a long join fails when killed.
  c.long_statement =
      "SELECT COUNT(*) FROM information_schema.COLUMNS a, information_schema.COLUMNS b, information_schema.COLUMNS c";
  c.ddl_in_transactions = false;
  return c;
}

// Runs body once per dialect: name_sqlite needs no server, name_pg the test PostgreSQL, name_mysql
// the test MariaDB.
#define CONFORMANCE_CASE(name)          \
  void name(DialectCase& c);            \
  BOOST_AUTO_TEST_CASE(name##_sqlite) { \
    DialectCase c = sqlite_case();      \
    name(c);                            \
  }                                     \
  BOOST_AUTO_TEST_CASE(name##_pg) {     \
    DialectCase c = postgresql_case();  \
    name(c);                            \
  }                                     \
  BOOST_AUTO_TEST_CASE(name##_mysql) {  \
    DialectCase c = mysql_case();       \
    name(c);                            \
  }                                     \
  void name(DialectCase& c)

// A connection to the case's database, made ready the way the runner makes it.
struct Session {
  const Dialect& dialect;
  DatabaseInfo target;
  RunnerSql history;
  std::unique_ptr<DriverConnection> conn;

  explicit Session(const DialectCase& c)
      : dialect(load_dialect(c.name)),
        target(dialect.describe_database(c.url, 5)),
        history(dialect.runner_sql(target.schema)) {
    StatementFailure f;
    conn = dialect.connect(target.connect, &f);
    BOOST_TEST_REQUIRE(static_cast<bool>(conn), f.message);
    for (const auto& sql : target.session_sql) run(sql);
    for (const auto& sql : target.prepare_sql) run(sql);
  }

  void run(const std::string& sql, const std::vector<std::string>& params = {}) {
    StatementFailure f;
    BOOST_TEST_REQUIRE(conn->run(sql, params, nullptr, &f), sql << ": " << f.message);
  }
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    const DriverConnection::RowFn collect = [&](std::uint32_t n, const char* const* v) {
      std::vector<std::string> row;
      for (std::uint32_t i = 0; i < n; ++i) row.emplace_back(v[i] != nullptr ? v[i] : "<null>");
      out.push_back(row);
    };
    StatementFailure f;
    BOOST_TEST_REQUIRE(conn->run(sql, {}, &collect, &f), sql << ": " << f.message);
    return out;
  }
  std::string value(const std::string& sql) {
    auto r = rows(sql);
    return r.empty() || r[0].empty() ? "<none>" : r[0][0];
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(conformance)

CONFORMANCE_CASE(splits_only_where_statements_end) {
  const Dialect& d = load_dialect(c.name);
  auto s = d.split("SELECT 'a;b', \"c;d\";\n-- a comment; with a semicolon\n/* and; another */ SELECT 2;\n\n\nSELECT 3",
                   "f.sql");
  BOOST_TEST_REQUIRE(s.size() == 3u);
  // Verbatim, with or without its ';': the database gets what was written.
  const std::string first = "SELECT 'a;b', \"c;d\"";
  BOOST_TEST((s[0].sql == first || s[0].sql == first + ";"), s[0].sql);
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{1, 3, 6}), boost::test_tools::per_element());
  BOOST_TEST(d.split("-- nothing but comments\n/* ; */\n", "f.sql").empty());
  BOOST_TEST(d.split("", "f.sql").empty());
}

CONFORMANCE_CASE(refuses_an_unterminated_string_naming_its_line) {
  try {
    load_dialect(c.name).split("SELECT 1;\nSELECT 'open;\nSELECT 2;\n", "f.sql");
    BOOST_FAIL("an unterminated string was split");
  } catch (const SourceError& e) {
    BOOST_TEST(e.file() == "f.sql");
    BOOST_TEST(e.line() == 2u, e.what());
  }
}

CONFORMANCE_CASE(flags_transaction_control) {
  auto s = load_dialect(c.name).split("BEGIN;\nCREATE TABLE t (x int);\nCOMMIT;\nROLLBACK;\n", "f.sql");
  BOOST_TEST_REQUIRE(s.size() == 4u);
  BOOST_TEST((s[0].flags & RUNNER_STMT_TX_BEGIN) != 0u);
  BOOST_TEST((s[1].flags & (RUNNER_STMT_TX_BEGIN | RUNNER_STMT_TX_COMMIT | RUNNER_STMT_TX_OTHER)) == 0u);
  BOOST_TEST((s[2].flags & RUNNER_STMT_TX_COMMIT) != 0u);
  BOOST_TEST((s[3].flags & RUNNER_STMT_TX_OTHER) != 0u);
}

CONFORMANCE_CASE(describes_its_urls_and_refuses_malformed_ones) {
  const Dialect& d = load_dialect(c.name);
  const DatabaseInfo t = d.describe_database(c.url, 5);
  BOOST_TEST(!t.connect.empty());
  BOOST_TEST(!t.display.empty());
  BOOST_CHECK_THROW(d.describe_database(c.malformed_url, 5), UsageError);
  if (!c.password_url.empty()) {
    const DatabaseInfo p = d.describe_database(c.password_url, 5);
    BOOST_TEST(p.display.find("s3cret") == std::string::npos, p.display);
    BOOST_TEST((std::find(p.secrets.begin(), p.secrets.end(), "s3cret") != p.secrets.end()));
  }
}

CONFORMANCE_CASE(runs_statements_verbatim_and_reports_the_database_failure) {
  Session s(c);
  s.run("CREATE TABLE conf (x int, y text)");
  s.run("INSERT INTO conf VALUES (1, ':not_a_bind $1 ?')");  // placeholders mean nothing without parameters
  BOOST_TEST(s.value("SELECT y FROM conf") == ":not_a_bind $1 ?");
  BOOST_TEST(s.value("SELECT NULL") == "<null>");

  StatementFailure missing;
  BOOST_TEST(!s.conn->run("SELECT * FROM conf_missing", {}, nullptr, &missing));
  BOOST_TEST(missing.message.find("conf_missing") != std::string::npos, missing.message);
  BOOST_TEST(!missing.internal);

  StatementFailure syntax;
  BOOST_TEST(!s.conn->run("SELECT x FROM conf WHERE x = = 1", {}, nullptr, &syntax));
  BOOST_TEST(!syntax.message.empty());
  BOOST_TEST(syntax.byte_offset == 29u, "the database points at where the statement broke");

  // The connection goes on after a failure, and after a row callback that threw.
  const DriverConnection::RowFn throws = [](std::uint32_t, const char* const*) { throw std::runtime_error("x"); };
  StatementFailure thrown;
  BOOST_TEST(!s.conn->run("SELECT x FROM conf", {}, &throws, &thrown));
  BOOST_TEST(thrown.message == "reading the result failed");
  BOOST_TEST(s.value("SELECT count(*) FROM conf") == "1");
}

CONFORMANCE_CASE(transactions_begin_commit_and_roll_back) {
  Session s(c);
  StatementFailure f;
  BOOST_TEST(!s.conn->in_transaction());
  // Rows always go with a rollback; DDL too where the database keeps it in the transaction.
  s.run("CREATE TABLE tx_rows (x int)");
  BOOST_TEST_REQUIRE(s.conn->begin(&f), f.message);
  BOOST_TEST(s.conn->in_transaction());
  s.run("INSERT INTO tx_rows VALUES (1)");
  BOOST_TEST_REQUIRE(s.conn->rollback(&f), f.message);
  BOOST_TEST(!s.conn->in_transaction());
  BOOST_TEST(s.value("SELECT count(*) FROM tx_rows") == "0");
  if (c.ddl_in_transactions) {
    BOOST_TEST_REQUIRE(s.conn->begin(&f), f.message);
    s.run("CREATE TABLE rolled_back (x int)");
    BOOST_TEST_REQUIRE(s.conn->rollback(&f), f.message);
    StatementFailure gone;
    BOOST_TEST(!s.conn->run("SELECT * FROM rolled_back", {}, nullptr, &gone));
  } else {
    // The dialect says so: such a statement is flagged, and the host runs its file statement by statement.
    const auto ddl = load_dialect(c.name).split("CREATE TABLE t (x int);", "f.sql");
    BOOST_TEST((ddl.at(0).flags & RUNNER_STMT_IMPLICIT_COMMIT) != 0u);
  }

  BOOST_TEST_REQUIRE(s.conn->begin(&f), f.message);
  s.run("CREATE TABLE committed (x int)");
  BOOST_TEST_REQUIRE(s.conn->commit(&f), f.message);
  BOOST_TEST(s.value("SELECT count(*) FROM committed") == "0");
  // A transaction the SQL began itself is seen too (a no-transaction migration's own BEGIN).
  auto begin = load_dialect(c.name).split("BEGIN;", "f.sql");
  s.run(begin.at(0).sql);
  BOOST_TEST(s.conn->in_transaction());
  BOOST_TEST(s.conn->rollback(&f));
}

CONFORMANCE_CASE(keeps_runner_history_and_runner_meta) {
  Session s(c);
  auto state = s.rows(s.history.exists);
  BOOST_TEST_REQUIRE(state.size() == 1u);
  // A third column when the dialect keeps runner_progress.
  const std::vector<std::string> none =
      s.history.tracks_progress() ? std::vector<std::string>{"0", "0", "0"} : std::vector<std::string>{"0", "0"};
  const std::vector<std::string> all =
      s.history.tracks_progress() ? std::vector<std::string>{"1", "1", "1"} : std::vector<std::string>{"1", "1"};
  BOOST_TEST(state[0] == none, boost::test_tools::per_element());
  for (const auto& ddl : s.history.create) s.run(ddl);
  for (const auto& ddl : s.history.create) s.run(ddl);  // idempotent
  BOOST_TEST(s.rows(s.history.exists)[0] == all, boost::test_tools::per_element());

  // Parameters in the dialect's own placeholders, values with quotes and a ':name' inside.
  s.run(s.history.insert, {"7", "it's :name", "abc123", "2026-01-02T03:04:05.678Z", "42"});
  s.run(s.history.insert, {"3", "three", "def", "2026-01-01T00:00:00.000Z", "0"});
  auto rows = s.rows(s.history.select);
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0][0] == "3");  // ordered by version
  BOOST_TEST(rows[1] == (std::vector<std::string>{"7", "it's :name", "abc123", "2026-01-02T03:04:05.678Z", "42"}),
             boost::test_tools::per_element());
  StatementFailure duplicate;
  BOOST_TEST(!s.conn->run(s.history.insert, {"7", "again", "x", "2026-01-02T03:04:05.678Z", "0"}, nullptr, &duplicate));
  s.run(s.history.remove, {"7"});
  BOOST_TEST(s.rows(s.history.select).size() == 1u);

  BOOST_TEST(s.history.tables_version >= 1);
  BOOST_TEST(s.rows(s.history.meta_select).empty());
  s.run(s.history.meta_init_literal);
  BOOST_TEST(s.value(s.history.meta_select) == std::to_string(s.history.tables_version));
  s.run(s.history.meta_set, {"5"});
  s.run(s.history.meta_init_literal);  // never lowers what is recorded
  BOOST_TEST(s.value(s.history.meta_select) == "5");
  // The rows and the layout in one query, in any order: the layout as version -1.
  auto with_layout = s.rows(s.history.select_with_layout);
  std::sort(with_layout.begin(), with_layout.end(),
            [](const auto& a, const auto& b) { return std::stoll(a[0]) < std::stoll(b[0]); });
  BOOST_TEST_REQUIRE(with_layout.size() == 2u);
  BOOST_TEST(with_layout[0][0] == "-1");
  BOOST_TEST(with_layout[0][1] == "5");
  BOOST_TEST(with_layout[0][2] == "runner_meta");
  BOOST_TEST(with_layout[1] == s.rows(s.history.select)[0], boost::test_tools::per_element());
  for (const auto& [to, sql] : s.history.upgrade)
    BOOST_TEST((to >= 1 && to <= s.history.tables_version && !sql.empty()));
}

CONFORMANCE_CASE(keeps_runner_progress) {
  Session s(c);
  const RunnerSql& h = s.history;
  if (!h.tracks_progress()) return;  // optional: such a dialect's no-transaction migrations are not resumable
  for (const auto& ddl : h.create) s.run(ddl);
  s.run(h.meta_init_literal);
  s.run(h.progress_start, {"12", "it's :name", "up", "abc", "4", "2026-01-02T03:04:05.678Z"});
  s.run(h.progress_step, {"12", "2", "prefix", "aaaa bbbb", "2026-01-02T03:04:06.000Z"});
  s.run(h.progress_fail, {"12", "statement 3 failed: 'quoted'", "sql/0012_x.up.sql", "7", "2026-01-02T03:04:07.000Z"});
  auto rows = s.rows(h.progress_select);
  BOOST_TEST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0] == (std::vector<std::string>{"12", "it's :name", "up", "abc", "4", "2", "prefix", "aaaa bbbb",
                                                  "statement 3 failed: 'quoted'", "sql/0012_x.up.sql", "7",
                                                  "2026-01-02T03:04:05.678Z", "2026-01-02T03:04:07.000Z"}),
             boost::test_tools::per_element());
  // A step clears the failure.
  s.run(h.progress_step, {"12", "3", "p3", "aaaa bbbb cccc", "2026-01-02T03:04:08.000Z"});
  rows = s.rows(h.progress_select);
  BOOST_TEST(rows[0][5] == "3");
  BOOST_TEST(rows[0][8] == "");
  BOOST_TEST(rows[0][10] == "0");
  // The history query with the progress marker: one row (-2, version).
  auto marked = s.rows(h.select_with_progress);
  const auto marker = std::find_if(marked.begin(), marked.end(), [](const auto& r) { return r[0] == "-2"; });
  BOOST_TEST_REQUIRE((marker != marked.end()));
  BOOST_TEST((*marker)[1] == "12");
  BOOST_TEST((*marker)[2] == "runner_progress");
  s.run(h.progress_delete, {"12"});
  BOOST_TEST(s.rows(h.progress_select).empty());
}

CONFORMANCE_CASE(the_run_lock_admits_one_runner) {
  Session first(c);
  const RunnerSql& h = first.history;
  BOOST_TEST_REQUIRE((h.lock_file != !h.lock_try.empty()), "exactly one kind of run lock");
  if (h.lock_file) {
    // The host takes an exclusive flock on the file the target names, for every file URL.
    BOOST_TEST(!first.target.file.empty());
    return;
  }
  Session second(c);
  BOOST_TEST(first.value(h.lock_try) == "1");
  BOOST_TEST(second.value(h.lock_try) == "0");
  if (!h.lock_check.empty()) {
    BOOST_TEST(first.value(h.lock_check) == "1");
    BOOST_TEST(second.value(h.lock_check) == "0");
  }
  if (!h.lock_holder.empty()) BOOST_TEST(second.value(h.lock_holder) != "<none>");
  first.run(h.lock_release);
  BOOST_TEST(second.value(h.lock_try) == "1");
  second.run(h.lock_release);
}

CONFORMANCE_CASE(cancel_stops_a_running_statement) {
  Session s(c);
  std::atomic<bool> done{false};
  std::thread canceller([&] {
    // Cancel until the statement has stopped: a cancel that lands before it starts is lost.
    for (int i = 0; i < 100 && !done; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      s.conn->cancel();
    }
  });
  const auto start = std::chrono::steady_clock::now();
  StatementFailure f;
  const bool ok = s.conn->run(c.long_statement, {}, nullptr, &f);
  done = true;
  canceller.join();
  BOOST_TEST(!ok);
  BOOST_TEST(!f.message.empty());
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
  BOOST_TEST(s.value("SELECT 1") == "1");  // the connection is usable after
}

// Import recognises another tool's bookkeeping by what each statement does to which table, as the
// dialect's parser reads it: quoting, schemas, comments and case are no disguise, and a statement
// that merely mentions the table is something else.
CONFORMANCE_CASE(statement_target_reads_the_table_a_statement_writes) {
  const Dialect& d = load_dialect(c.name);
  BOOST_TEST_REQUIRE(d.reads_statements());
  auto is = [&](const std::string& sql, const std::string& kind, const std::string& table = "",
                const std::string& schema = "") {
    StatementTarget t = d.statement_target(sql);
    BOOST_TEST(t.kind == kind, sql << ": kind " << t.kind);
    BOOST_TEST(t.table == table, sql << ": table " << t.table);
    BOOST_TEST(t.schema == schema, sql << ": schema " << t.schema);
  };
  is("BEGIN", "begin");
  is("COMMIT", "commit");
  is("ROLLBACK", "rollback");
  is("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)", "create_table", "alembic_version");
  is("-- note\nINSERT INTO alembic_version (version_num) VALUES ('ae1027a6acf')", "insert", "alembic_version");
  is("UPDATE \"alembic_version\" SET version_num='b' WHERE alembic_version.version_num = 'a'", "update",
     "alembic_version");
  is("DELETE FROM app.alembic_version WHERE version_num = 'a'", "delete", "alembic_version", "app");
  is("DROP TABLE alembic_version", "drop_table", "alembic_version");
  is("CREATE INDEX alembic_version_ix ON projects (name)", "other");
  is("SELECT * FROM alembic_version", "other");
  is("ALTER TABLE alembic_version ADD COLUMN note text", "other");
  is("not sql at all (", "other");
}

// A file in the database's own SQL (-- runner:as-written): split with the same boundaries, but no
// statement planned for translation or refused for want of one.
CONFORMANCE_CASE(as_written_split_plans_no_translation) {
  const Dialect& d = load_dialect(c.name);
  const std::string sql =
      "CREATE TABLE t (id text PRIMARY KEY);\nALTER TABLE t ADD COLUMN n text NOT NULL DEFAULT '';\n"
      "SELECT 'a;b';\n";
  const auto planned = d.split(sql, "f.sql");
  const auto written = d.split(sql, "f.sql", true);
  BOOST_TEST_REQUIRE(written.size() == planned.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    BOOST_TEST(written[i].sql == planned[i].sql);
    BOOST_TEST(written[i].line == planned[i].line);
    BOOST_TEST((written[i].flags & (RUNNER_STMT_TRANSLATE | RUNNER_STMT_READS_SCHEMA)) == 0u);
  }
  if (c.name == "sqlite") {
    // Refused when planned from the portable DDL; as written it is SQLite's to judge when it runs.
    BOOST_CHECK_THROW(d.split("CREATE SEQUENCE s;", "f.sql"), SourceError);
    BOOST_TEST(d.split("CREATE SEQUENCE s;", "f.sql", true).size() == 1u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
