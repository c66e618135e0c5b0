// SPDX-License-Identifier: MIT
// Files that carry their own transaction control: a body wrapped in BEGIN ... COMMIT runs in the
// runner's transaction with its history row, and what the file puts outside it (SQLite's PRAGMA
// foreign_keys, as pocket-id's 71 SQLite migrations do) runs outside it.
#include "tests/integration/integration_fixture.hpp"

using namespace runner::test;

namespace {

// parent and child, child referencing parent, one row each.
void write_parent_and_child(const TempDir& dir) {
  write_file(dir / "sql/0001_tables.up.sql",
             "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
             "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));\n"
             "INSERT INTO parent VALUES (1, 'p');\nINSERT INTO child VALUES (1, 1);\n");
}

// Rebuilds parent the way SQLite's documentation says to: with foreign keys off, or dropping the
// referenced table fails.
const char* const k_rebuild_parent =
    "PRAGMA foreign_keys=OFF;\n"
    "BEGIN;\n"
    "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
    "INSERT INTO parent_new SELECT id, coalesce(name, '') FROM parent;\n"
    "DROP TABLE parent;\n"
    "ALTER TABLE parent_new RENAME TO parent;\n"
    "PRAGMA foreign_key_check;\n"
    "COMMIT;\n"
    "PRAGMA foreign_keys=ON;\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(transaction_shape)

BOOST_AUTO_TEST_CASE(foreign_keys_off_around_a_wrapped_body) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_parent_and_child(dir);
  // Foreign keys on for this run's connection from the start: the file's PRAGMA must turn them off
  // for its body, or DROP TABLE parent fails on child's row.
  write_file(dir / "sql/0002_on.up.sql", "-- runner:no-transaction\nPRAGMA foreign_keys=ON;\n");
  write_file(dir / "sql/0003_rebuild.up.sql", k_rebuild_parent);
  // Each migration starts with foreign keys off again: SQLite's table rebuild for this ALTER needs
  // them off, though 0003 turned them on after its COMMIT.
  write_file(dir / "sql/0004_not_null.up.sql", "ALTER TABLE child ALTER COLUMN parent_id SET NOT NULL;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM parent WHERE name = 'p'") == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM child WHERE parent_id = 1") == 1);
  BOOST_TEST(db.probe()->count("SELECT \"notnull\" FROM pragma_table_info('child') WHERE name = 'parent_id'") == 1);
}

BOOST_AUTO_TEST_CASE(a_failing_body_is_rolled_back_with_its_history_row) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_parent_and_child(dir);
  write_file(dir / "sql/0002_rebuild.up.sql",
             "PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE parent_new (id INTEGER PRIMARY KEY);\n"
             "INSERT INTO nowhere VALUES (1);\nCOMMIT;\nPRAGMA foreign_keys=ON;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 1, r.err);
  BOOST_TEST(contains(r.err, "sql/0002_rebuild.up.sql:4: statement 3 of 4 (line 4) failed"), r.err);
  BOOST_TEST(contains(r.err, "migration 0002_rebuild was rolled back; the database is at 0001_tables"), r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"child", "parent"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(other_shapes_are_refused_at_plan_time_by_line) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_parent_and_child(dir);
  write_file(dir / "sql/0002_half.up.sql",
             "PRAGMA foreign_keys=OFF;\nCREATE TABLE x (id INTEGER);\nBEGIN;\nCREATE TABLE y (id INTEGER);\nCOMMIT;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "sql/0002_half.up.sql:1: statement 1 cannot run inside a transaction"), r.err);
  BOOST_TEST(never_created(db));
}

BOOST_AUTO_TEST_CASE(the_offline_script_keeps_the_shape) {
  TempDir dir;
  TestDatabase online = sqlite_database(dir), offline = sqlite_database(dir, "offline.db");
  write_parent_and_child(dir);
  write_file(dir / "sql/0002_rebuild.up.sql", k_rebuild_parent);
  BOOST_TEST_REQUIRE(run(dir, online, {"upgrade"}).exit_code == 0);
  RunResult script = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", "up.sql"}, dir.path());
  BOOST_TEST_REQUIRE(script.exit_code == 0, script.err);
  const std::string text = read_file(dir / "up.sql");
  BOOST_TEST(contains(text, "PRAGMA foreign_keys = OFF;\nPRAGMA foreign_keys=OFF;\nBEGIN;\n"), text);
  BOOST_TEST(contains(text, "COMMIT;\nPRAGMA foreign_keys=ON;\n"), text);
  const int rc = std::system(("sqlite3 -bail " + offline.sqlite_file + " < " + (dir / "up.sql").string()).c_str());
  BOOST_TEST(rc == 0);
  BOOST_TEST(history_versions(offline) == history_versions(online), boost::test_tools::per_element());
  BOOST_TEST(offline.probe()->count("SELECT count(*) FROM child") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
