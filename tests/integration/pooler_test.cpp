// SPDX-License-Identifier: MIT
// Through a connection pool that moves a client between server sessions (PgBouncer in transaction
// or statement mode) runner refuses to run before planning; through a pool in session mode it runs.
// A real PgBouncer, started by scripts/test.sh in front of the test server.
#include "tests/integration/integration_fixture.hpp"

#include <memory>

using namespace runner::test;

namespace {

void write_two(const TempDir& dir) {
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\n");
  write_file(dir / "sql/0002_b.up.sql",
             "-- runner:no-transaction\nCREATE TABLE b (x int);\nCREATE INDEX b_x ON b (x);\n");
}

long long schemas_named(const std::string& schema) {
  return DatabaseProbe::postgresql(pg_url(), "public")
      ->count("SELECT count(*) FROM pg_namespace WHERE nspname = " + sql_literal(schema));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pooler)

BOOST_AUTO_TEST_CASE(a_pool_in_transaction_or_statement_mode_is_refused_before_planning_pg) {
  TempDir dir;
  write_two(dir);
  for (const char* mode : {"tx", "statement"}) {
    const std::string schema = unique_name("pool");
    const std::string url = pgbouncer_url() + mode + "?schema=" + schema;
    for (const char* command : {"upgrade", "current", "validate"}) {
      RunResult r = run_runner({command, "-d", url, "-s", "sql"}, dir.path());
      BOOST_TEST(r.exit_code == 2, mode << " " << command << ": " << r.err);
      BOOST_TEST(contains(r.err, "does not keep its own server session"), r.err);
      BOOST_TEST(contains(r.err, "session mode"), r.err);
      BOOST_TEST(contains(r.err, "Nothing was run"), r.err);
    }
    BOOST_TEST(schemas_named(schema) == 0);
    // No pooled server session kept the run lock: a direct run gets it at once.
    TestDatabase direct;
    direct.pg_base = pg_url();
    direct.schema = schema;
    direct.url = pg_url() + "?schema=" + schema;
    RunResult after = run_runner({"upgrade", "-d", direct.url, "-s", "sql", "--lock-timeout", "2"}, dir.path());
    BOOST_TEST(after.exit_code == 0, after.err);
    BOOST_TEST(history_versions(direct) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(runners_started_at_once_through_a_transaction_pool_never_run_in_the_wrong_schema_pg) {
  TempDir dir;
  write_two(dir);
  std::vector<std::string> schemas;
  std::vector<std::unique_ptr<RunnerProcess>> runners;
  for (int i = 0; i < 3; ++i) {
    schemas.push_back(unique_name("poolrace"));
    runners.push_back(std::make_unique<RunnerProcess>(
        std::vector<std::string>{"upgrade", "-d", pgbouncer_url() + "tx?schema=" + schemas.back(), "-s", "sql"},
        dir.path()));
  }
  for (std::size_t i = 0; i < runners.size(); ++i) {
    RunResult r = runners[i]->wait();
    // Refused, or (had every check been unlucky) stopped by a later one or applied in its own
    // schema: a schema holds the tables exactly when its own runner applied them, never another's.
    BOOST_TEST((r.exit_code >= 0 && r.exit_code <= 3), r.err);
    auto probe = DatabaseProbe::postgresql(pg_url(), "public");
    const long long tables =
        probe->count("SELECT count(*) FROM pg_tables WHERE schemaname = " + sql_literal(schemas[i]) +
                     " AND tablename IN ('a', 'b')");
    BOOST_TEST(tables == (r.exit_code == 0 ? 2 : 0), schemas[i] << " exit " << r.exit_code);
  }
}

BOOST_AUTO_TEST_CASE(a_pool_in_session_mode_runs_pg) {
  TempDir dir;
  write_two(dir);
  TestDatabase db;
  db.pg_base = pg_url();
  db.schema = unique_name("poolsession");
  db.url = pgbouncer_url() + "session?schema=" + db.schema;
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(run(dir, db, {"downgrade", "base"}).exit_code == 2);  // irreversible: no down files
}

BOOST_AUTO_TEST_CASE(eight_runners_at_once_on_one_schema_through_a_session_pool_apply_each_migration_once_pg) {
  TempDir dir;
  // Each migration notes itself outside the schema: a migration run twice would show.
  const std::string schema = unique_name("poolcrowd");
  DatabaseProbe::postgresql(pg_url(), "public")->execute("CREATE TABLE public." + schema + "_ran (version int)");
  for (int v = 1; v <= 5; ++v)
    write_file(dir / ("sql/000" + std::to_string(v) + "_m" + std::to_string(v) + ".up.sql"),
               "CREATE TABLE t" + std::to_string(v) + " (x int);\nSELECT pg_sleep(0.05);\nINSERT INTO public." +
                   schema + "_ran VALUES (" + std::to_string(v) + ");\n");
  for (const char* mode : {"session", "tx"}) {
    std::vector<std::unique_ptr<RunnerProcess>> runners;
    for (int i = 0; i < 8; ++i)
      runners.push_back(std::make_unique<RunnerProcess>(
          std::vector<std::string>{"upgrade", "-d", pgbouncer_url() + mode + "?schema=" + schema, "-s", "sql"},
          dir.path()));
    for (auto& runner : runners) {
      RunResult r = runner->wait();
      if (std::string(mode) == "session") {
        BOOST_TEST(r.exit_code == 0, r.err);
      } else {
        // Transaction pooling: refused, never a second run.
        BOOST_TEST(r.exit_code == 2, r.err);
        BOOST_TEST(contains(r.err, "does not keep its own server session"), r.err);
      }
    }
  }
  TestDatabase db;
  db.pg_base = pg_url();
  db.schema = schema;
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3, 4, 5}), boost::test_tools::per_element());
  auto probe = DatabaseProbe::postgresql(pg_url(), "public");
  BOOST_TEST(probe->count("SELECT count(*) FROM public." + schema + "_ran") == 5);
  BOOST_TEST(probe->count("SELECT count(DISTINCT version) FROM public." + schema + "_ran") == 5);
}

BOOST_AUTO_TEST_SUITE_END()
