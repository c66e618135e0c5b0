// SPDX-License-Identifier: MIT
// Callbacks (sql/callbacks/*.sql, Flyway's names): before_migrate and after_migrate once per run,
// before_each and after_each around every migration in its transaction; shown by --dry-run -v and
// --sql; a failing one fails its migration.
#include "tests/integration/integration_fixture.hpp"

using namespace runner::test;

namespace {

std::vector<std::string> audit(const TestDatabase& db) {
  std::vector<std::string> out;
  for (const auto& row : db.probe()->rows("SELECT what FROM audit ORDER BY id")) out.push_back(row.at(0));
  return out;
}

void callbacks_run_around_migrations(const TestDatabase& db, const std::string& key) {
  TempDir dir;
  write_file(dir / "sql/0001_audit.up.sql", "CREATE TABLE audit (id " + key + ", what text NOT NULL);\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "-q"}).exit_code == 0);
  write_file(dir / "sql/0002_a.up.sql", "CREATE TABLE a (x integer);\nINSERT INTO audit (what) VALUES ('0002');\n");
  write_file(dir / "sql/0003_b.up.sql", "CREATE TABLE b (x integer);\nINSERT INTO audit (what) VALUES ('0003');\n");
  write_file(dir / "sql/callbacks/before_migrate.sql", "INSERT INTO audit (what) VALUES ('before_migrate');\n");
  write_file(dir / "sql/callbacks/after_migrate.sql", "INSERT INTO audit (what) VALUES ('after_migrate');\n");
  write_file(dir / "sql/callbacks/before_each.sql", "INSERT INTO audit (what) VALUES ('before_each');\n");
  write_file(dir / "sql/callbacks/after_each.sql",
             "-- runner:placeholders\nINSERT INTO audit (what) VALUES (${who:literal});\n");

  RunResult dry = run(dir, db, {"upgrade", "--dry-run", "-v", "--set", "who=after_each"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "sql/callbacks/before_migrate.sql:1"), dry.out);
  RunResult up = run(dir, db, {"upgrade", "--set", "who=after_each"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(audit(db) == (std::vector<std::string>{"before_migrate", "before_each", "0002", "after_each",
                                                    "before_each", "0003", "after_each", "after_migrate"}),
             boost::test_tools::per_element());
  // Nothing to do: nothing runs, callbacks neither.
  RunResult again = run(dir, db, {"upgrade", "--set", "who=after_each"});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(audit(db).size() == 8u);

  // A failing callback fails its migration: rolled back whole, named by the callback's file and line.
  write_file(dir / "sql/0004_c.up.sql", "CREATE TABLE c (x integer);\n");
  write_file(dir / "sql/callbacks/after_each.sql",
             "INSERT INTO audit (what) VALUES ('ok');\nINSERT INTO nowhere VALUES (1);\n");
  RunResult failed = run(dir, db, {"upgrade"});
  BOOST_TEST(failed.exit_code == 1);
  BOOST_TEST(contains(failed.err, "sql/callbacks/after_each.sql:2: callback statement (line 2) in migration 0004_c"),
             failed.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(audit(db).size() == 8u);
  const auto tables = db.probe()->tables();
  BOOST_TEST(std::count(tables.begin(), tables.end(), "c") == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callbacks)

BOOST_AUTO_TEST_CASE(run_around_migrations_sqlite) {
  TempDir dir;
  callbacks_run_around_migrations(sqlite_database(dir), "INTEGER PRIMARY KEY");
}

BOOST_AUTO_TEST_CASE(run_around_migrations_pg) { callbacks_run_around_migrations(pg_database(), "serial PRIMARY KEY"); }

BOOST_AUTO_TEST_CASE(sql_script_marks_callbacks_and_variants_win) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x integer);\n");
  write_file(dir / "sql/callbacks/before_each.sql", "SELECT 'everywhere';\n");
  write_file(dir / "sql/callbacks/before_each.sqlite.sql", "SELECT 'sqlite only';\n");
  write_file(dir / "sql/callbacks/after_each.postgresql.sql", "SET lock_timeout = '5s';\n");
  RunResult sqlite = run_runner({"upgrade", "--sql", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST_REQUIRE(sqlite.exit_code == 0, sqlite.err);
  BOOST_TEST(contains(sqlite.out,
                      "-- sql/callbacks/before_each.sqlite.sql\nSELECT 'sqlite only';\n-- sql/0001_a.up.sql\n"
                      "CREATE TABLE"),
             sqlite.out);
  BOOST_TEST(!contains(sqlite.out, "everywhere"), sqlite.out);
  BOOST_TEST(!contains(sqlite.out, "lock_timeout"), sqlite.out);
  RunResult pg = run_runner({"upgrade", "--sql", "--dialect", "postgresql"}, dir.path());
  BOOST_TEST_REQUIRE(pg.exit_code == 0, pg.err);
  BOOST_TEST(contains(pg.out, "SELECT 'everywhere';"), pg.out);
  BOOST_TEST(contains(pg.out, "SET lock_timeout = '5s';"), pg.out);
}

BOOST_AUTO_TEST_CASE(wrong_callbacks_are_refused_before_anything_runs) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x integer);\n");
  write_file(dir / "sql/callbacks/beforeMigrate.sql", "SELECT 1;\n");
  RunResult typo = run(dir, db, {"upgrade"});
  BOOST_TEST(typo.exit_code == 2);
  BOOST_TEST(contains(typo.err, "sql/callbacks/beforeMigrate.sql: not a callback"), typo.err);
  fs::remove(dir / "sql/callbacks/beforeMigrate.sql");
  write_file(dir / "sql/callbacks/before_each.sql", "-- runner:no-transaction\nVACUUM;\n");
  RunResult no_tx = run(dir, db, {"upgrade"});
  BOOST_TEST(no_tx.exit_code == 2);
  BOOST_TEST(contains(no_tx.err, "before_each.sql: a callback runs inside each migration's transaction"), no_tx.err);
  write_file(dir / "sql/callbacks/before_each.sql", "VACUUM;\n");
  RunResult vacuum = run(dir, db, {"upgrade"});
  BOOST_TEST(vacuum.exit_code == 2);
  BOOST_TEST(contains(vacuum.err, "sql/callbacks/before_each.sql:1:"), vacuum.err);
  BOOST_TEST(!fs::exists(db.sqlite_file));
}

BOOST_AUTO_TEST_SUITE_END()
