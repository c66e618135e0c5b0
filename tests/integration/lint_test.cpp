// SPDX-License-Identifier: MIT
// runner lint and upgrade --lint as a DBA runs them: exit codes, findings with their file:line,
// rule and fix, table sizes read from the database, lint-ignore comments with their reasons, and a
// refused upgrade leaving the database exactly as it was. The rules one by one are in
// tests/dialect/lint_rules_test.cpp.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;
using nlohmann::json;

namespace {

void write_users(const TempDir& dir) {
  write_file(dir / "sql/0001_users.up.sql",
             "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100), price numeric(10,2));\n");
  write_file(dir / "sql/0001_users.down.sql", "DROP TABLE users;\n");
}

// The findings of a --json run whose rule is `rule`.
std::vector<json> findings(const json& report, const std::string& rule) {
  std::vector<json> out;
  for (const auto& f : report.at("findings"))
    if (f.at("rule") == rule) out.push_back(f);
  return out;
}

json parse(const RunResult& r) {
  BOOST_TEST_REQUIRE(!r.out.empty(), r.err);
  return json::parse(r.out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lint)

BOOST_AUTO_TEST_CASE(findings_exit_codes_and_lint_ignore_without_a_database) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_cleanup.up.sql",
             "-- runner:lint-ignore ban-drop-column nothing has read it since 2.3\n"
             "ALTER TABLE users DROP COLUMN price;\n"
             "DELETE FROM users;\n");
  RunResult r = run_runner({"lint", "--dialect", "postgresql", "--json"}, dir.path());
  BOOST_TEST(r.exit_code == 1, r.err);
  const json report = parse(r);
  BOOST_TEST(report.at("database").is_null());
  BOOST_TEST(report.at("files").size() == 3u);  // every up and down file: no database to say what is pending
  BOOST_TEST(report.at("errors") == 1);
  BOOST_TEST(report.at("ignored") == 1);
  const auto deleted = findings(report, "ban-delete-without-where");
  BOOST_TEST_REQUIRE(deleted.size() == 1u);
  BOOST_TEST(deleted[0].at("file") == "sql/0002_cleanup.up.sql");
  BOOST_TEST(deleted[0].at("line") == 3);
  BOOST_TEST(deleted[0].at("level") == "error");
  BOOST_TEST(deleted[0].at("table") == "users");
  BOOST_TEST(!deleted[0].at("fix").get<std::string>().empty());
  const auto dropped = findings(report, "ban-drop-column");
  BOOST_TEST_REQUIRE(dropped.size() == 1u);
  BOOST_TEST(dropped[0].at("ignored") == true);
  BOOST_TEST(dropped[0].at("ignore_reason") == "nothing has read it since 2.3");
  // The down file's DROP TABLE is its job: a warning, which does not fail the run.
  const auto drop_table = findings(report, "ban-drop-table");
  BOOST_TEST_REQUIRE(drop_table.size() == 1u);
  BOOST_TEST(drop_table[0].at("level") == "warning");

  // Silenced too: exit 0, and the text shows each finding with its file:line, the reason and the count.
  write_file(dir / "sql/0002_cleanup.up.sql",
             "-- runner:lint-ignore ban-drop-column nothing has read it since 2.3\n"
             "ALTER TABLE users DROP COLUMN price;\n"
             "-- the demo rows go\n"
             "-- runner:lint-ignore ban-delete-without-where,ban-truncate the demo rows only\n"
             "DELETE FROM users;\n");
  r = run_runner({"lint", "--dialect", "postgresql", "sql/0002_cleanup.up.sql"}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "sql/0002_cleanup.up.sql:5: ignored error [ban-delete-without-where]"), r.out);
  BOOST_TEST(contains(r.out, "ignored: the demo rows only"), r.out);
  BOOST_TEST(contains(r.out, "1 file linted for postgresql: 0 errors"), r.out);
  // A bare name is found in the migration folder; a file that does not exist is exit 2, named.
  BOOST_TEST(run_runner({"lint", "--dialect", "postgresql", "0002_cleanup.up.sql"}, dir.path()).exit_code == 0);
  r = run_runner({"lint", "--dialect", "postgresql", "sql/0003_nothing.up.sql"}, dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "sql/0003_nothing.up.sql: no such file to lint"), r.err);
}

BOOST_AUTO_TEST_CASE(a_configured_database_of_another_dialect_is_left_aside) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "runner.ini", "database = sqlite:data/app.db\n");
  // The sample's runner.ini names SQLite; linting for PostgreSQL reads the files alone.
  const RunResult r = run_runner({"lint", "--dialect", "postgresql", "--json"}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(parse(r).at("database").is_null());
  BOOST_TEST(parse(r).at("files").size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_ignore_that_silences_nothing_and_one_without_a_reason) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_x.up.sql", "-- runner:lint-ignore ban-drop-tabel typo\nDROP TABLE users;\n");
  RunResult r = run_runner({"lint", "--dialect", "sqlite", "sql/0002_x.up.sql"}, dir.path());
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.out, "sql/0002_x.up.sql:1: warning [unused-ignore]"), r.out);
  BOOST_TEST(contains(r.out, "sql/0002_x.up.sql:2: error [ban-drop-table]"), r.out);

  // No reason: the directive is malformed, for lint and for a run alike.
  write_file(dir / "sql/0002_x.up.sql", "-- runner:lint-ignore ban-drop-table\nDROP TABLE users;\n");
  r = run_runner({"lint", "--dialect", "sqlite", "sql/0002_x.up.sql"}, dir.path());
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.out, "sql/0002_x.up.sql:1: error [invalid-file] malformed directive"), r.out);
  TestDatabase db = sqlite_database(dir);
  r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "sql/0002_x.up.sql:1: malformed directive"), r.err);
  BOOST_TEST(never_created(db));
}

BOOST_AUTO_TEST_CASE(an_ignore_silences_the_one_statement_below_it_and_nothing_the_run_refuses) {
  TempDir dir;
  write_file(dir / "sql/0001_x.up.sql",
             "-- runner:lint-ignore ban-drop-table, ban-truncate the old tables\n"
             "DROP TABLE users; DROP TABLE orders;\n"
             "SELECT '\n-- runner:lint-ignore ban-drop-table inside a string\n';\n"
             "DROP TABLE carts;\n"
             "-- runner:lint-ignore syntax-error it is fine\n"
             "CREATE TABLE t (id bigint,);\n");
  const json report = parse(run_runner({"lint", "--dialect", "postgresql", "--json", "--lock-wait", "1"}, dir.path()));
  const auto dropped = findings(report, "ban-drop-table");
  BOOST_TEST_REQUIRE(dropped.size() == 3u, report.dump());
  BOOST_TEST(dropped[0].at("ignored") == true);   // users: the statement below the comment
  BOOST_TEST(dropped[1].at("ignored") == false);  // orders: the next statement on the same line
  BOOST_TEST(dropped[2].at("ignored") == false);  // carts: the comment was inside a string
  const auto syntax = findings(report, "syntax-error");
  BOOST_TEST_REQUIRE(syntax.size() == 1u);
  BOOST_TEST(syntax[0].at("ignored") == false);
  BOOST_TEST(syntax[0].at("refused") == true);
  // One rule of a list that silenced nothing is named; so is a rule that cannot be silenced.
  const auto unused = findings(report, "unused-ignore");
  BOOST_TEST_REQUIRE(unused.size() == 2u, report.dump());
  BOOST_TEST(contains(unused[0].at("message").get<std::string>(), "lint-ignore ban-truncate silences nothing"));
  BOOST_TEST(contains(unused[1].at("message").get<std::string>(), "cannot silence syntax-error"));
  BOOST_TEST(report.at("errors") == 3);
  // Every key is in every finding, null when unknown.
  BOOST_TEST(dropped[1].at("rows").is_null());
  BOOST_TEST(dropped[1].at("ignore_reason").is_null());
}

BOOST_AUTO_TEST_CASE(what_the_run_refuses_cannot_be_silenced_and_sqlite_syntax_is_read_sqlite) {
  TempDir dir;
  write_file(dir / "sql/0001_x.up.sql",
             "-- runner:lint-ignore transaction-nesting we know\nCOMMIT;\n"
             "CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT);\n"
             "ALTER TABLE log DROP COLUMN msg;\n"
             "UPDATE OR IGNORE [Big] SET v = 'x';\n"
             "DROP TABLE `Big`;\n"
             "SELECT 1::int;\n");
  const json report = parse(run_runner({"lint", "--dialect", "sqlite", "--json"}, dir.path()));
  const auto nesting = findings(report, "transaction-nesting");
  BOOST_TEST_REQUIRE(nesting.size() == 1u, report.dump());
  BOOST_TEST(nesting[0].at("ignored") == false);
  BOOST_TEST(nesting[0].at("refused") == true);
  BOOST_TEST(findings(report, "ban-drop-column").empty());                // log is the file's own (AUTOINCREMENT)
  BOOST_TEST(findings(report, "ban-update-without-where").size() == 1u);  // UPDATE OR IGNORE [Big]
  const auto dropped = findings(report, "ban-drop-table");
  BOOST_TEST_REQUIRE(dropped.size() == 1u);
  BOOST_TEST(dropped[0].at("table") == "Big");
  const auto syntax = findings(report, "syntax-error");  // PostgreSQL's cast, which SQLite has not
  BOOST_TEST_REQUIRE(syntax.size() == 1u, report.dump());
  BOOST_TEST(syntax[0].at("line") == 7);
}

BOOST_AUTO_TEST_CASE(squawks_ignore_comments_are_honoured) {
  TempDir dir;
  write_file(dir / "sql/0001_x.up.sql",
             "-- squawk-ignore ban-drop-table,require-lock-timeout\nDROP TABLE users;\nDROP TABLE orders;\n");
  const json report = parse(run_runner({"lint", "--dialect", "postgresql", "--json"}, dir.path()));
  const auto dropped = findings(report, "ban-drop-table");
  BOOST_TEST_REQUIRE(dropped.size() == 2u);
  BOOST_TEST(dropped[0].at("ignored") == true);
  BOOST_TEST(dropped[0].at("ignore_reason") == "squawk-ignore");
  BOOST_TEST(dropped[1].at("ignored") == false);  // one statement only
  BOOST_TEST(report.at("errors") == 1);
}

BOOST_AUTO_TEST_CASE(what_the_run_itself_refuses_is_a_finding) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);\nCOMMIT;\nCREATE TABLE b (id integer);\n");
  write_file(dir / "sql/0002_v.up.sql", "CREATE TABLE c (id integer);\nVACUUM;\n");
  RunResult r = run_runner({"lint", "--dialect", "sqlite", "--json"}, dir.path());
  BOOST_TEST(r.exit_code == 1);
  const json report = parse(r);
  const auto nesting = findings(report, "transaction-nesting");
  BOOST_TEST_REQUIRE(nesting.size() == 1u, r.out);
  BOOST_TEST(nesting[0].at("line") == 2);
  // A no-transaction file's own BEGIN ... COMMIT is a transaction all the same: refused before it runs.
  write_file(dir / "sql/0004_own.up.sql",
             "-- runner:no-transaction\nBEGIN;\nCREATE TABLE e (id integer);\nVACUUM;\nCOMMIT;\n");
  const json own = parse(run_runner({"lint", "--dialect", "sqlite", "--json", "sql/0004_own.up.sql"}, dir.path()));
  const auto inside = findings(own, "statement-outside-transaction");
  BOOST_TEST_REQUIRE(inside.size() == 1u, own.dump());
  BOOST_TEST(inside[0].at("line") == 4);
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "only/0001_own.up.sql",
             "-- runner:no-transaction\nBEGIN;\nCREATE TABLE e (id integer);\nVACUUM;\nCOMMIT;\n");
  const RunResult refused = run(dir, db, {"upgrade"}, "only");
  BOOST_TEST(refused.exit_code == 2, refused.err);
  BOOST_TEST(
      contains(refused.err,
               "0001_own.up.sql:4: statement 3 cannot run inside the transaction the file's BEGIN (line 2) opened"),
      refused.err);
  BOOST_TEST(never_created(db));
  // Two transactions in one file: the COMMIT ending the first, before the file's end, is what breaks it.
  write_file(dir / "sql/0003_two.up.sql", "BEGIN;\nCREATE TABLE d (id integer);\nCOMMIT;\nBEGIN;\nCOMMIT;\n");
  const json two = parse(run_runner({"lint", "--dialect", "sqlite", "--json", "sql/0003_two.up.sql"}, dir.path()));
  const auto ends = findings(two, "transaction-nesting");
  BOOST_TEST_REQUIRE(ends.size() == 1u, two.dump());
  BOOST_TEST(ends[0].at("line") == 3);
  BOOST_TEST(contains(ends[0].at("message").get<std::string>(), "ends the transaction the file's BEGIN (line 1)"));
  const auto outside = findings(report, "statement-outside-transaction");
  BOOST_TEST_REQUIRE(outside.size() == 1u, r.out);
  BOOST_TEST(outside[0].at("file") == "sql/0002_v.up.sql");
  BOOST_TEST(outside[0].at("line") == 2);
}

BOOST_AUTO_TEST_CASE(the_pending_migrations_with_each_tables_rows_sqlite) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_rules.up.sql",
             "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
             "CREATE TABLE t (n integer);\n"
             "ALTER TABLE t ADD CONSTRAINT positive CHECK (n > 0);\n");
  TestDatabase db = sqlite_database(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  db.probe()->execute("INSERT INTO users (id, email) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  RunResult r = run(dir, db, {"lint", "--json"});
  BOOST_TEST(r.exit_code == 0, r.out << r.err);  // a rebuild is a warning
  json report = parse(r);
  BOOST_TEST(report.at("files") == json::array({"sql/0002_rules.up.sql"}));  // the pending one only
  auto rebuilds = findings(report, "sqlite-table-rebuild");
  BOOST_TEST_REQUIRE(rebuilds.size() == 1u, r.out);  // t is new in the file: no rebuild worth a word
  BOOST_TEST(rebuilds[0].at("table") == "users");
  BOOST_TEST(rebuilds[0].at("rows") == 3);
  BOOST_TEST(rebuilds[0].at("rows_source") == "count");
  // After ANALYZE, SQLite's own statistics say it.
  db.probe()->execute("ANALYZE");
  report = parse(run(dir, db, {"lint", "--json"}));
  rebuilds = findings(report, "sqlite-table-rebuild");
  BOOST_TEST_REQUIRE(rebuilds.size() == 1u);
  BOOST_TEST(rebuilds[0].at("rows_source") == "sqlite_stat1");
  BOOST_TEST(rebuilds[0].at("rows") == 3);
  r = run(dir, db, {"lint"});
  BOOST_TEST(contains(r.out, "(users: ~3 rows"), r.out);
}

BOOST_AUTO_TEST_CASE(the_pending_migrations_judged_against_the_database_pg) {
  TempDir dir;
  write_users(dir);
  TestDatabase db = pg_database("lint");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  auto probe = db.probe();
  probe->execute("INSERT INTO " + db.schema + ".users SELECT g, 'u' || g, g FROM generate_series(1, 2000) g");
  probe->execute("ANALYZE " + db.schema + ".users");
  probe->execute("CREATE FUNCTION " + db.schema +
                 ".stable_now() RETURNS timestamptz STABLE LANGUAGE sql AS 'SELECT now()'");
  probe->execute("CREATE FUNCTION " + db.schema +
                 ".next_code() RETURNS bigint VOLATILE LANGUAGE sql AS 'SELECT (random() * 1000)::bigint'");
  write_file(dir / "sql/0002_changes.up.sql",
             "SET lock_timeout = '2s';\n"
             "CREATE INDEX users_email ON users (email);\n"
             "ALTER TABLE users ALTER COLUMN email TYPE text;\n"
             "ALTER TABLE users ALTER COLUMN price TYPE integer;\n"
             "ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT stable_now();\n"
             "ALTER TABLE users ADD COLUMN code bigint DEFAULT next_code();\n"
             "CREATE TABLE audit (id bigint, at timestamptz);\n"
             "CREATE INDEX audit_at ON audit (at);\n");
  RunResult r = run(dir, db, {"lint", "--json"});
  BOOST_TEST(r.exit_code == 1, r.out << r.err);
  const json report = parse(r);
  BOOST_TEST(report.at("database") == db.url);
  const auto index = findings(report, "require-concurrent-index-creation");
  BOOST_TEST_REQUIRE(index.size() == 1u, r.out);  // audit is new in the file: its index is no finding
  BOOST_TEST(index[0].at("line") == 2);
  BOOST_TEST(index[0].at("rows") == 2000);
  BOOST_TEST(index[0].at("rows_source") == "estimate");
  BOOST_TEST(index[0].at("bytes").get<long long>() > 8192);
  // varchar(100) to text is binary-coercible: no rewrite; numeric(10,2) to integer rewrites and rounds.
  const auto type = findings(report, "changing-column-type");
  BOOST_TEST_REQUIRE(type.size() == 1u, r.out);
  BOOST_TEST(type[0].at("line") == 4);
  const auto loses = findings(report, "changing-column-type-loses-data");
  BOOST_TEST_REQUIRE(loses.size() == 1u, r.out);
  BOOST_TEST(contains(loses[0].at("message").get<std::string>(), "rounds every fraction"));
  // The database says which function is volatile.
  const auto defaults = findings(report, "adding-field-with-default");
  BOOST_TEST_REQUIRE(defaults.size() == 1u, r.out);
  BOOST_TEST(defaults[0].at("line") == 6);
  BOOST_TEST(findings(report, "require-lock-timeout").empty());
  r = run(dir, db, {"lint"});
  BOOST_TEST(contains(r.out, "sql/0002_changes.up.sql:2: error [require-concurrent-index-creation]"), r.out);
  BOOST_TEST(contains(r.out, "(users: ~2,000 rows, "), r.out);
}

BOOST_AUTO_TEST_CASE(a_not_null_proved_by_a_check_the_database_validated_pg) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_check.up.sql",
             "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n");
  write_file(dir / "sql/0003_validate.up.sql", "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n");
  write_file(dir / "sql/0004_not_null.up.sql", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
  TestDatabase db = pg_database("lint");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "2"}).exit_code == 0);
  // Not validated yet: SET NOT NULL scans.
  json report = parse(run(dir, db, {"lint", "--json", "sql/0004_not_null.up.sql"}));
  BOOST_TEST(findings(report, "adding-not-nullable-field").size() == 1u);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "3"}).exit_code == 0);
  report = parse(run(dir, db, {"lint", "--json"}));
  BOOST_TEST(report.at("files") == json::array({"sql/0004_not_null.up.sql"}));
  BOOST_TEST(findings(report, "adding-not-nullable-field").empty(), report.dump());
}

BOOST_AUTO_TEST_CASE(upgrade_lint_refuses_and_leaves_the_database_as_it_was_sqlite) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_purge.up.sql", "CREATE TABLE log (id integer);\nDELETE FROM users;\n");
  TestDatabase db = sqlite_database(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  db.probe()->execute("INSERT INTO users (id, email) VALUES (1, 'a')");
  RunResult r = run(dir, db, {"upgrade", "--lint"});
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(contains(r.err, "lint refuses to run on"), r.err);
  BOOST_TEST(contains(r.err, "sql/0002_purge.up.sql:2: error [ban-delete-without-where]"), r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM users") == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM sqlite_master WHERE name = 'log'") == 0);
  // The same from the config file, and a dry run says so too.
  write_file(dir / "runner.ini", "database = sqlite:" + db.sqlite_file + "\nlint = true\n");
  r = run_runner({"upgrade"}, dir.path());
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(run_runner({"upgrade", "--dry-run"}, dir.path()).exit_code == 3);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  // --lint belongs to upgrade.
  r = run(dir, db, {"downgrade", "base", "--lint"});
  BOOST_TEST(r.exit_code == 2);
  // Once the DBA has said why it is safe, the run goes on.
  write_file(dir / "sql/0002_purge.up.sql",
             "CREATE TABLE log (id integer);\n-- runner:lint-ignore ban-delete-without-where test data only\n"
             "DELETE FROM users;\n");
  r = run_runner({"upgrade"}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_table_an_earlier_migration_of_the_run_creates_is_new_to_the_later_ones_pg) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_index.up.sql", "SET lock_timeout = '1s';\nCREATE INDEX users_email ON users (email);\n");
  TestDatabase db = pg_database("lint");
  // A fresh database: users does not exist before the run, so nobody waits on its index.
  RunResult r = run(dir, db, {"upgrade", "--lint"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  // Named on its own, the file is judged against the table as it stands.
  const json report = parse(run(dir, db, {"lint", "--json", "sql/0002_index.up.sql"}));
  BOOST_TEST(findings(report, "require-concurrent-index-creation").size() == 1u);
}

BOOST_AUTO_TEST_CASE(sizes_of_names_sqlite_folds_sqlite) {
  TempDir dir;
  write_file(dir / "sql/0001_big.up.sql", "CREATE TABLE Big (id integer);\n");
  write_file(dir / "sql/0002_purge.up.sql", "DELETE FROM main.big;\nDELETE FROM \"BIG\";\n");
  TestDatabase db = sqlite_database(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  db.probe()->execute("INSERT INTO Big VALUES (1), (2)");
  const json report = parse(run(dir, db, {"lint", "--json"}));
  const auto deletes = findings(report, "ban-delete-without-where");
  BOOST_TEST_REQUIRE(deletes.size() == 2u, report.dump());
  for (const auto& d : deletes) BOOST_TEST(d.at("rows") == 2, d.dump());
}

BOOST_AUTO_TEST_CASE(upgrade_all_projects_lint_refuses_each_project_on_its_own_sqlite) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_purge.up.sql", "DELETE FROM users;\n");
  TestDatabase one = sqlite_database(dir, "data/project_1.db"), two = sqlite_database(dir, "data/project_2.db");
  BOOST_TEST_REQUIRE(run(dir, one, {"upgrade", "1"}).exit_code == 0);
  BOOST_TEST_REQUIRE(run(dir, two, {"upgrade", "1"}).exit_code == 0);
  const RunResult r = run_runner({"upgrade", "--all-projects", "--lint"}, dir.path());
  BOOST_TEST(r.exit_code == 3, r.out << r.err);
  BOOST_TEST(contains(r.out, "2 refused"), r.out);
  BOOST_TEST(contains(r.err, "project 1: lint refuses to run on"), r.err);
  BOOST_TEST(contains(r.err, "sql/0002_purge.up.sql:1: error [ban-delete-without-where]"), r.err);
  BOOST_TEST(history_versions(one) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(history_versions(two) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(upgrade_lint_refuses_and_leaves_the_database_as_it_was_pg) {
  TempDir dir;
  write_users(dir);
  write_file(dir / "sql/0002_index.up.sql",
             "CREATE TABLE log (id bigint);\nCREATE INDEX users_email ON users (email);\n");
  TestDatabase db = pg_database("lint");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  RunResult r = run(dir, db, {"upgrade", "--lint", "--lock-wait", "2"});
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(contains(r.err, "sql/0002_index.up.sql:2: error [require-concurrent-index-creation]"), r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"users"}), boost::test_tools::per_element());
  // Warnings are printed and the run goes on.
  write_file(dir / "sql/0002_index.up.sql", "CREATE TABLE log (id bigint);\nALTER TABLE users RENAME TO people;\n");
  r = run(dir, db, {"upgrade", "--lint"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "warning [renaming-table]"), r.err);
  BOOST_TEST(contains(r.err, "warning [require-lock-timeout]"), r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
