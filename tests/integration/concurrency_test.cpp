// SPDX-License-Identifier: MIT
// Runners started at once apply every migration exactly once; a held lock times out with exit 3.
#include "tests/integration/integration_fixture.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace runner::test;

namespace {

void four_at_once(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_log.up.sql", "CREATE TABLE applied_log (version int NOT NULL);");
  for (int v = 2; v <= 30; ++v) {
    char name[64];
    std::snprintf(name, sizeof name, "sql/%04d_step.up.sql", v);
    write_file(dir / name, "INSERT INTO applied_log VALUES (" + std::to_string(v) + ");");
  }
  std::vector<std::unique_ptr<RunnerProcess>> procs;
  for (int i = 0; i < 4; ++i)
    procs.push_back(std::make_unique<RunnerProcess>(
        std::vector<std::string>{"upgrade", "-q", "-d", db.url, "-s", "sql"}, dir.path()));
  for (auto& p : procs) {
    RunResult r = p->wait();
    BOOST_TEST(r.exit_code == 0, r.err);
  }
  auto probe = db.probe();
  BOOST_TEST(probe->count("SELECT count(*) FROM applied_log") == 29);
  BOOST_TEST(probe->count("SELECT count(DISTINCT version) FROM applied_log") == 29);
  BOOST_TEST(probe->history().size() == 30u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(concurrency)

BOOST_AUTO_TEST_CASE(four_runners_apply_each_migration_once_sqlite) {
  TempDir dir;
  four_at_once(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(four_runners_apply_each_migration_once_pg) { four_at_once(pg_database()); }
BOOST_AUTO_TEST_CASE(four_runners_apply_each_migration_once_mysql) { four_at_once(mysql_database()); }

BOOST_AUTO_TEST_CASE(a_held_lock_times_out_with_exit_3_mysql) {
  TempDir dir;
  TestDatabase db = mysql_database("held");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  auto holder = db.probe();  // another session holding the database's named lock, in an open transaction
  holder->execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  BOOST_TEST_REQUIRE(holder->count("SELECT GET_LOCK('runner." + db.schema + "', 0)") == 1);
  const std::string id = holder->rows("SELECT CONNECTION_ID()")[0][0];
  RunResult r = run(dir, db, {"upgrade", "--lock-timeout", "1"});
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(contains(r.err, "is locked by another runner"), r.err);
  BOOST_TEST(contains(r.err, "held by connection " + id + " (user root"), r.err);
  BOOST_TEST(contains(r.err, "end it with KILL " + id), r.err);
  BOOST_TEST(db.probe()->tables().empty());
  holder.reset();  // the session ends, the lock goes with it
  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_held_lock_times_out_with_exit_3_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir, "held.db");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  int fd = ::open(db.sqlite_file.c_str(), O_RDWR | O_CREAT, 0644);
  BOOST_TEST_REQUIRE(fd >= 0);
  BOOST_TEST_REQUIRE(::flock(fd, LOCK_EX) == 0);
  RunResult r = run(dir, db, {"upgrade", "--lock-timeout", "1"});
  ::close(fd);
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(contains(r.err, "is locked by another runner; gave up after 1 s"), r.err);
  BOOST_TEST(contains(r.err, "held by process " + std::to_string(::getpid()) + " ("), r.err);  // this test holds it
  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_transaction_held_open_by_another_program_times_out_with_exit_3_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir, "busy.db");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  // Another program's write transaction: reads go on, the migration cannot write.
  for (const char* begin : {"BEGIN EXCLUSIVE", "BEGIN IMMEDIATE"}) {
    auto other = db.probe();
    other->execute(begin);
    RunResult r = run(dir, db, {"upgrade", "--lock-timeout", "1"});
    BOOST_TEST(r.exit_code == 3, begin << ": " << r.err);
    BOOST_TEST(contains(r.err, "locked by another connection"), r.err);
    other.reset();
  }
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_held_lock_times_out_with_exit_3_pg) {
  TempDir dir;
  TestDatabase db = pg_database();
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  auto holder = db.probe();  // another session holding the schema's advisory lock, left idle in a transaction
  holder->execute("BEGIN");
  holder->count("SELECT count(*) FROM (SELECT pg_advisory_lock(1920298611, hashtext(current_database() || '.' || '" +
                db.schema + "'))) x");
  const std::string pid = holder->rows("SELECT pg_backend_pid()::text")[0][0];
  RunResult r = run(dir, db, {"upgrade", "--lock-timeout", "1"});
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(contains(r.err, "is locked by another runner"), r.err);
  BOOST_TEST(contains(r.err, "held by server process " + pid + " (application_name"), r.err);
  BOOST_TEST(contains(r.err, "idle in transaction since"), r.err);
  BOOST_TEST(contains(r.err, "pg_terminate_backend(" + pid + ")"), r.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM pg_namespace WHERE nspname = '" + db.schema + "'") == 0);
  holder.reset();  // the session ends, the lock goes with it
  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()
