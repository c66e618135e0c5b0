// SPDX-License-Identifier: MIT
// SIGINT and SIGTERM sent to a real run: the statement running is cancelled (or, without a
// transaction, let finish), the database stays at a migration boundary, the lock is released, the
// run says what it applied and exits 128 + the signal; a second signal aborts at once.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

using namespace runner::test;

namespace {

using Clock = std::chrono::steady_clock;

bool is_pg(const TestDatabase& db) { return db.sqlite_file.empty(); }

// A statement that runs for minutes unless cancelled.
std::string endless(const TestDatabase& db) {
  return is_pg(db) ? "SELECT pg_sleep(600);"
                   : "INSERT INTO c WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                     "WHERE x < 5000000000) SELECT count(*) FROM n;";
}

// 0001 quick, 0002 with the endless statement third, 0003 quick.
void write_slow_set(const TempDir& dir, const TestDatabase& db, bool no_transaction = false) {
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);");
  write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;");
  write_file(dir / "sql/0002_slow.up.sql", std::string(no_transaction ? "-- runner:no-transaction\n" : "") +
                                               "CREATE TABLE b (id integer);\nCREATE TABLE c (k bigint);\n" +
                                               endless(db) + "\nCREATE TABLE after_slow (id integer);\n");
  write_file(dir / "sql/0002_slow.down.sql", "DROP TABLE after_slow;\nDROP TABLE c;\nDROP TABLE b;");
  write_file(dir / "sql/0003_d.up.sql", "CREATE TABLE d (id integer);");
  write_file(dir / "sql/0003_d.down.sql", "DROP TABLE d;");
}

std::vector<std::string> args_for(const TestDatabase& db, std::vector<std::string> a) {
  a.insert(a.end(), {"-d", db.url, "-v"});
  return a;
}

// Starts an upgrade and waits until it runs migration 0002 (its third statement a moment later).
std::unique_ptr<RunnerProcess> start_upgrade(const TempDir& dir, const TestDatabase& db) {
  auto p = std::make_unique<RunnerProcess>(args_for(db, {"upgrade"}), dir.path());
  BOOST_TEST_REQUIRE(p->wait_for_stderr("applying sql/0002_slow.up.sql"), "the run never reached 0002");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  return p;
}

// Whether a statement of `db`'s tests still runs on the server (none may outlive its runner).
long long still_running(const TestDatabase& db) {
  return DatabaseProbe::postgresql(db.pg_base, "public")
      ->count(
          "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(600)%' "
          "AND pid <> pg_backend_pid()");
}

// The run lock is free: another runner takes it at once.
void lock_is_free(const TempDir& dir, const TestDatabase& db) {
  RunResult r = run_runner({"downgrade", "base", "-d", db.url, "--lock-timeout", "1"}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(history_versions(db).empty());
}

void transactional_migration_is_cancelled(const TestDatabase& db, int signal) {
  TempDir dir;
  write_slow_set(dir, db);
  const auto start = Clock::now();
  auto p = start_upgrade(dir, db);
  p->send(signal);
  RunResult r = p->wait();
  BOOST_TEST(std::chrono::duration<double>(Clock::now() - start).count() < 30.0);
  BOOST_TEST(r.exit_code == 128 + signal, r.err);
  BOOST_TEST(contains(r.err, signal == SIGINT ? "SIGINT received" : "SIGTERM received"), r.err);
  BOOST_TEST(contains(r.err, "interrupted by"), r.err);
  BOOST_TEST(contains(r.err, "migration 0002_slow was rolled back; the database is at 0001_a"), r.err);
  BOOST_TEST(contains(r.err, "applied by this run before the failure: 0001_a"), r.err);
  BOOST_TEST(contains(r.out, "applied  0001_a"), r.out);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a"}), boost::test_tools::per_element());
  if (is_pg(db)) BOOST_TEST(still_running(db) == 0);
  lock_is_free(dir, db);
}

void no_transaction_migration_finishes_its_statement(const TestDatabase& db) {
  TempDir dir;
  write_slow_set(dir, db, true);
  // A statement that ends by itself in a moment, in place of the endless one.
  const std::string pause = is_pg(db) ? "SELECT pg_sleep(2);"
                                      : "INSERT INTO c WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                                        "WHERE x < 20000000) SELECT count(*) FROM n;";
  write_file(dir / "sql/0002_slow.up.sql",
             "-- runner:no-transaction\nCREATE TABLE b (id integer);\nCREATE TABLE c "
             "(k bigint);\n" +
                 pause + "\nCREATE TABLE after_slow (id integer);\n");
  auto p = start_upgrade(dir, db);
  p->send(SIGTERM);
  RunResult r = p->wait();
  BOOST_TEST(r.exit_code == 143, r.err);
  BOOST_TEST(contains(r.err, "stopped before statement 4 (line 5)"), r.err);
  BOOST_TEST(contains(r.err, "statements 1-3 were applied and stay applied; it is recorded as partial (3 of 4"), r.err);
  // The statement in flight finished (its row is there); the one after it never ran.
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  if (!is_pg(db)) BOOST_TEST(db.probe()->count("SELECT count(*) FROM c") == 1);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  RunResult current = run_runner({"current", "-d", db.url}, dir.path());
  BOOST_TEST(contains(current.out,
                      "3 of 4 statements applied; sql/0002_slow.up.sql:5: stopped by SIGTERM before "
                      "statement 4"),
             current.out);
  // resume runs the one statement left.
  RunResult resumed = run_runner({"resume", "-d", db.url}, dir.path());
  BOOST_TEST(resumed.exit_code == 0, resumed.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "after_slow", "b", "c"}),
             boost::test_tools::per_element());
  if (!is_pg(db)) BOOST_TEST(db.probe()->count("SELECT count(*) FROM c") == 1);  // not run twice
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
}

void second_signal_aborts_at_once(const TestDatabase& db) {
  TempDir dir;
  write_slow_set(dir, db, true);  // without a transaction: the first signal alone would wait for ever
  auto p = start_upgrade(dir, db);
  p->send(SIGINT);
  BOOST_TEST_REQUIRE(p->wait_for_stderr("SIGINT received"));
  const auto start = Clock::now();
  p->send(SIGINT);
  RunResult r = p->wait();
  BOOST_TEST(std::chrono::duration<double>(Clock::now() - start).count() < 10.0);
  BOOST_TEST(r.exit_code == 130, r.err);
  BOOST_TEST(contains(r.err, "received again: aborting now"), r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  // Aborted in its third statement: two recorded (and, when the run got to it before the process
  // ended, the cancelled statement's error).
  RunResult current = run_runner({"current", "-d", db.url}, dir.path());
  BOOST_TEST(contains(current.out, "stopped part-way upgrading, 2 of 4 statements applied;"), current.out);
  BOOST_TEST(run_runner({"upgrade", "-d", db.url}, dir.path()).exit_code == 3);
  if (is_pg(db)) {
    // The statement was cancelled on the server, not left running for the next run to trip on.
    for (int i = 0; i < 50 && still_running(db) != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    BOOST_TEST(still_running(db) == 0);
  }
}

void waiting_for_the_lock_is_interrupted(const TestDatabase& db) {
  TempDir dir;
  write_slow_set(dir, db);
  auto holder = start_upgrade(dir, db);  // holds the run lock while 0002 runs
  RunnerProcess waiter(args_for(db, {"upgrade", "--lock-timeout", "60"}), dir.path());
  BOOST_TEST_REQUIRE(waiter.wait_for_stderr("waiting for another runner"));
  waiter.send(SIGINT);
  RunResult r = waiter.wait();
  BOOST_TEST(r.exit_code == 130, r.err);
  BOOST_TEST(contains(r.err, "while waiting for the run lock"), r.err);
  BOOST_TEST(contains(r.err, "nothing was applied"), r.err);
  holder->send(SIGTERM);
  BOOST_TEST(holder->wait().exit_code == 143);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signals)

BOOST_AUTO_TEST_CASE(sigint_rolls_back_the_migration_in_flight) {
  TempDir dir;
  transactional_migration_is_cancelled(sqlite_database(dir), SIGINT);
}
BOOST_AUTO_TEST_CASE(sigterm_rolls_back_the_migration_in_flight) {
  TempDir dir;
  transactional_migration_is_cancelled(sqlite_database(dir), SIGTERM);
}
BOOST_AUTO_TEST_CASE(no_transaction_migration_stops_after_its_statement) {
  TempDir dir;
  no_transaction_migration_finishes_its_statement(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(a_second_signal_aborts_at_once) {
  TempDir dir;
  second_signal_aborts_at_once(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(a_run_waiting_for_the_lock_stops) {
  TempDir dir;
  waiting_for_the_lock_is_interrupted(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(all_projects_start_no_new_project_after_a_signal) {
  TempDir dir;
  const TestDatabase first = sqlite_database(dir, "data/project_1.db");
  write_slow_set(dir, first);
  fs::create_directories(dir / "data");
  for (int n = 1; n <= 5; ++n)
    sqlite_database(dir, "data/project_" + std::to_string(n) + ".db").probe()->execute("SELECT 1");
  RunnerProcess p({"upgrade", "--all-projects", "--jobs", "2", "--json", "-v"}, dir.path());
  BOOST_TEST_REQUIRE(p.wait_for_stderr("applying sql/0002_slow.up.sql"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  p.send(SIGTERM);
  RunResult r = p.wait();
  BOOST_TEST(r.exit_code == 143, r.err);
  auto j = nlohmann::json::parse(r.out);
  BOOST_TEST_REQUIRE(j.size() == 5u);
  int interrupted = 0, not_run = 0;
  for (const auto& project : j) {
    const std::string status = project.at("status").get<std::string>();
    interrupted += status == "interrupted";
    not_run += status == "not run";
    BOOST_TEST((status == "interrupted" || status == "not run"), status);
  }
  BOOST_TEST(interrupted >= 1);
  BOOST_TEST(interrupted + not_run == 5);
  for (int n = 1; n <= 5; ++n) {
    const TestDatabase db = sqlite_database(dir, "data/project_" + std::to_string(n) + ".db");
    const bool recorded = db.probe()->count("SELECT count(*) FROM sqlite_master WHERE name = 'runner_history'") == 1;
    const auto versions = recorded ? history_versions(db) : std::vector<std::int64_t>{};
    BOOST_TEST((versions.empty() || versions == std::vector<std::int64_t>{1}), "project " << n);
    BOOST_TEST(db.probe()->count("SELECT count(*) FROM sqlite_master WHERE name = 'c'") == 0, "project " << n);
  }
}

BOOST_AUTO_TEST_CASE(sigint_cancels_the_statement_on_the_server_pg) {
  transactional_migration_is_cancelled(pg_database("sig"), SIGINT);
}
BOOST_AUTO_TEST_CASE(sigterm_cancels_the_statement_on_the_server_pg) {
  transactional_migration_is_cancelled(pg_database("sig"), SIGTERM);
}
BOOST_AUTO_TEST_CASE(no_transaction_migration_stops_after_its_statement_pg) {
  no_transaction_migration_finishes_its_statement(pg_database("sig"));
}
BOOST_AUTO_TEST_CASE(a_second_signal_aborts_at_once_pg) { second_signal_aborts_at_once(pg_database("sig")); }
BOOST_AUTO_TEST_CASE(a_run_waiting_for_the_lock_stops_pg) { waiting_for_the_lock_is_interrupted(pg_database("sig")); }

BOOST_AUTO_TEST_SUITE_END()
