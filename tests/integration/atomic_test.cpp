// SPDX-License-Identifier: MIT
// upgrade --atomic: a database's pending migrations and their history rows in one transaction, so
// that a failure leaves it exactly where it started; refused before anything runs when they cannot
// share one; shown as one transaction by --dry-run and --sql.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

// The sample migrations, and 0013 failing on its second statement after its first created a table.
void sample_with_a_bad_last(const TempDir& dir) {
  fs::copy(sample_sql_dir(), dir / "sql");
  write_file(dir / "sql/0013_bad.up.sql", "CREATE TABLE made_by_13 (x int);\nINSERT INTO no_such_table VALUES (1);\n");
}

void check_failure_leaves_it_where_it_started(const TestDatabase& db) {
  TempDir dir;
  sample_with_a_bad_last(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "9", "-q"}).exit_code == 0);
  const std::vector<std::string> tables_before = db.probe()->tables();
  RunResult r = run(dir, db, {"upgrade", "--atomic"});
  BOOST_TEST(r.exit_code == 1, r.err);
  BOOST_TEST(contains(r.err, "sql/0013_bad.up.sql:2"), r.err);
  BOOST_TEST(contains(r.err,
                      "the run's one transaction (--atomic) was rolled back: no migration of it is applied; "
                      "the database is at 0009_runs_add_attempt"),
             r.err);
  // 0010 to 0012 ran before 0013 failed; none of them stays, nor their history rows.
  BOOST_TEST(history_versions(db).size() == 9u);
  BOOST_TEST(db.probe()->tables() == tables_before, boost::test_tools::per_element());
  // Without --atomic the same run stops at the last good migration.
  RunResult each = run(dir, db, {"upgrade"});
  BOOST_TEST(each.exit_code == 1);
  BOOST_TEST(history_versions(db).size() == 12u);
  // Once fixed, --atomic applies the rest in one go.
  write_file(dir / "sql/0013_bad.up.sql", "CREATE TABLE made_by_13 (x int);\n");
  RunResult fixed = run(dir, db, {"upgrade", "--atomic", "--json"});
  BOOST_TEST_REQUIRE(fixed.exit_code == 0, fixed.err);
  BOOST_TEST(nlohmann::json::parse(fixed.out).at("applied").size() == 1u);
  BOOST_TEST(history_versions(db).size() == 13u);
}

void check_refused_before_anything_runs(const TestDatabase& db, const std::string& outside) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  write_file(dir / "sql/0013_outside.up.sql", "-- runner:no-transaction\n" + outside + "\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "9", "-q"}).exit_code == 0);
  RunResult r = run(dir, db, {"upgrade", "--atomic"});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err,
                      "sql/0013_outside.up.sql: runs without a transaction (-- runner:no-transaction); "
                      "--atomic runs every migration of the run in one transaction"),
             r.err);
  BOOST_TEST(history_versions(db).size() == 9u);
  RunResult dry = run(dir, db, {"upgrade", "--atomic", "--dry-run"});
  BOOST_TEST(dry.exit_code == 2, dry.err);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(atomic)

BOOST_AUTO_TEST_CASE(a_failure_leaves_the_database_where_it_started) {
  TempDir dir;
  check_failure_leaves_it_where_it_started(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(a_failure_leaves_the_database_where_it_started_pg) {
  check_failure_leaves_it_where_it_started(pg_database("atomic"));
}

BOOST_AUTO_TEST_CASE(a_no_transaction_migration_is_refused_before_anything_runs) {
  TempDir dir;
  check_refused_before_anything_runs(sqlite_database(dir), "VACUUM;");
}

BOOST_AUTO_TEST_CASE(a_no_transaction_migration_is_refused_before_anything_runs_pg) {
  check_refused_before_anything_runs(pg_database("atomicnotx"),
                                     "CREATE INDEX CONCURRENTLY runs_attempt ON runs (attempt);");
}

BOOST_AUTO_TEST_CASE(an_enum_value_added_and_used_later_in_the_run_is_refused_naming_both_pg) {
  TempDir dir;
  write_file(dir / "sql/0001_mood.up.sql", "CREATE TYPE mood AS ENUM ('calm', 'busy');\nCREATE TABLE t (m mood);\n");
  write_file(dir / "sql/0002_add.up.sql", "ALTER TYPE mood ADD VALUE 'angry' AFTER 'busy';\n");
  write_file(dir / "sql/0003_use.up.sql", "-- the new value\n\nINSERT INTO t VALUES ('angry');\n");
  const TestDatabase db = pg_database("atomicenum");
  RunResult r = run(dir, db, {"upgrade", "--atomic"});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "sql/0003_use.up.sql:3: uses the enum value 'angry' that sql/0002_add.up.sql:1 adds"),
             r.err);
  BOOST_TEST(never_created(db));
  // Each in its own transaction, the value is committed before it is used.
  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
  BOOST_TEST(history_versions(db).size() == 3u);
}

BOOST_AUTO_TEST_CASE(what_one_migration_sets_does_not_reach_the_next_in_the_one_transaction_pg) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\nSET search_path TO public;\nSET lock_timeout = 0;\n");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);\n");
  const TestDatabase db = pg_database("atomicset");
  RunResult r = run(dir, db, {"upgrade", "--atomic"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  // b lands in the target schema, not in public where 0001 left the search path.
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
  BOOST_TEST(DatabaseProbe::postgresql(pg_url(), "public")
                 ->count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'b'") == 0);
  // The script does the same.
  RunResult sql =
      run_runner({"upgrade", "--sql", "--atomic", "--dialect", "postgresql", "--schema", db.schema + "_s"}, dir.path());
  BOOST_TEST_REQUIRE(sql.exit_code == 0, sql.err);
  const std::size_t b = sql.out.find("CREATE TABLE b");
  BOOST_TEST_REQUIRE(b != std::string::npos);
  BOOST_TEST(sql.out.rfind("SET search_path", b) > sql.out.find("SET search_path TO public"), sql.out);
}

BOOST_AUTO_TEST_CASE(every_project_of_a_fleet_is_all_or_nothing) {
  TempDir dir;
  sample_with_a_bad_last(dir);
  for (int n = 1; n <= 4; ++n) {
    const TestDatabase db = sqlite_database(dir, "data/project_" + std::to_string(n) + ".db");
    BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", std::to_string(n + 4), "-q"}).exit_code == 0);
  }
  // 0013 fails only where made_by_13 is in the way: project 3.
  write_file(dir / "sql/0013_bad.up.sql", "CREATE TABLE made_by_13 (x int);\n");
  sqlite_database(dir, "data/project_3.db").probe()->execute("CREATE TABLE made_by_13 (y int)");
  // atomic = true in the config, as a deploy would set it.
  write_file(dir / "runner.ini", "atomic = true\n");
  RunResult r = run_runner({"upgrade", "--all-projects", "--json"}, dir.path());
  BOOST_TEST(r.exit_code == 1, r.err);
  for (const auto& p : nlohmann::json::parse(r.out)) {
    const std::string id = p.at("project").get<std::string>();
    const std::size_t at = history_versions(sqlite_database(dir, "data/project_" + id + ".db")).size();
    if (id == "3") {
      BOOST_TEST(p.at("status").get<std::string>() == "failed");
      BOOST_TEST(at == 7u);  // where it started, not 0012
      BOOST_TEST(p.at("to").at("version").get<int>() == 7);
    } else {
      BOOST_TEST(p.at("status").get<std::string>() == "ok");
      BOOST_TEST(at == 13u);
    }
  }
}

BOOST_AUTO_TEST_CASE(dry_run_and_sql_show_the_one_transaction) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const TestDatabase db = sqlite_database(dir);
  RunResult dry = run(dir, db, {"upgrade", "--atomic", "--dry-run"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out,
                      "12 migrations would run, in order, all in one transaction with their history rows "
                      "(--atomic):"),
             dry.out);
  RunResult sql = run_runner({"upgrade", "--sql", "--atomic", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST_REQUIRE(sql.exit_code == 0, sql.err);
  std::size_t begins = 0, commits = 0;
  for (std::size_t at = 0; (at = sql.out.find("BEGIN;\n", at)) != std::string::npos; ++at) ++begins;
  for (std::size_t at = 0; (at = sql.out.find("COMMIT;\n", at)) != std::string::npos; ++at) ++commits;
  BOOST_TEST(begins == 1u);
  BOOST_TEST(commits == 1u);
  BOOST_TEST(contains(sql.out, "--atomic"), sql.out);
  // The script, run by sqlite3, leaves what the online run leaves.
  write_file(dir / "up.sql", sql.out);
  BOOST_TEST_REQUIRE(std::system(("cd '" + dir.path().string() + "' && sqlite3 -bail offline.db < up.sql").c_str()) ==
                     0);
  BOOST_TEST(history_versions(sqlite_database(dir, "offline.db")).size() == 12u);
  // What cannot share one transaction is refused in the script too.
  write_file(dir / "sql/0013_outside.up.sql", "-- runner:no-transaction\nVACUUM;\n");
  RunResult refused = run_runner({"upgrade", "--sql", "--atomic", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST(refused.exit_code == 2, refused.err);
  BOOST_TEST(run_runner({"downgrade", "base", "--atomic", "-d", db.url}, dir.path()).exit_code == 2);
}

BOOST_AUTO_TEST_SUITE_END()
