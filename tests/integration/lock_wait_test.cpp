// SPDX-License-Identifier: MIT
// --lock-wait, --lock-retries, --statement-timeout: a migration that queues behind another
// session's lock gives up after --lock-wait, is rolled back and tried again with longer pauses,
// and, if it never gets the lock, says who holds it.
#include "tests/integration/integration_fixture.hpp"

#include <chrono>
#include <thread>

using namespace runner::test;

namespace {

using Clock = std::chrono::steady_clock;

// Holds a lock on `table` from another session for `seconds`, on a thread of its own.
class LockHolder {
 public:
  LockHolder(const TestDatabase& db, const std::string& lock_sql, double seconds)
      : probe_(db.probe()), sql_(lock_sql), seconds_(seconds) {
    probe_->execute("BEGIN");
    if (db.sqlite_file.empty()) probe_->execute("SET application_name = 'blocker_app'");
    probe_->execute(sql_);
    thread_ = std::thread([this] {
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds_));
      probe_->execute("COMMIT");
    });
  }
  ~LockHolder() { thread_.join(); }

 private:
  std::unique_ptr<DatabaseProbe> probe_;
  std::string sql_;
  double seconds_;
  std::thread thread_;
};

void write_two(const TempDir& dir) {
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (id integer);\nINSERT INTO t VALUES (1);\n");
  write_file(dir / "sql/0002_x.up.sql", "CREATE TABLE other (id integer);\nALTER TABLE t ADD COLUMN x integer;\n");
}

long long columns_named_x(const TestDatabase& db) {
  return db.sqlite_file.empty()
             ? db.probe()->count("SELECT count(*) FROM information_schema.columns WHERE table_schema = " +
                                 sql_literal(db.schema) + " AND table_name = 't' AND column_name = 'x'")
             : db.probe()->count("SELECT count(*) FROM pragma_table_info('t') WHERE name = 'x'");
}

std::string lock_t(const TestDatabase& db) {
  return db.sqlite_file.empty() ? "LOCK TABLE " + db.schema + ".t IN ACCESS SHARE MODE" : "INSERT INTO t VALUES (2)";
}

void retried_until_the_lock_is_free(const TestDatabase& db) {
  TempDir dir;
  write_two(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  const auto start = Clock::now();
  RunResult r;
  {
    LockHolder holder(db, lock_t(db), 2.0);
    r = run(dir, db, {"upgrade", "--lock-wait", "0.3", "--lock-retries", "4"});
  }
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "migration 0002_x gave up waiting 300 ms for a lock"), r.err);
  BOOST_TEST(contains(r.err, "rolled back; attempt 2 of 5 in 1000 ms"), r.err);
  if (db.sqlite_file.empty()) BOOST_TEST(contains(r.err, "application_name 'blocker_app'"), r.err);
  BOOST_TEST(std::chrono::duration<double>(Clock::now() - start).count() >= 2.0);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(columns_named_x(db) == 1);
}

void gives_up_naming_the_holder(const TestDatabase& db) {
  TempDir dir;
  write_two(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  RunResult r;
  {
    LockHolder holder(db, lock_t(db), 5.0);
    r = run(dir, db, {"upgrade", "--lock-wait", "0.3", "--lock-retries", "1"});
  }
  BOOST_TEST(r.exit_code == 3, r.err);
  // PostgreSQL waits at the ALTER; SQLite at the first write, for the file.
  BOOST_TEST(contains(r.err, db.sqlite_file.empty() ? "sql/0002_x.up.sql:2: statement 2 of 2 (line 2) failed"
                                                    : "sql/0002_x.up.sql:1: statement 1 of 2 (line 1) failed"),
             r.err);
  BOOST_TEST(contains(r.err, "the statement waited 300 ms (--lock-wait) for a lock another connection holds"), r.err);
  if (db.sqlite_file.empty()) {
    BOOST_TEST(contains(r.err, "SQLSTATE 55P03"), r.err);
    BOOST_TEST(contains(r.err,
                        "(application_name 'blocker_app', user postgres, idle in transaction, transaction "
                        "open"),
               r.err);
  }
  BOOST_TEST(contains(r.err, "migration 0002_x was rolled back; the database is at 0001_t"), r.err);
  BOOST_TEST(contains(r.err, "gave up after 2 attempts (--lock-retries 1)"), r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t") >= 1);
  BOOST_TEST(columns_named_x(db) == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lock_wait)

BOOST_AUTO_TEST_CASE(a_migration_waiting_for_a_lock_is_retried_until_it_gets_it_pg) {
  retried_until_the_lock_is_free(pg_database("lw"));
}
BOOST_AUTO_TEST_CASE(a_migration_that_never_gets_the_lock_names_its_holder_pg) {
  gives_up_naming_the_holder(pg_database("lw"));
}
BOOST_AUTO_TEST_CASE(a_migration_waiting_for_the_file_is_retried_sqlite) {
  TempDir dir;
  retried_until_the_lock_is_free(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(a_migration_that_never_gets_the_file_gives_up_sqlite) {
  TempDir dir;
  gives_up_naming_the_holder(sqlite_database(dir));
}

// Without a transaction, a retry goes on from the statement that gave up: the one before it ran
// once.
BOOST_AUTO_TEST_CASE(a_no_transaction_migration_goes_on_from_the_statement_that_waited_pg) {
  TempDir dir;
  TestDatabase db = pg_database("lw");
  write_two(dir);
  write_file(dir / "sql/0002_x.up.sql",
             "-- runner:no-transaction\nCREATE TABLE other (id integer);\nALTER TABLE t ADD COLUMN x integer;\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  RunResult r;
  {
    LockHolder holder(db, lock_t(db), 1.5);
    r = run(dir, db, {"upgrade", "--lock-wait", "0.3", "--lock-retries", "4"});
  }
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "its statements before that one stay applied; attempt 2 of 5"), r.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(columns_named_x(db) == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM runner_progress") == 0);
}

BOOST_AUTO_TEST_CASE(a_statement_past_the_timeout_is_cancelled_and_rolled_back_pg) {
  TempDir dir;
  TestDatabase db = pg_database("lw");
  write_file(dir / "sql/0001_slow.up.sql", "CREATE TABLE s (id integer);\nSELECT pg_sleep(5);\n");
  const auto start = Clock::now();
  RunResult r = run(dir, db, {"upgrade", "--statement-timeout", "0.5", "--lock-wait", "1"});
  BOOST_TEST(std::chrono::duration<double>(Clock::now() - start).count() < 4.0);
  BOOST_TEST(r.exit_code == 1, r.err);
  BOOST_TEST(contains(r.err, "canceling statement due to statement timeout (SQLSTATE 57014)"), r.err);
  BOOST_TEST(contains(r.err, "migration 0001_slow was rolled back"), r.err);
  BOOST_TEST(!contains(r.err, "attempt 2"), r.err);  // a slow statement is not a lock wait: no retry
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_CASE(wrong_values_are_refused_before_anything_runs) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_two(dir);
  for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--lock-wait", "abc"}, "--lock-wait must be a number of seconds"},
           {{"--lock-wait", "-1"}, "--lock-wait must be a number of seconds"},
           {{"--lock-wait", "0.0001"}, "--lock-wait below a millisecond"},
           {{"--lock-retries", "2"}, "--lock-retries goes with --lock-wait"},
           {{"--lock-wait", "1", "--lock-retries", "101"}, "--lock-retries must be between 0 and 100"},
           {{"--statement-timeout", "1"}, "--statement-timeout: sqlite has no statement timeout"}}) {
    std::vector<std::string> a{"upgrade"};
    a.insert(a.end(), args.begin(), args.end());
    RunResult r = run(dir, db, a);
    BOOST_TEST(r.exit_code == 2, r.err);
    BOOST_TEST(contains(r.err, message), r.err);
  }
  BOOST_TEST(never_created(db));
}

BOOST_AUTO_TEST_SUITE_END()
