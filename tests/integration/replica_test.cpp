// SPDX-License-Identifier: MIT
// HA clusters: a URL that lands on a standby is refused before planning, a multi-host URL reaches
// the primary whichever host comes first, and --wait-replicas waits until the replica has replayed
// the run (or says which one is behind). Against the test server and a real streaming replica of
// it (scripts/pg_replica.sh), whose replay the tests pause.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <thread>

using namespace runner::test;

namespace {

std::string host_port(const std::string& url) {
  const std::size_t start = url.find('@') + 1;
  return url.substr(start, url.find('/', start) - start);
}

// The replica's replay paused while it lives: what the primary writes reaches the replica and waits.
class PausedReplay {
 public:
  PausedReplay() { replica()->execute("SELECT pg_wal_replay_pause()"); }
  ~PausedReplay() { resume(); }
  void resume() {
    if (resumed_) return;
    resumed_ = true;
    replica()->execute("SELECT pg_wal_replay_resume()");
  }

 private:
  static std::unique_ptr<DatabaseProbe> replica() { return DatabaseProbe::postgresql(pg_replica_url(), "public"); }
  bool resumed_ = false;
};

long long history_rows_on_replica(const std::string& schema) {
  return DatabaseProbe::postgresql(pg_replica_url(), "public")
                     ->count("SELECT count(*) FROM pg_tables WHERE schemaname = " + sql_literal(schema) +
                             " AND tablename = 'runner_history'") == 0
             ? -1
             : DatabaseProbe::postgresql(pg_replica_url(), "public")
                   ->count("SELECT count(*) FROM \"" + schema + "\".runner_history");
}

// Schemas PREFIX_1 to PREFIX_3 on the test server, PREFIX made unique; returns it.
std::string three_schemas(const std::string& name) {
  const std::string prefix = unique_name(name);
  auto probe = DatabaseProbe::postgresql(pg_url(), "public");
  for (int i = 1; i <= 3; ++i) probe->execute("CREATE SCHEMA " + prefix + "_" + std::to_string(i));
  return prefix;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replica)

BOOST_AUTO_TEST_CASE(a_standby_is_refused_before_anything_is_planned_and_still_read_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string schema = unique_name("standby");
  const std::string standby = pg_replica_url() + "?schema=" + schema;
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"upgrade"}, {"downgrade", "base"}, {"stamp", "head"}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), {"-d", standby});
    RunResult r = run_runner(args, dir.path());
    BOOST_TEST(r.exit_code == 2, command[0] << ": " << r.err);
    BOOST_TEST(contains(r.err, "the server at " + host_port(pg_replica_url()) + " is a standby (in recovery)"), r.err);
    BOOST_TEST(contains(r.err, "target_session_attrs=read-write"), r.err);
    BOOST_TEST(!contains(r.err, "read-only transaction"), r.err);
  }
  // Reading is fine on a standby; so is a dry run.
  TestDatabase primary;
  primary.pg_base = pg_url();
  primary.schema = schema;
  primary.url = pg_url() + "?schema=" + schema;
  BOOST_TEST_REQUIRE(run(dir, primary, {"upgrade", "3", "-q"}).exit_code == 0);
  RunResult waited = run_runner({"upgrade", "3", "-d", primary.url, "--wait-replicas=30", "-q"}, dir.path());
  BOOST_TEST_REQUIRE(waited.exit_code == 0, waited.err);
  RunResult current = run_runner({"current", "-d", standby}, dir.path());
  BOOST_TEST(current.exit_code == 0, current.err);
  BOOST_TEST(contains(current.out, "3 change_requests"), current.out);
  RunResult dry = run_runner({"upgrade", "--dry-run", "-d", standby}, dir.path());
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "0004_approvals"), dry.out);
}

BOOST_AUTO_TEST_CASE(a_multi_host_url_reaches_the_primary_whichever_host_comes_first_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string primary = host_port(pg_url()), standby = host_port(pg_replica_url());
  for (const std::string& hosts : {standby + "," + primary, primary + "," + standby}) {
    const std::string schema = unique_name("multihost");
    const std::string url =
        "postgresql://postgres@" + hosts + "/postgres?target_session_attrs=read-write&schema=" + schema;
    RunResult r = run_runner({"upgrade", "-d", url, "--json"}, dir.path());
    BOOST_TEST_REQUIRE(r.exit_code == 0, hosts << ": " << r.err);
    TestDatabase db;
    db.pg_base = pg_url();
    db.schema = schema;
    BOOST_TEST(history_versions(db).size() == 12u);
    // Without read-write, the standby first: refused, naming the standby, not failing on DDL.
    RunResult any = run_runner(
        {"upgrade", "-d", "postgresql://postgres@" + standby + "," + primary + "/postgres?schema=" + schema + "x"},
        dir.path());
    BOOST_TEST(any.exit_code == 2, any.err);
    BOOST_TEST(contains(any.err, "the server at " + standby + " is a standby"), any.err);
  }
}

BOOST_AUTO_TEST_CASE(a_fleet_run_on_a_standby_is_refused_with_exit_2_and_one_message_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string prefix = three_schemas("standbyfleet");
  auto on_replica = DatabaseProbe::postgresql(pg_replica_url(), "public");
  const std::string schemas = "SELECT count(*) FROM pg_namespace WHERE nspname LIKE " + sql_literal(prefix + "_%");
  for (int i = 0; i < 300 && on_replica->count(schemas) < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_TEST_REQUIRE(on_replica->count(schemas) == 3);
  RunResult r = run_runner(
      {"upgrade", "--all-projects", "-d", pg_replica_url(), "--schema-pattern", prefix + "_*", "--json"}, dir.path());
  BOOST_TEST(r.exit_code == 2, r.err);
  const auto j = nlohmann::json::parse(r.out);
  BOOST_TEST_REQUIRE(j.size() == 3u);
  for (const auto& p : j) {
    BOOST_TEST(p.at("status").get<std::string>() == "refused");
    BOOST_TEST(p.at("exit_code").get<int>() == 2);
    BOOST_TEST(p.at("category").get<std::string>() == "invalid");
    BOOST_TEST(contains(p.at("database").get<std::string>(), host_port(pg_replica_url())));
  }
  // Said once for the three, naming them.
  BOOST_TEST(r.err.find("is a standby") == r.err.rfind("is a standby"), r.err);
  BOOST_TEST(contains(r.err, "runner: error: projects " + prefix + "_1, " + prefix + "_2, " + prefix + "_3: "), r.err);
  // A separate word after --wait-replicas is the target, not seconds: one migration runs.
  const std::string one = pg_url() + "?schema=" + prefix + "_1";
  RunResult waited = run_runner({"upgrade", "-d", one, "--wait-replicas", "+1", "-q"}, dir.path());
  BOOST_TEST(waited.exit_code == 0, waited.err);
  TestDatabase db;
  db.pg_base = pg_url();
  db.schema = prefix + "_1";
  BOOST_TEST(history_versions(db).size() == 1u);
}

BOOST_AUTO_TEST_CASE(wait_replicas_returns_once_the_replica_has_replayed_the_run_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string schema = unique_name("waitrep");
  const std::string url = pg_url() + "?schema=" + schema;
  PausedReplay paused;
  RunnerProcess runner({"upgrade", "-d", url, "--wait-replicas=60"}, dir.path());
  // The run is done and the wait is on: the lag is shown, and the process has not ended.
  BOOST_TEST_REQUIRE(runner.wait_for_stderr("behind", 30));
  BOOST_TEST(runner.wait_for_stderr("waiting for the replicas of " + host_port(pg_url()), 5));
  BOOST_TEST(history_rows_on_replica(schema) == -1);  // not replayed yet
  paused.resume();
  RunResult r = runner.wait();
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "caught up"), r.err);
  // Returned only once the replica shows the whole run: readers there see the new tables now.
  BOOST_TEST(history_rows_on_replica(schema) == 12);
}

BOOST_AUTO_TEST_CASE(wait_replicas_gives_up_with_exit_3_naming_the_replica_behind_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string prefix = three_schemas("waitfleet");
  PausedReplay paused;
  RunResult r = run_runner(
      {"upgrade", "--all-projects", "-d", pg_url(), "--schema-pattern", prefix + "_*", "--wait-replicas=2", "--json"},
      dir.path());
  BOOST_TEST(r.exit_code == 3, r.err);
  // The run itself succeeded: every project is at head, and the summary says so.
  const auto j = nlohmann::json::parse(r.out);
  BOOST_TEST_REQUIRE(j.size() == 3u);
  for (const auto& p : j) BOOST_TEST(p.at("status").get<std::string>() == "ok");
  BOOST_TEST(
      contains(r.err, "runner: error: " + host_port(pg_url()) + ": replicas still behind after --wait-replicas=2 s"),
      r.err);
  BOOST_TEST(contains(r.err, "(127.0.0.1)"), r.err);
  BOOST_TEST(contains(r.err, "the run itself succeeded"), r.err);
  paused.resume();
  // Bad values are refused before anything runs.
  for (const char* bad : {"--wait-replicas=0", "--wait-replicas=soon"})
    BOOST_TEST(run_runner({"upgrade", "-d", pg_url(), bad}, dir.path()).exit_code == 2, bad);
  BOOST_TEST(run_runner({"current", "-d", pg_url(), "--wait-replicas=5"}, dir.path()).exit_code == 2);
}

BOOST_AUTO_TEST_SUITE_END()
