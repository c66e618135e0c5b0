// SPDX-License-Identifier: MIT
// Failures: a failing statement, changed files, invalid files, transaction rules. Each leaves the
// database exactly at its last good version and says where to look.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

void write_three_with_failing_third(const TempDir& dir) {
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);\nINSERT INTO b VALUES (1);");
  write_file(
      dir / "sql/0003_bad.up.sql",
      "-- creates c, then fails\nCREATE TABLE c (x int);\n\n-- the mistake:\nINSERT INTO missing_table VALUES (1);\n");
}

void failing_statement(const TestDatabase& db, bool pg) {
  TempDir dir;
  write_three_with_failing_third(dir);
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.out, "applied  0001_a"));
  BOOST_TEST(contains(r.out, "applied  0002_b"));
  BOOST_TEST(
      contains(r.err, "sql/0003_bad.up.sql:5: statement 2 of 2 (line 5) failed: INSERT INTO missing_table VALUES (1)"),
      r.err);
  BOOST_TEST(contains(r.err, pg ? "relation \"missing_table\" does not exist (SQLSTATE 42P01)"
                                : "no such table: missing_table"),
             r.err);
  BOOST_TEST(contains(r.err, "migration 0003_bad was rolled back; the database is at 0002_b"), r.err);
  BOOST_TEST(contains(r.err, "applied by this run before the failure: 0001_a, 0002_b"), r.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM b") == 1);
}

void json_errors(const TestDatabase& db) {
  TempDir dir;
  write_three_with_failing_third(dir);
  write_file(dir / "sql/0002_b.down.sql", "DROP TABLE b;");
  RunResult r = run(dir, db, {"upgrade", "--json"});
  BOOST_TEST(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(j["error"]["exit_code"].get<int>() == 1);
  BOOST_TEST(j["error"]["category"].get<std::string>() == "failed");
  BOOST_TEST(j["error"]["file"].get<std::string>() == "sql/0003_bad.up.sql");
  BOOST_TEST(j["error"]["line"].get<int>() == 5);
  BOOST_TEST(contains(j["error"]["message"].get<std::string>(), "migration 0003_bad was rolled back"));
  BOOST_TEST_REQUIRE(j["applied"].size() == 2u);
  BOOST_TEST(j["applied"][0]["version"].get<int>() == 1);
  BOOST_TEST(j["applied"][1]["name"].get<std::string>() == "b");
  BOOST_TEST(j["applied"][1]["direction"].get<std::string>() == "up");
  BOOST_TEST(contains(r.err, "sql/0003_bad.up.sql:5"));  // people still read stderr
  // What the database said, as fields: SQLSTATE where it has them, else its code.
  const bool pg = db.sqlite_file.empty();
  BOOST_TEST_REQUIRE(j["error"].contains("database"), r.out);
  if (pg) {
    BOOST_TEST(j["error"]["database"]["sqlstate"].get<std::string>() == "42P01");
  } else {
    BOOST_TEST(j["error"]["database"]["sqlstate"].is_null());
    BOOST_TEST(contains(j["error"]["database"]["code"].get<std::string>(), "code 1"));
  }

  // Refused for safety (3), invalid files (2) and bad usage (2) are JSON too.
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int, y int);");
  auto refused = nlohmann::json::parse(run(dir, db, {"downgrade", "-1", "--json"}).out);
  BOOST_TEST(refused["error"]["category"].get<std::string>() == "refused");
  BOOST_TEST(refused["error"]["exit_code"].get<int>() == 3);
  BOOST_TEST(!refused["error"].contains("database"));  // no database refused anything
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0003_bad.up.sql", "SELECT 1;\nSELECT 'open;\n");
  RunResult invalid = run(dir, db, {"validate", "--json"});
  BOOST_TEST(invalid.exit_code == 2);
  auto inv = nlohmann::json::parse(invalid.out);
  BOOST_TEST(inv["error"]["category"].get<std::string>() == "invalid");
  BOOST_TEST(inv["error"]["file"].get<std::string>() == "sql/0003_bad.up.sql");
  BOOST_TEST(inv["error"]["line"].get<int>() == 2);
  RunResult usage = run(dir, db, {"upgrade", "--json", "--no-such-option"});
  BOOST_TEST(usage.exit_code == 2);
  auto use = nlohmann::json::parse(usage.out);
  BOOST_TEST(use["error"]["file"].is_null());
  BOOST_TEST(contains(use["error"]["message"].get<std::string>(), "no-such-option"));
}

void changed_and_missing_files(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\n");
  write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;\n");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);\n");
  write_file(dir / "sql/0002_b.down.sql", "DROP TABLE b;\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);

  // A CRLF checkout of the same file is not a change.
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\r\n");
  RunResult same = run(dir, db, {"upgrade"});
  BOOST_TEST(same.exit_code == 0, same.err);

  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int, y int);\n");
  write_file(dir / "sql/0003_c.up.sql", "CREATE TABLE c (x int);\n");
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 3);
  BOOST_TEST(contains(up.err, "0001_a: file changed since it was applied"), up.err);
  BOOST_TEST(history_versions(db).size() == 2u);  // 0003 was not applied
  RunResult down = run(dir, db, {"downgrade", "-1"});
  BOOST_TEST(down.exit_code == 3);
  BOOST_TEST(history_versions(db).size() == 2u);

  RunResult status = run(dir, db, {"history", "--json"});
  auto j = nlohmann::json::parse(status.out);
  BOOST_TEST(j["migrations"][0]["checksum"].get<std::string>() == "changed");
  BOOST_TEST(j["migrations"][2]["applied"].get<bool>() == false);
  BOOST_TEST(run(dir, db, {"validate"}).exit_code == 3);

  RunResult allowed = run(dir, db, {"upgrade", "--allow-changed"});
  BOOST_TEST(allowed.exit_code == 0, allowed.err);
  BOOST_TEST(contains(allowed.err, "0001_a"));
  BOOST_TEST(history_versions(db).size() == 3u);

  fs::remove(dir / "sql/0002_b.up.sql");
  fs::remove(dir / "sql/0002_b.down.sql");
  RunResult missing = run(dir, db, {"upgrade"});
  BOOST_TEST(missing.exit_code == 3);
  BOOST_TEST(contains(missing.err, "0002_b: applied, but its file is missing"), missing.err);
}

void not_in_a_transaction(const TestDatabase& db, bool pg) {
  TempDir dir;
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (x int);\n");
  const std::string body = pg ? "CREATE INDEX CONCURRENTLY t_x_idx ON t (x);\n" : "VACUUM;\n";
  write_file(dir / "sql/0002_maintenance.up.sql", "-- maintenance\n\n" + body);
  RunResult refused = run(dir, db, {"upgrade"});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(contains(refused.err, "sql/0002_maintenance.up.sql:3: statement 1 cannot run inside a transaction"),
             refused.err);
  BOOST_TEST(contains(refused.err, "-- runner:no-transaction"), refused.err);
  BOOST_TEST(db.probe()->tables().empty());  // not even 0001 ran

  write_file(dir / "sql/0002_maintenance.up.sql", "-- runner:no-transaction\n-- maintenance\n" + body);
  RunResult ok = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(ok.exit_code == 0, ok.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  if (pg)
    BOOST_TEST(db.probe()->count("SELECT count(*) FROM pg_indexes WHERE indexname = 't_x_idx' AND schemaname = '" +
                                 db.schema + "'") == 1);
}

void invalid_files_touch_nothing(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);");
  write_file(dir / "sql/0002_c.up.sql", "CREATE TABLE c (x int);");
  write_file(dir / "sql/0003_x_up.sql", "CREATE TABLE d (x int);");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "sql/0002_c.up.sql: version 2 is also used by sql/0002_b.up.sql"), r.err);
  BOOST_TEST(contains(r.err, "sql/0003_x_up.sql: does not end in .up.sql"), r.err);
  BOOST_TEST(never_created(db));

  // A lexer error in a pending file: nothing applied, file and line named.
  fs::remove(dir / "sql/0002_c.up.sql");
  fs::remove(dir / "sql/0003_x_up.sql");
  write_file(dir / "sql/0003_open.up.sql", "SELECT 1;\nSELECT 'never closed;\n");
  RunResult lex = run(dir, db, {"upgrade"});
  BOOST_TEST(lex.exit_code == 2);
  BOOST_TEST(contains(lex.err, "sql/0003_open.up.sql:2"), lex.err);
  BOOST_TEST(never_created(db));

  // A migration whose file cannot be read is never skipped: a dangling link, an upper-case extension.
  fs::remove(dir / "sql/0003_open.up.sql");
  fs::create_symlink("gone.sql", dir / "sql/0003_c.up.sql");
  write_file(dir / "sql/0004_d.up.SQL", "CREATE TABLE d (x int);");
  for (const char* command : {"validate", "upgrade"}) {
    RunResult skipped = run(dir, db, {command});
    BOOST_TEST(skipped.exit_code == 2, command);
    BOOST_TEST(contains(skipped.err, "sql/0003_c.up.sql: cannot be read: a symbolic link to 'gone.sql'"), skipped.err);
    BOOST_TEST(contains(skipped.err, "sql/0004_d.up.SQL: the extension must be '.sql' in lower case"), skipped.err);
  }
  BOOST_TEST(never_created(db));
}

void partial_no_transaction_failure(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_nt.up.sql",
             "-- runner:no-transaction\nCREATE TABLE kept (x int);\nINSERT INTO nowhere VALUES (1);\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err,
                      "statement 1 was applied and stays applied; it is recorded as partial (1 of 2 "
                      "statements applied)"),
             r.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"kept"}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->history().empty());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(failure)

BOOST_AUTO_TEST_CASE(failing_statement_rolls_back_and_names_file_and_line_sqlite) {
  TempDir dir;
  failing_statement(sqlite_database(dir), false);
}
BOOST_AUTO_TEST_CASE(failing_statement_rolls_back_and_names_file_and_line_pg) {
  failing_statement(pg_database(), true);
}

BOOST_AUTO_TEST_CASE(json_errors_are_one_json_document_on_stdout_sqlite) {
  TempDir dir;
  json_errors(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(json_errors_are_one_json_document_on_stdout_pg) { json_errors(pg_database()); }

BOOST_AUTO_TEST_CASE(error_line_points_inside_a_multi_line_statement_pg) {
  TempDir dir;
  TestDatabase db = pg_database();
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (\n  id int,\n  bad notatype\n);\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "sql/0001_t.up.sql:3: statement 1 of 1 (line 1) failed: CREATE TABLE t ("), r.err);
  BOOST_TEST(contains(r.err, "SQLSTATE 42704"), r.err);
}

BOOST_AUTO_TEST_CASE(changed_or_missing_applied_files_are_refused_sqlite) {
  TempDir dir;
  changed_and_missing_files(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(changed_or_missing_applied_files_are_refused_pg) { changed_and_missing_files(pg_database()); }

BOOST_AUTO_TEST_CASE(statements_refused_in_a_transaction_need_the_directive_sqlite) {
  TempDir dir;
  not_in_a_transaction(sqlite_database(dir), false);
}
BOOST_AUTO_TEST_CASE(statements_refused_in_a_transaction_need_the_directive_pg) {
  not_in_a_transaction(pg_database(), true);
}

BOOST_AUTO_TEST_CASE(invalid_files_leave_the_database_untouched_sqlite) {
  TempDir dir;
  invalid_files_touch_nothing(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(invalid_files_leave_the_database_untouched_pg) { invalid_files_touch_nothing(pg_database()); }

BOOST_AUTO_TEST_CASE(no_transaction_failure_says_what_stays_sqlite) {
  TempDir dir;
  partial_no_transaction_failure(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(no_transaction_failure_says_what_stays_pg) { partial_no_transaction_failure(pg_database()); }

BOOST_AUTO_TEST_CASE(copy_through_the_client_is_refused_before_anything_runs_pg) {
  TempDir dir;
  TestDatabase db = pg_database();
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (x int);\nINSERT INTO t VALUES (1), (2);\nCOPY t TO STDOUT;\n");
  RunResult r = run(dir, db, {"upgrade", "--lock-timeout", "5"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "sql/0001_t.up.sql:3: COPY ... FROM STDIN / TO STDOUT"), r.err);
  BOOST_TEST(never_created(db));
}

BOOST_AUTO_TEST_CASE(a_no_transaction_file_failing_inside_its_own_transaction_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_own.up.sql",
             "-- runner:no-transaction\nCREATE TABLE before_tx (x int);\nBEGIN;\nCREATE TABLE inside_tx (x int);\n"
             "INSERT INTO nowhere VALUES (1);\nCOMMIT;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "the transaction the file had begun was rolled back"), r.err);
  // What it committed before its own transaction stays, and is what the progress records.
  BOOST_TEST(contains(r.err, "statement 1 was applied and stays applied; it is recorded as partial (1 of 5"), r.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"before_tx"}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->history().empty());

  write_file(dir / "sql/0001_own.up.sql", "-- runner:no-transaction\nBEGIN;\nCREATE TABLE never_committed (x int);\n");
  fs::remove(db.sqlite_file);
  RunResult open = run(dir, db, {"upgrade"});
  BOOST_TEST(open.exit_code == 1);
  BOOST_TEST(contains(open.err, "begins a transaction it never ends"), open.err);
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_CASE(history_stays_put_when_a_migration_changes_search_path_pg) {
  TempDir dir;
  TestDatabase db = pg_own_database("searchpath");  // no ?schema=: the connection's default schema
  // As pg_dump writes it at the top of a dump.
  write_file(dir / "sql/0001_dump.up.sql",
             "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.restored (x int);\n");
  write_file(dir / "sql/0002_more.up.sql", "CREATE TABLE public.more (x int);\n");  // search_path is still empty
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(db.probe()->history().size() == 2u);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"more", "restored"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
