// SPDX-License-Identifier: MIT
// runner's own tables carry their layout (runner_meta): a database an older runner wrote is brought
// up under the run lock with its history kept; one a newer runner wrote is refused, untouched.
#include "tests/integration/integration_fixture.hpp"

using namespace runner::test;

namespace {

// runner_history exactly as runners before runner_meta created it, with version 1 applied.
void write_layout_0(const TestDatabase& db, const std::string& checksum) {
  if (!db.sqlite_file.empty()) {
    auto probe = DatabaseProbe::sqlite(db.sqlite_file);
    probe->execute(
        "CREATE TABLE runner_history (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT "
        "NULL, applied_at TEXT NOT NULL, execution_ms INTEGER NOT NULL)");
    probe->execute("CREATE TABLE a (x int)");
    probe->execute("INSERT INTO runner_history VALUES (1, 'a', '" + checksum + "', '2025-01-02T03:04:05.000Z', 7)");
    return;
  }
  auto probe = DatabaseProbe::postgresql(db.pg_base, "public");
  const std::string s = "\"" + db.schema + "\"";
  probe->execute("CREATE SCHEMA " + s);
  probe->execute("CREATE TABLE " + s +
                 ".runner_history (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT "
                 "NOT NULL, applied_at TIMESTAMPTZ NOT NULL, execution_ms BIGINT NOT NULL)");
  probe->execute("CREATE TABLE " + s + ".a (x int)");
  probe->execute("INSERT INTO " + s + ".runner_history VALUES (1, 'a', '" + checksum + "', '2025-01-02T03:04:05Z', 7)");
}

std::string recorded_layout(const TestDatabase& db) {
  auto rows = db.probe()->rows("SELECT value FROM runner_meta WHERE key = 'tables_version'");
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

void an_older_layout_is_upgraded_keeping_the_history(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);");
  const std::string checksum = file_sha256(dir / "sql/0001_a.up.sql");
  write_layout_0(db, checksum);
  // A read neither writes nor refuses: the old layout reads as it is.
  RunResult current = run(dir, db, {"current"});
  BOOST_TEST(current.exit_code == 0, current.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM runner_history") == 1);

  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(contains(up.err, "runner's own tables brought from layout 0 to 2"), up.err);
  BOOST_TEST(recorded_layout(db) == "2");
  auto rows = db.probe()->history();
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0].checksum == checksum);  // the old row is kept as it was
  BOOST_TEST(db.probe()->count("SELECT execution_ms FROM runner_history WHERE version = 1") == 7);
  BOOST_TEST(rows[1].name == "b");

  // Once current, later runs upgrade nothing and say nothing of it.
  write_file(dir / "sql/0003_c.up.sql", "CREATE TABLE c (x int);");
  RunResult again = run(dir, db, {"upgrade"});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(!contains(again.err, "brought from layout"), again.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}), boost::test_tools::per_element());
}

void a_newer_layout_is_refused_untouched(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);");
  write_file(dir / "sql/0002_b.down.sql", "DROP TABLE b;");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  BOOST_TEST(recorded_layout(db) == "2");  // a new database records its layout
  db.probe()->execute("UPDATE runner_meta SET value = '99' WHERE key = 'tables_version'");
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"upgrade"}, {"current"}, {"history"}, {"stamp", "head"}}) {
    RunResult r = run(dir, db, args);
    BOOST_TEST(r.exit_code == 3, args[0] << ": " << r.err);
    BOOST_TEST(contains(r.err, "runner's own tables there have layout 99, newer than this runner knows (2)"), r.err);
  }
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a"}), boost::test_tools::per_element());
  BOOST_TEST(recorded_layout(db) == "99");

  // A newer layout this runner's query cannot even read is refused the same way.
  db.probe()->execute("ALTER TABLE runner_history RENAME COLUMN name TO title");
  RunResult renamed = run(dir, db, {"current"});
  BOOST_TEST(renamed.exit_code == 3, renamed.err);
  BOOST_TEST(contains(renamed.err, "newer than this runner knows (2)"), renamed.err);

  // And one that keeps its history under another name: never read as a new database.
  db.probe()->execute("ALTER TABLE runner_history RENAME TO runner_history_v99");
  for (const auto& args : std::vector<std::vector<std::string>>{{"current"}, {"upgrade"}}) {
    RunResult r = run(dir, db, args);
    BOOST_TEST(r.exit_code == 3, args[0] << ": " << r.err);
  }
  BOOST_TEST(recorded_layout(db) == "99");
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM runner_history_v99") == 1);
}

void a_layout_that_is_not_a_plain_number_is_refused(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  for (const char* value : {"1abc", "-1", "0", "+1", "1.5", "99999999999999999999"}) {
    db.probe()->execute(std::string("UPDATE runner_meta SET value = '") + value + "' WHERE key = 'tables_version'");
    RunResult r = run(dir, db, {"upgrade"});
    BOOST_TEST(r.exit_code == 1, value << ": " << r.err);
    BOOST_TEST(contains(r.err, std::string("runner_meta records the layout of runner's tables as '") + value), r.err);
    BOOST_TEST(recorded_layout(db) == value);  // left as it was, for the DBA to look at
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(history_layout)

BOOST_AUTO_TEST_CASE(an_older_layout_is_upgraded_keeping_the_history_sqlite) {
  TempDir dir;
  an_older_layout_is_upgraded_keeping_the_history(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(an_older_layout_is_upgraded_keeping_the_history_pg) {
  an_older_layout_is_upgraded_keeping_the_history(pg_database("layout0"));
}

BOOST_AUTO_TEST_CASE(a_newer_layout_is_refused_untouched_sqlite) {
  TempDir dir;
  a_newer_layout_is_refused_untouched(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(a_newer_layout_is_refused_untouched_pg) {
  a_newer_layout_is_refused_untouched(pg_database("layout99"));
}

BOOST_AUTO_TEST_CASE(a_layout_that_is_not_a_plain_number_is_refused_sqlite) {
  TempDir dir;
  a_layout_that_is_not_a_plain_number_is_refused(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(a_layout_that_is_not_a_plain_number_is_refused_pg) {
  a_layout_that_is_not_a_plain_number_is_refused(pg_database("layoutbad"));
}

// A database runner laid out at layout 1 (before runner_progress): read as it is, upgraded on the
// next write, and a failing no-transaction migration is then recorded as partial.
void layout_1_gains_runner_progress(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  db.probe()->execute("DROP TABLE runner_progress");
  db.probe()->execute("UPDATE runner_meta SET value = '1' WHERE key = 'tables_version'");
  RunResult history = run(dir, db, {"history"});
  BOOST_TEST(history.exit_code == 0, history.err);
  BOOST_TEST(recorded_layout(db) == "1");  // reading changes nothing
  write_file(dir / "sql/0002_nt.up.sql", "-- runner:no-transaction\nCREATE TABLE b (x int);\nSELECT * FROM nowhere;\n");
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 1, up.err);
  BOOST_TEST(contains(up.err, "runner's own tables brought from layout 1 to 2"), up.err);
  BOOST_TEST(contains(up.err, "recorded as partial (1 of 2"), up.err);
  BOOST_TEST(recorded_layout(db) == "2");
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM runner_progress") == 1);
}

BOOST_AUTO_TEST_CASE(a_layout_1_database_gains_runner_progress) {
  TempDir dir;
  layout_1_gains_runner_progress(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(a_layout_1_database_gains_runner_progress_pg) {
  layout_1_gains_runner_progress(pg_database("layout1"));
}

BOOST_AUTO_TEST_CASE(an_offline_script_records_the_layout) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  RunResult r = run_runner({"upgrade", "--sql", "head", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "CREATE TABLE IF NOT EXISTS runner_meta"), r.out);
  BOOST_TEST(contains(r.out, "CREATE TABLE IF NOT EXISTS runner_progress"), r.out);
  BOOST_TEST(contains(r.out, "VALUES ('tables_version', '2') ON CONFLICT (key) DO NOTHING;"), r.out);
}

BOOST_AUTO_TEST_SUITE_END()
