// SPDX-License-Identifier: MIT
// Session state a migration can change never decides where the next one lands: the target schema
// is re-established before each migration, the run lock is checked before each history write, and
// statements that would release the lock are refused before anything runs.
#include "tests/integration/integration_fixture.hpp"

using namespace runner::test;

namespace {

// A database of its own, so that its public schema shows anything that landed in the wrong place.
TestDatabase own_database_with_schema(const std::string& prefix, const std::string& schema) {
  TestDatabase db = pg_own_database(prefix);
  db.schema = schema;
  db.url = db.pg_base + "?schema=" + schema;
  return db;
}

std::vector<std::string> tables_in(const TestDatabase& db, const std::string& schema) {
  std::vector<std::string> names;
  for (const auto& row :
       DatabaseProbe::postgresql(db.pg_base, schema)
           ->rows("SELECT tablename FROM pg_tables WHERE schemaname = " + sql_literal(schema) + " ORDER BY tablename"))
    names.push_back(row[0]);
  return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(session_state)

BOOST_AUTO_TEST_CASE(search_path_changes_never_leak_into_the_next_migration_pg) {
  TempDir dir;
  TestDatabase db = own_database_with_schema("leak", "target");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\nRESET search_path;\n");
  write_file(dir / "sql/0002_b.up.sql",
             "CREATE TABLE b (x int);\nSELECT set_config('search_path', 'public', false);\n");
  write_file(dir / "sql/0003_c.up.sql", "CREATE TABLE c (x int);\nRESET ALL;\n");
  write_file(dir / "sql/0004_d.up.sql",
             "-- runner:no-transaction\nCREATE TABLE d (x int);\nSET search_path TO public;\n");
  write_file(dir / "sql/0005_e.up.sql", "CREATE TABLE e (x text);\nINSERT INTO e VALUES (E'a\\\\b');\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(tables_in(db, "target") == (std::vector<std::string>{"a", "b", "c", "d", "e", "runner_history",
                                                                  "runner_meta", "runner_progress"}),
             boost::test_tools::per_element());
  BOOST_TEST(tables_in(db, "public").empty());
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3, 4, 5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_project_lands_in_its_own_schema_after_a_reset_pg) {
  TempDir dir;
  TestDatabase db = pg_own_database("leakfleet");
  for (const char* s : {"project_1", "project_2", "project_3"})
    DatabaseProbe::postgresql(db.pg_base, "public")->execute(std::string("CREATE SCHEMA ") + s);
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\nRESET search_path;\n");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);\n");
  RunResult r = run_runner({"upgrade", "--all-projects", "-d", db.pg_base, "-s", "sql", "--jobs", "1"}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  for (const char* s : {"project_1", "project_2", "project_3"})
    BOOST_TEST(
        tables_in(db, s) == (std::vector<std::string>{"a", "b", "runner_history", "runner_meta", "runner_progress"}),
        boost::test_tools::per_element());
  BOOST_TEST(tables_in(db, "public").empty());
}

BOOST_AUTO_TEST_CASE(without_a_schema_the_history_stays_where_it_was_created_pg) {
  TempDir dir;
  TestDatabase db = pg_own_database("home");  // no ?schema=: public, the connection's own
  const std::string name = db.pg_base.substr(db.pg_base.rfind('/') + 1);
  write_file(dir / "sql/0001_schema.up.sql",
             "CREATE SCHEMA app;\nALTER DATABASE " + name + " SET search_path = app, public;\n");
  write_file(dir / "sql/0002_seed.up.sql",
             "CREATE TABLE public.ledger (k text);\nINSERT INTO public.ledger VALUES ('seed');\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  // New connections now start in app; the history (and the lock) stay in public.
  RunResult again = run(dir, db, {"upgrade"});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(contains(again.out, "nothing to do"), again.out);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM public.ledger") == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM pg_tables WHERE tablename = 'runner_history'") == 1);
  BOOST_TEST(contains(run(dir, db, {"current"}).out, "seed"));

  // Two histories and neither the connection's own: runner asks which.
  DatabaseProbe::postgresql(db.pg_base, "public")
      ->execute("CREATE SCHEMA other; CREATE TABLE other.runner_history (x int)");
  DatabaseProbe::postgresql(db.pg_base, "public")->execute("ALTER DATABASE " + name + " SET search_path = app");
  RunResult ambiguous = run(dir, db, {"upgrade"});
  BOOST_TEST(ambiguous.exit_code == 2);
  BOOST_TEST(contains(ambiguous.err, "?schema=NAME"), ambiguous.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM public.ledger") == 1);
}

BOOST_AUTO_TEST_CASE(statements_releasing_the_run_lock_are_refused_before_anything_runs_pg) {
  TempDir dir;
  TestDatabase db = pg_database("unlock");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\n");
  write_file(dir / "sql/0002_b.up.sql", "-- runner:no-transaction\nCREATE TABLE b (x int);\n\ndiscard   ALL;\n");
  RunResult discard = run(dir, db, {"upgrade"});
  BOOST_TEST(discard.exit_code == 2);
  BOOST_TEST(contains(discard.err, "sql/0002_b.up.sql:4: "), discard.err);
  BOOST_TEST(contains(discard.err, "DISCARD ALL"), discard.err);
  BOOST_TEST(contains(discard.err, "run lock"), discard.err);
  BOOST_TEST(db.probe()->tables().empty());

  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);\nSELECT 1;\nSELECT pg_advisory_unlock_all();\n");
  RunResult unlock_all = run(dir, db, {"upgrade"});
  BOOST_TEST(unlock_all.exit_code == 2);
  BOOST_TEST(contains(unlock_all.err, "sql/0002_b.up.sql:3: "), unlock_all.err);
  BOOST_TEST(contains(unlock_all.err, "pg_advisory_unlock_all"), unlock_all.err);
  BOOST_TEST(db.probe()->tables().empty());
  BOOST_TEST(run(dir, db, {"validate"}).exit_code == 2);
  BOOST_TEST(run(dir, db, {"upgrade", "--dry-run"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(a_lost_run_lock_stops_the_run_before_the_history_write_pg) {
  TempDir dir;
  TestDatabase db = pg_database("lost");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\n");
  // Releases the run lock by its key, which no plan-time check can see through.
  write_file(dir / "sql/0002_b.up.sql",
             "CREATE TABLE b (x int);\nSELECT pg_advisory_unlock(1920298611, hashtext(current_database() || '.' || " +
                 sql_literal(db.schema) + "));\n");
  write_file(dir / "sql/0003_c.up.sql", "CREATE TABLE c (x int);\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(contains(r.err, "run lock"), r.err);
  BOOST_TEST(contains(r.err, "0002_b"), r.err);
  BOOST_TEST(contains(r.err, "rolled back"), r.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a"}), boost::test_tools::per_element());
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_wrapping_begin_keeps_its_options_pg) {
  TempDir dir;
  TestDatabase db = pg_database("iso");
  write_file(dir / "sql/0001_a.up.sql",
             "BEGIN ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE a (level text);\n"
             "INSERT INTO a VALUES (current_setting('transaction_isolation'));\nCOMMIT;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(db.probe()->rows("SELECT level FROM a")[0][0] == "serializable");
  // READ ONLY could never record the migration: refused before anything runs.
  write_file(dir / "sql/0002_b.up.sql", "begin transaction read\n  only;\n\nSELECT 1;\nCOMMIT;\n");
  for (const auto& args : std::vector<std::vector<std::string>>{{"validate"}, {"upgrade", "--sql"}, {"upgrade"}}) {
    RunResult ro = run(dir, db, args);
    BOOST_TEST(ro.exit_code == 2, args[0] << ": " << ro.err);
    BOOST_TEST(contains(ro.err, "sql/0002_b.up.sql:1: a READ ONLY transaction cannot record the migration"), ro.err);
  }
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());

  write_file(dir / "sql/0002_b.up.sql", "BEGIN ISOLATION LEVEL NONSENSE;\nCREATE TABLE b (x int);\nCOMMIT;\n");
  RunResult bad = run(dir, db, {"upgrade"});
  BOOST_TEST(bad.exit_code == 2);  // PostgreSQL's parser rejects the BEGIN, so it wraps nothing
  BOOST_TEST(history_versions(db).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_wrapping_begin_keeps_its_options_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "BEGIN EXCLUSIVE TRANSACTION;\nCREATE TABLE a (x int);\nCOMMIT;\n");
  RunResult ok = run(dir, db, {"upgrade"});
  BOOST_TEST(ok.exit_code == 0, ok.err);
  // Options SQLite does not know stop every path before anything runs.
  write_file(dir / "sql/0002_b.up.sql", "BEGIN SOMETIMES;\nCREATE TABLE b (x int);\nCOMMIT;\n");
  for (const auto& args : std::vector<std::vector<std::string>>{{"validate"}, {"upgrade", "--dry-run"}, {"upgrade"}}) {
    RunResult r = run(dir, db, args);
    BOOST_TEST(r.exit_code == 2, args[0] << ": " << r.err);
    BOOST_TEST(contains(r.err, "sql/0002_b.up.sql:1: SQLite cannot begin a transaction with 'BEGIN SOMETIMES;'"),
               r.err);
  }
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a"}), boost::test_tools::per_element());
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schema_names)

BOOST_AUTO_TEST_CASE(a_schema_whose_name_holds_a_colon_works_pg) {
  // The runner's own statements go through the driver verbatim: ':' in a quoted name is no bind.
  TempDir dir;
  TestDatabase db = pg_database("co:lon");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;");
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a"}), boost::test_tools::per_element());
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  RunResult down = run(dir, db, {"downgrade", "base"});
  BOOST_TEST(down.exit_code == 0, down.err);
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_SUITE_END()
