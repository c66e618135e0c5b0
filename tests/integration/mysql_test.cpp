// SPDX-License-Identifier: MIT
// The mysql dialect on the MariaDB server scripts/test.sh starts: DDL commits implicitly, so a
// migration holding any runs statement by statement with its progress recorded and resumes after
// a failure; one holding only data statements runs in one transaction with its history row;
// stored programs written without DELIMITER (authelia's) split as the server reads them.
#include "runner/base/subprocess.hpp"
#include "tests/integration/integration_fixture.hpp"
#include "tests/support/catalog_text.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <algorithm>
#include <chrono>
#include <thread>

using namespace runner::test;

namespace {

std::vector<std::string> catalog(const TestDatabase& db) {
  auto probe = db.probe();
  return mysql_catalog(*probe, db.schema);
}

// The mariadb client running `file` in `db` (its `source` command: DELIMITER and all).
void client_source(const TempDir& dir, const TestDatabase& db, const fs::path& file) {
  const std::string& url = db.mysql_base;  // mysql://USER:PASSWORD@HOST:PORT/...
  const std::size_t start = url.find("://") + 3, at = url.find('@', start), slash = url.find('/', at);
  const std::string userinfo = url.substr(start, at - start), hostport = url.substr(at + 1, slash - at - 1);
  const std::vector<std::string> argv{"mariadb",
                                      "--no-defaults",
                                      "-h",
                                      hostport.substr(0, hostport.rfind(':')),
                                      "-P",
                                      hostport.substr(hostport.rfind(':') + 1),
                                      "-u",
                                      userinfo.substr(0, userinfo.find(':')),
                                      "-p" + userinfo.substr(userinfo.find(':') + 1),
                                      db.schema,
                                      "-e",
                                      "source " + file.string()};
  const runner::ProcessResult r = runner::run_process(argv, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, runner::command_line(argv) + ": " + r.err + r.out);
}

// The file through the mariadb client as authelia's tool sends it: the whole file as one
// multi-statement query (the client's DELIMITER makes it one; the server runs each statement in it).
void raw_run(const TempDir& dir, const TestDatabase& db, const std::string& sql) {
  const fs::path file = dir / "raw_step.sql";
  write_file(file, "DELIMITER $$$$\n" + sql + "\n$$$$\n");
  client_source(dir, db, file);
}

std::vector<fs::path> ups_of(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.size() > 7 && n.compare(n.size() - 7, 7, ".up.sql") == 0) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// 0002 fails at its third statement (line 3), after two DDL statements that committed.
void write_failing_set(const TempDir& dir) {
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id INT PRIMARY KEY);");
  write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;");
  write_file(dir / "sql/0002_ddl.up.sql",
             "CREATE TABLE b (id INT);\nCREATE TABLE c (id INT);\nINSERT INTO missing VALUES (1);\n"
             "CREATE TABLE e (id INT);\n");
  write_file(dir / "sql/0002_ddl.down.sql", "DROP TABLE e;\nDROP TABLE c;\nDROP TABLE b;");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mysql)

BOOST_AUTO_TEST_CASE(a_ddl_migration_stopped_part_way_resumes_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("partial");
  write_failing_set(dir);

  RunResult dry = run(dir, db, {"upgrade", "--dry-run"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out,
                      "(4 statements, statement by statement, each recorded as it commits (line 1 commits "
                      "implicitly: CREATE TABLE b))"),
             dry.out);

  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(up.exit_code == 1, up.err);
  BOOST_TEST(contains(up.err, "sql/0002_ddl.up.sql:3: statement 3 of 4 (line 3) failed: INSERT INTO missing"), up.err);
  BOOST_TEST(contains(up.err, "statements 1-2 were applied and stay applied; it is recorded as partial (2 of 4"),
             up.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());

  RunResult current = run(dir, db, {"current", "--json"});
  BOOST_TEST(current.exit_code == 0, current.err);
  const auto j = nlohmann::json::parse(current.out);
  BOOST_TEST_REQUIRE(j["partial"].size() == 1u, current.out);
  BOOST_TEST(j["partial"][0]["version"].get<int>() == 2);
  BOOST_TEST(j["partial"][0]["applied"].get<int>() == 2);
  BOOST_TEST(j["partial"][0]["statements"].get<int>() == 4);
  BOOST_TEST(j["partial"][0]["line"].get<int>() == 3);

  // Refused until it is resumed; the fix makes statement 3 work.
  RunResult again = run(dir, db, {"upgrade"});
  BOOST_TEST(again.exit_code != 0);
  write_file(dir / "sql/0002_ddl.up.sql",
             "CREATE TABLE b (id INT);\nCREATE TABLE c (id INT);\nINSERT INTO c VALUES (1);\n"
             "CREATE TABLE e (id INT);\n");
  RunResult resume = run(dir, db, {"resume"});
  BOOST_TEST_REQUIRE(resume.exit_code == 0, resume.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c", "e"}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM c") == 1);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM runner_progress") == 0);

  RunResult down = run(dir, db, {"downgrade", "base"});
  BOOST_TEST(down.exit_code == 0, down.err);
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_CASE(a_data_migration_is_one_transaction_with_its_history_row_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("dml");
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB;");
  write_file(dir / "sql/0001_t.down.sql", "DROP TABLE t;");
  write_file(dir / "sql/0002_rows.up.sql", "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\n");
  write_file(dir / "sql/0002_rows.down.sql", "DELETE FROM t;");
  RunResult dry = run(dir, db, {"upgrade", "--dry-run"});
  BOOST_TEST(contains(dry.out, "sql/0002_rows.up.sql  (2 statements, in a transaction)"), dry.out);
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(up.exit_code == 1, up.err);
  BOOST_TEST(contains(up.err, "Duplicate entry '1'"), up.err);
  // The first INSERT went with the failed one: nothing of 0002 is left.
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM t") == 0);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM runner_progress") == 0);
}

BOOST_AUTO_TEST_CASE(ddl_inside_the_files_own_transaction_is_refused_before_anything_runs_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("ownbegin");
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (id INT);");
  write_file(dir / "sql/0002_mixed.up.sql",
             "START TRANSACTION;\nINSERT INTO t VALUES (1);\nALTER TABLE t ADD COLUMN n INT;\nCOMMIT;\n");
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 2, up.err);
  BOOST_TEST(contains(up.err, "sql/0002_mixed.up.sql:3: statement 3 commits the transaction the file's BEGIN (line 1)"),
             up.err);
  BOOST_TEST(db.probe()->tables().empty());
}

// The sample set, written in PostgreSQL's DDL, translated: up, down to base and up again, with the
// enum types in runner_enums, TIMESTAMPTZ as DATETIME(6) and PostgreSQL's constraint names.
BOOST_AUTO_TEST_CASE(the_sample_set_applies_and_rolls_back_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("sample");
  const std::string sql = sample_sql_dir().string();
  RunResult up = run(dir, db, {"upgrade", "-q"}, sql);
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(history_versions(db).size() == 12u);
  auto probe = db.probe();
  const auto column = [&](const std::string& table, const std::string& name) {
    return probe
        ->rows(
            "SELECT COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '') FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = " +
            sql_literal(db.schema) + " AND TABLE_NAME = " + sql_literal(table) +
            " AND COLUMN_NAME = " + sql_literal(name))
        .at(0);
  };
  BOOST_TEST(column("runs", "status") ==
                 (std::vector<std::string>{"enum('queued','running','succeeded','failed','timed_out','cancelled')",
                                           "NO", "'queued'"}),
             boost::test_tools::per_element());
  BOOST_TEST(column("projects", "created_at")[0] == "datetime(6)");
  BOOST_TEST(column("artifacts", "sha256") == (std::vector<std::string>{"text", "NO", "''"}),
             boost::test_tools::per_element());
  BOOST_TEST(probe->count("SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
                          sql_literal(db.schema) +
                          " AND CONSTRAINT_NAME IN ('tasks_project_id_fkey', 'projects_name_key', 'runs_check', "
                          "'task_versions_number_check', 'task_versions_task_id_number_key')") == 5);
  // The rows a DBA would write go in, and the enum refuses a label it does not have.
  probe->execute("INSERT INTO projects (id, name) VALUES (1, 'p')");
  probe->execute("INSERT INTO tasks (id, project_id, title) VALUES (1, 1, 't')");
  probe->execute("INSERT INTO runs (id, task_id, status) VALUES (1, 1, 'timed_out')");
  BOOST_CHECK_THROW(probe->execute("INSERT INTO runs (id, task_id, status) VALUES (2, 1, 'lost')"), std::exception);
  // Down refuses while a row holds the label the down of 0011 drops, naming table, column and count.
  RunResult refused = run(dir, db, {"downgrade", "10"}, sql);
  BOOST_TEST(refused.exit_code != 0);
  BOOST_TEST(contains(refused.err, "table runs, column status: 1 row hold 'timed_out'"), refused.err);
  // Refused before its one statement ran: recorded as stopped at statement 1, resumed once fixed.
  probe->execute("DELETE FROM projects");
  RunResult resume = run(dir, db, {"resume", "-q"}, sql);
  BOOST_TEST_REQUIRE(resume.exit_code == 0, resume.err);
  RunResult down = run(dir, db, {"downgrade", "base", "-q"}, sql);
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  BOOST_TEST(db.probe()->tables().empty());
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                               sql_literal(db.schema) + " AND TABLE_NAME = 'runner_enums'") == 0);
  RunResult again = run(dir, db, {"upgrade", "-q"}, sql);
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(history_versions(db).size() == 12u);
}

// What needs the database's catalog cannot be translated offline: refused with what to do instead.
BOOST_AUTO_TEST_CASE(offline_scripts_refuse_what_needs_the_catalog_mysql) {
  TempDir dir;
  RunResult script =
      run_runner({"upgrade", "--sql", "--dialect", "mysql", "-s", sample_sql_dir().string()}, dir.path());
  BOOST_TEST(script.exit_code == 2, script.err);
  BOOST_TEST(contains(script.err, "0002_tasks.up.sql:3: a column of type task_status needs the enum types"),
             script.err);
  BOOST_TEST(contains(script.err, "give --shadow-url URL"), script.err);
  // With a server to replay into, the script is written; run by the mariadb client it leaves what
  // upgrade leaves, and the scratch database is gone.
  const std::string server = mysql_url().substr(0, mysql_url().rfind('/') + 1);
  RunResult written = run_runner({"upgrade", "--sql", "--dialect", "mysql", "-s", sample_sql_dir().string(),
                                  "--shadow-url", server, "-o", "up.sql"},
                                 dir.path());
  BOOST_TEST_REQUIRE(written.exit_code == 0, written.err);
  TestDatabase by_script = mysql_database("script"), by_runner = mysql_database("online");
  client_source(dir, by_script, dir / "up.sql");
  BOOST_TEST_REQUIRE(run(dir, by_runner, {"upgrade", "-q"}, sample_sql_dir().string()).exit_code == 0);
  BOOST_TEST(catalog_difference(catalog(by_script), catalog(by_runner)).empty(),
             catalog_difference(catalog(by_script), catalog(by_runner)));
  BOOST_TEST(history_versions(by_script).size() == 12u);
  BOOST_TEST(DatabaseProbe::mysql(mysql_url(), "")
                 ->count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'runner|_shadow%' "
                         "ESCAPE '|'") == 0);
  // A set that needs none is written, stored programs between DELIMITER lines.
  write_file(dir / "sql/0001_p.up.sql",
             "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB;\n"
             "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END;\n");
  RunResult ok = run_runner({"upgrade", "--sql", "--dialect", "mysql", "-s", "sql"}, dir.path());
  BOOST_TEST_REQUIRE(ok.exit_code == 0, ok.err);
  BOOST_TEST(contains(ok.out, "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END\n;;\nDELIMITER ;\n"),
             ok.out);
  BOOST_TEST(contains(ok.out, "statement by statement"), ok.out);
}

// A statement that runs for minutes unless it is killed, and how many such statements the server
// still runs.
constexpr const char* k_endless =
    "INSERT INTO c SELECT COUNT(*) FROM information_schema.COLUMNS a, information_schema.COLUMNS b, "
    "information_schema.COLUMNS c, information_schema.COLUMNS d";
long long still_running(const TestDatabase& db) {
  return DatabaseProbe::mysql(db.mysql_base, "")
      ->count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO c SELECT COUNT(*)%'");
}

// SIGINT in a data migration: the statement is killed on the server, the migration's transaction
// rolled back with its history row, the lock released; the next run applies it.
BOOST_AUTO_TEST_CASE(sigint_kills_the_statement_and_rolls_the_data_migration_back_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("sig");
  write_file(dir / "sql/0001_c.up.sql", "CREATE TABLE c (n BIGINT) ENGINE=InnoDB;");
  write_file(dir / "sql/0002_rows.up.sql", "INSERT INTO c VALUES (1);\n" + std::string(k_endless) + ";\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1", "-q"}).exit_code == 0);
  RunnerProcess p({"upgrade", "-v", "-d", db.url, "-s", "sql"}, dir.path());
  BOOST_TEST_REQUIRE(p.wait_for_stderr("applying sql/0002_rows.up.sql"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto start = std::chrono::steady_clock::now();
  p.send(SIGINT);
  RunResult r = p.wait();
  BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10.0);
  BOOST_TEST(r.exit_code == 130, r.err);
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM c") == 0);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  for (int i = 0; i < 50 && still_running(db) != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_TEST(still_running(db) == 0);
  write_file(dir / "sql/0002_rows.up.sql", "INSERT INTO c VALUES (1);\n");
  RunResult again = run(dir, db, {"upgrade", "--lock-timeout", "2"});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM c") == 1);
}

// SIGINT in a DDL migration kills the running statement too (MySQL undoes a killed statement whole):
// recorded as stopped at the statement before, resumable.
BOOST_AUTO_TEST_CASE(sigint_kills_a_ddl_migrations_statement_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("sig2");
  write_file(dir / "sql/0001_c.up.sql",
             "CREATE TABLE c (n BIGINT);\nCREATE TABLE d (n BIGINT);\n" + std::string(k_endless) + ";\n");
  RunnerProcess p({"upgrade", "-v", "-d", db.url, "-s", "sql"}, dir.path());
  BOOST_TEST_REQUIRE(p.wait_for_stderr("applying sql/0001_c.up.sql"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto start = std::chrono::steady_clock::now();
  p.send(SIGINT);
  RunResult r = p.wait();
  BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10.0);
  BOOST_TEST(r.exit_code == 130, r.err);
  RunResult current = run(dir, db, {"current"});
  BOOST_TEST(contains(current.out, "stopped part-way upgrading, 2 of 3 statements applied;"), current.out);
  for (int i = 0; i < 50 && still_running(db) != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_TEST(still_running(db) == 0);
  write_file(dir / "sql/0001_c.up.sql",
             "CREATE TABLE c (n BIGINT);\nCREATE TABLE d (n BIGINT);\nINSERT INTO c VALUES (1);\n");
  RunResult resume = run(dir, db, {"resume"});
  BOOST_TEST(resume.exit_code == 0, resume.err);
  BOOST_TEST(db.probe()->count("SELECT COUNT(*) FROM c") == 1);
}

// A migration that USEs another database and SETs a variable, stopped part-way: resumed, the rest
// runs in that database with that variable, as the file meant.
BOOST_AUTO_TEST_CASE(resume_sets_the_session_up_as_the_applied_statements_left_it_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("use"), other = mysql_database("other");
  write_file(dir / "sql/0001_other.up.sql", "USE " + other.schema +
                                                ";\nSET @owner = 42;\nCREATE TABLE audit (owner INT);\n"
                                                "CREATE TABLE broken (;\nINSERT INTO audit VALUES (@owner);\n");
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(up.exit_code == 1, up.err);
  write_file(dir / "sql/0001_other.up.sql", "USE " + other.schema +
                                                ";\nSET @owner = 42;\nCREATE TABLE audit (owner INT);\n"
                                                "CREATE TABLE fixed (id INT);\nINSERT INTO audit VALUES (@owner);\n");
  RunResult resume = run(dir, db, {"resume"});
  BOOST_TEST_REQUIRE(resume.exit_code == 0, resume.err);
  BOOST_TEST(db.probe()->tables().empty());
  BOOST_TEST(other.probe()->tables() == (std::vector<std::string>{"audit", "fixed"}), boost::test_tools::per_element());
  BOOST_TEST(other.probe()->count("SELECT owner FROM audit") == 42);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
}

// MODIFY COLUMN restates the column as the catalog holds it: its character set, collation and
// CHECK stay; and an enum type whose labels another type has is refused (MySQL could not tell the
// two apart).
BOOST_AUTO_TEST_CASE(a_restated_column_keeps_what_it_had_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("keep");
  write_file(dir / "sql/0001_t.up.sql",
             "-- runner:as-written\nCREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(10) CHARACTER SET ascii "
             "COLLATE ascii_bin NULL, qty INT NULL CHECK (qty >= 0));\n");
  write_file(dir / "sql/0002_not_null.up.sql",
             "ALTER TABLE t ALTER COLUMN code SET NOT NULL, ALTER COLUMN qty SET NOT NULL;\n");
  RunResult up = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  auto probe = db.probe();
  BOOST_TEST(probe->rows("SELECT CONCAT(IS_NULLABLE, ' ', COLLATION_NAME) FROM information_schema.COLUMNS WHERE "
                         "TABLE_SCHEMA = " +
                         sql_literal(db.schema) + " AND COLUMN_NAME = 'code'")[0][0] == "NO ascii_bin");
  BOOST_CHECK_THROW(probe->execute("INSERT INTO t VALUES (1, 'a', -1)"), std::exception);

  write_file(dir / "sql/0003_types.up.sql",
             "CREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TYPE answer AS ENUM ('happy', 'sad');\n");
  RunResult twin = run(dir, db, {"upgrade"});
  BOOST_TEST(twin.exit_code == 1, twin.err);
  BOOST_TEST(contains(twin.err, "type mood has the same labels in the same order"), twin.err);
}

// DDL in a callback would commit a data migration's transaction half-way: refused when planned.
// And a scratch database on --shadow-url's server is never left: a USE stops the replay.
BOOST_AUTO_TEST_CASE(nothing_commits_a_transaction_or_leaves_a_scratch_database_unseen_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("cb");
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (id INT);\n");
  write_file(dir / "sql/0002_rows.up.sql", "INSERT INTO t VALUES (1);\n");
  write_file(dir / "sql/callbacks/before_each.sql", "CREATE TABLE IF NOT EXISTS cb (x INT);\n");
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 2, up.err);
  BOOST_TEST(contains(up.err, "before_each.sql:1: a callback runs inside the transaction of migration 0002_rows"),
             up.err);
  BOOST_TEST(db.probe()->tables().empty());

  TempDir offline;
  TestDatabase bystander = mysql_database("bystander");
  write_file(offline / "sql/0001_kinds.up.sql", "CREATE TYPE kind AS ENUM ('a', 'b');\n");
  write_file(offline / "sql/0002_elsewhere.up.sql", "USE " + bystander.schema + ";\nCREATE TABLE planted (x INT);\n");
  write_file(offline / "sql/0003_uses.up.sql", "CREATE TABLE things (k kind);\n");
  const std::string server = mysql_url().substr(0, mysql_url().rfind('/') + 1);
  RunResult script = run_runner({"upgrade", "--sql", "--dialect", "mysql", "--shadow-url", server}, offline.path());
  BOOST_TEST(script.exit_code != 0, script.out);
  BOOST_TEST(contains(script.err, "0002_elsewhere.up.sql:1, which could reach beyond the scratch database"),
             script.err);
  BOOST_TEST(bystander.probe()->tables().empty());
}

// authelia's MySQL set: 26 migrations, stored procedures without DELIMITER, a ';' in a string.
BOOST_AUTO_TEST_CASE(authelia_applies_as_upstream_and_rolls_back_to_base_mysql,
                     *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase ours = mysql_database("authelia"), raw = mysql_database("authelia_raw");
  const fs::path from = corpus_dir() / "authelia__authelia/mysql";
  RunResult imported =
      run_runner({"import", "plain", "--from", from.string(), "-s", "sql", "--dialect", "mysql"}, dir.path());
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  RunResult up = run(dir, ours, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(ours.probe()->history().size() == 26u);
  for (const auto& f : ups_of(from)) raw_run(dir, raw, read_file(f));
  const auto theirs = catalog(raw), mine = catalog(ours);
  BOOST_TEST(theirs.size() > 100u);
  BOOST_TEST(catalog_difference(mine, theirs).empty(), catalog_difference(mine, theirs));

  // Upstream's V0007 down recreates indexes that V0012's down already made (on MariaDB): it stops
  // part-way, recorded; fixed, it resumes, and the rest goes down to base.
  RunResult down = run(dir, ours, {"downgrade", "base", "-q"});
  BOOST_TEST_REQUIRE(down.exit_code == 1, down.err);
  BOOST_TEST(contains(down.err, "Duplicate key name 'kid'"), down.err);
  BOOST_TEST(contains(down.err, "it is recorded as partial (29 of 42 statements applied)"), down.err);
  const fs::path v7 = dir / "sql/0007_consistencyfixes.down.sql";
  std::string text = read_file(v7);
  for (const std::string& index : {std::string("kid"), std::string("username")}) {
    const std::string create = "CREATE UNIQUE INDEX " + index + " ON webauthn_devices";
    const std::size_t at = text.find(create);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.insert(at, "CALL PROC_DROP_INDEX('webauthn_devices', '" + index + "');\n");
  }
  write_file(v7, text);
  RunResult resume = run(dir, ours, {"resume", "-q"});
  BOOST_TEST_REQUIRE(resume.exit_code == 0, resume.err);
  RunResult rest = run(dir, ours, {"downgrade", "base", "-q"});
  BOOST_TEST_REQUIRE(rest.exit_code == 0, rest.err);
  BOOST_TEST(ours.probe()->history().empty());
  BOOST_TEST(ours.probe()->tables().empty());
  BOOST_TEST(ours.probe()->count("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = " +
                                 sql_literal(ours.schema)) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
