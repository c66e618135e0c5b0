// SPDX-License-Identifier: MIT
// Fleets (--databases, --jobs-per-server, --canary, --max-failures, --shard): every project of
// every listed database, at most so many connections per server, waves, and shards that cover
// each project once. Against the test server, and the PgBouncer in front of it standing in for a
// second server (another port).
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <set>
#include <thread>

using namespace runner::test;

namespace {

// A database of its own on the test server with `n` empty project schemas; its URL.
std::string database_with_schemas(const std::string& prefix, int n, const std::string& schema_prefix = "project_") {
  const TestDatabase db = pg_own_database(prefix);
  auto probe = DatabaseProbe::postgresql(db.pg_base, "public");
  for (int i = 1; i <= n; ++i) probe->execute("CREATE SCHEMA " + schema_prefix + std::to_string(i));
  return db.pg_base;
}

std::string database_name(const std::string& url) { return url.substr(url.rfind('/') + 1); }

long long count_in(const std::string& url, const std::string& sql) {
  return DatabaseProbe::postgresql(url, "public")->count(sql);
}

std::vector<std::int64_t> versions(const std::string& url, const std::string& schema) {
  TestDatabase db;
  db.pg_base = url;
  db.schema = schema;
  return history_versions(db);
}

// The projects of a JSON summary: project id -> the entry.
std::map<std::string, nlohmann::json> by_project(const std::string& out) {
  std::map<std::string, nlohmann::json> m;
  for (const auto& p : nlohmann::json::parse(out))
    m[p.at("server").get<std::string>() + " " + p.at("project").get<std::string>()] = p;
  return m;
}

// Sessions the server started for the database `url` names, as its statistics count them. It
// counts a session in lazily: read again for a moment while fewer than `at_least`.
long long sessions_of(const std::string& url, long long at_least = 0) {
  const std::string sql = "SELECT sessions FROM pg_stat_database WHERE datname = " + sql_literal(database_name(url));
  long long n = count_in(pg_url(), sql);
  for (int tries = 0; tries < 20 && n < at_least; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    n = count_in(pg_url(), sql);
  }
  return n;
}

std::string server_of(const std::string& url) {
  const std::size_t start = url.find('@') + 1;
  return url.substr(start, url.find('/', start) - start);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fleet)

BOOST_AUTO_TEST_CASE(an_inventory_runs_every_project_of_every_server_and_an_unreachable_one_fails_alone_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string a = database_with_schemas("fleeta", 3);
  // The PgBouncer (another port: another server to runner) leads to the test server's postgres
  // database; its projects there are tenant_* schemas of this test's own.
  const std::string tenant = unique_name("tenant");
  auto probe = DatabaseProbe::postgresql(pg_url(), "public");
  for (int i = 1; i <= 2; ++i) probe->execute("CREATE SCHEMA " + tenant + "_" + std::to_string(i));
  const std::string port = server_of(a).substr(server_of(a).rfind(':') + 1);
  write_file(dir / "conf/fleet.txt",
             "# every server after a deploy\n"
             "postgresql://postgres@127.0.0.1:${FLEET_PORT}/" +
                 database_name(a) +
                 "\n"
                 "\n" +
                 pgbouncer_url() + "session " + tenant +
                 "_*\n"
                 "postgresql://postgres@127.0.0.1:1/gone\n");
  RunResult r = run_runner({"upgrade", "--all-projects", "--databases", "conf/fleet.txt", "--json"}, dir.path(),
                           {{"FLEET_PORT", port}});
  BOOST_TEST(r.exit_code == 1, r.err);
  const auto projects = by_project(r.out);
  BOOST_TEST_REQUIRE(projects.size() == 6u, r.out);
  const std::string bouncer = server_of(pgbouncer_url() + "x");
  for (int i = 1; i <= 3; ++i) {
    const auto& p = projects.at(server_of(a) + " project_" + std::to_string(i));
    BOOST_TEST(p.at("status").get<std::string>() == "ok");
    BOOST_TEST(p.at("migrations").get<int>() == 12);
    BOOST_TEST(versions(a, "project_" + std::to_string(i)).size() == 12u);
  }
  for (int i = 1; i <= 2; ++i) {
    const auto& p = projects.at(bouncer + " " + tenant + "_" + std::to_string(i));
    BOOST_TEST(p.at("status").get<std::string>() == "ok");
    BOOST_TEST(versions(pg_url(), tenant + "_" + std::to_string(i)).size() == 12u);
  }
  const auto& gone = projects.at("127.0.0.1:1 project_*");
  BOOST_TEST(gone.at("status").get<std::string>() == "failed");
  BOOST_TEST(contains(gone.at("error").get<std::string>(), "cannot list the projects (conf/fleet.txt:5)"));
  BOOST_TEST(contains(gone.at("error").get<std::string>(), "Connection refused"));
  BOOST_TEST(gone.at("database").get<std::string>() == "postgresql://postgres@127.0.0.1:1/gone");
  BOOST_TEST(gone.at("exit_code").get<int>() == 1);
  BOOST_TEST(
      contains(r.err, "runner: error: project project_* on 127.0.0.1:1: cannot list the projects (conf/fleet.txt:5)"),
      r.err);

  // The table: each project's server, and a line per server.
  RunResult again =
      run_runner({"upgrade", "--all-projects", "--databases", "conf/fleet.txt"}, dir.path(), {{"FLEET_PORT", port}});
  BOOST_TEST(again.exit_code == 1);
  BOOST_TEST(contains(again.out, "SERVER"), again.out);
  BOOST_TEST(contains(again.out, server_of(a) + ": 3 projects: 3 ok\n"), again.out);
  BOOST_TEST(contains(again.out, bouncer + ": 2 projects: 2 ok\n"), again.out);
  BOOST_TEST(contains(again.out, "127.0.0.1:1: 1 project: 1 failed\n"), again.out);
  BOOST_TEST(contains(again.out, "6 projects: 5 ok, 1 failed, 0 refused; 0 migrations"), again.out);

  // databases = in the config, relative to it; the variable unset is refused naming the line.
  write_file(dir / "conf/runner.ini", "databases = fleet.txt\nsql-dir = ../sql\n");
  RunResult unset = run_runner({"current", "--all-projects", "-c", "conf/runner.ini"}, dir.path());
  BOOST_TEST(unset.exit_code == 2);
  BOOST_TEST(contains(unset.err, "conf/fleet.txt:2: ${FLEET_PORT} is not set in the environment"), unset.err);
  RunResult current =
      run_runner({"current", "--all-projects", "-c", "conf/runner.ini", "--json"}, dir.path(), {{"FLEET_PORT", port}});
  BOOST_TEST(current.exit_code == 1, current.err);
  BOOST_TEST(by_project(current.out).size() == 6u);
}

BOOST_AUTO_TEST_CASE(jobs_per_server_caps_the_projects_running_at_once_on_one_server_pg) {
  TempDir dir;
  const std::string url = database_with_schemas("fleetcap", 8);
  // Each project notes when its migration ran, by the server's clock: how many ran at once is
  // read from the spans (a closed connection's backend may linger a moment in pg_stat_activity,
  // so counting connections there would say more than ran).
  write_file(dir / "sql/0001_span.up.sql",
             "CREATE TABLE span (t0 timestamptz, t1 timestamptz);\n"
             "INSERT INTO span VALUES (clock_timestamp(), NULL);\n"
             "SELECT pg_sleep(0.4);\n"
             "UPDATE span SET t1 = clock_timestamp();\n");
  auto most_at_once = [&] {
    std::string spans;
    for (int i = 1; i <= 8; ++i)
      spans += std::string(i > 1 ? " UNION ALL " : "") + "SELECT t0, t1 FROM project_" + std::to_string(i) + ".span";
    return count_in(url, "WITH s AS (" + spans +
                             ") SELECT max(n) FROM (SELECT (SELECT count(*) FROM s o WHERE o.t0 <= s.t0 AND s.t0 < "
                             "o.t1) AS n FROM s) c");
  };
  RunResult capped =
      run_runner({"upgrade", "--all-projects", "-d", url, "--jobs", "8", "--jobs-per-server", "2"}, dir.path());
  BOOST_TEST_REQUIRE(capped.exit_code == 0, capped.err);
  BOOST_TEST(most_at_once() == 2);
  for (int i = 1; i <= 8; ++i)
    DatabaseProbe::postgresql(url, "public")
        ->execute("DROP SCHEMA project_" + std::to_string(i) + " CASCADE; CREATE SCHEMA project_" + std::to_string(i));
  // Without the cap the same run has more at once: the check above can fail.
  RunResult wide =
      run_runner({"upgrade", "--all-projects", "-d", url, "--jobs", "8", "--jobs-per-server", "8"}, dir.path());
  BOOST_TEST_REQUIRE(wide.exit_code == 0, wide.err);
  BOOST_TEST(most_at_once() > 2);
}

BOOST_AUTO_TEST_CASE(a_run_with_nothing_to_do_reuses_its_connections_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string url = database_with_schemas("fleetreuse", 30);
  BOOST_TEST_REQUIRE(run_runner({"upgrade", "--all-projects", "-d", url, "-q"}, dir.path()).exit_code == 0);
  const long long before = sessions_of(url);
  RunResult noop = run_runner({"upgrade", "--all-projects", "-d", url, "--jobs", "2"}, dir.path());
  BOOST_TEST_REQUIRE(noop.exit_code == 0, noop.err);
  BOOST_TEST(contains(noop.out, "30 projects: 30 ok, 0 failed, 0 refused; 0 migrations"), noop.out);
  // Two workers: two connections (and the count's own), not one per schema.
  const long long after = sessions_of(url, before + 1);
  BOOST_TEST(after - before >= 1);
  BOOST_TEST(after - before <= 4, after - before);
}

BOOST_AUTO_TEST_CASE(a_connection_handed_on_runs_the_next_project_in_its_own_schema_pg) {
  TempDir dir;
  const std::string url = database_with_schemas("fleethand", 6);
  // What a migration leaves on its session (a setting, a temporary table, a prepared statement)
  // must not reach the next project the connection serves: the second project would fail on each.
  write_file(dir / "sql/0001_a.up.sql",
             "DO $$ BEGIN IF current_setting('runner_test.mark', true) = 'leaked' THEN "
             "RAISE EXCEPTION 'a setting leaked'; END IF; END $$;\n"
             "CREATE TABLE a (x int);\n"
             "CREATE TEMP TABLE scratch (y int);\n"
             "PREPARE runner_test_leak AS SELECT 1;\n"
             "SET runner_test.mark = 'leaked';\n");
  // Projects 1 and 2 at head: their connections only read; the others apply.
  for (int i = 1; i <= 2; ++i)
    BOOST_TEST_REQUIRE(
        run_runner({"upgrade", "-q", "-d", url + "?schema=project_" + std::to_string(i)}, dir.path()).exit_code == 0);
  const long long before = sessions_of(url);
  RunResult r = run_runner({"upgrade", "--all-projects", "-d", url, "--jobs", "1"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  // One connection to list the schemas, one for the six projects.
  BOOST_TEST(sessions_of(url, before + 2) - before == 2);
  // Each table in its own project's schema, none in the schema the connection served before.
  for (int i = 1; i <= 6; ++i)
    BOOST_TEST(count_in(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'a' AND schemaname = 'project_" +
                                 std::to_string(i) + "'") == 1);
  BOOST_TEST(count_in(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'a'") == 6);
}

BOOST_AUTO_TEST_CASE(a_failed_canary_stops_the_run_and_max_failures_limits_it) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  for (int n = 1; n <= 8; ++n) {
    const TestDatabase db = sqlite_database(dir, "data/project_" + std::to_string(n) + ".db");
    BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1", "-q"}).exit_code == 0);
  }
  // Project 2 has a table in the way of 0002.
  sqlite_database(dir, "data/project_2.db").probe()->execute("CREATE TABLE tasks (x int)");
  // One at a time: the failure stops even the rest of the wave.
  RunResult canary = run_runner({"upgrade", "--all-projects", "--canary", "3", "--jobs", "1", "--json"}, dir.path());
  BOOST_TEST(canary.exit_code == 1);
  BOOST_TEST(contains(canary.err, "a canary project failed: no further project was started"), canary.err);
  std::map<std::string, std::string> status;
  for (const auto& p : nlohmann::json::parse(canary.out)) {
    status[p.at("project").get<std::string>()] = p.at("status").get<std::string>();
    // Every row names its database; one never started says why.
    BOOST_TEST(contains(p.at("database").get<std::string>(), "project_" + p.at("project").get<std::string>()));
    if (p.at("status").get<std::string>() == "not run")
      BOOST_TEST(p.at("error").get<std::string>() == "a canary project failed");
  }
  BOOST_TEST(status["1"] == "ok");
  BOOST_TEST(status["2"] == "failed");
  for (int n = 3; n <= 8; ++n) {
    BOOST_TEST(status[std::to_string(n)] == "not run");
    BOOST_TEST(history_versions(sqlite_database(dir, "data/project_" + std::to_string(n) + ".db")).size() == 1u);
  }
  // Named canaries that succeed: the rest follow, and only the broken one fails.
  RunResult named = run_runner({"upgrade", "--all-projects", "--canary", "7,8", "--json"}, dir.path());
  BOOST_TEST(named.exit_code == 1);
  std::size_t ok = 0;
  for (const auto& p : nlohmann::json::parse(named.out)) ok += p.at("status").get<std::string>() == "ok";
  BOOST_TEST(ok == 7u);
  BOOST_TEST(
      run_runner({"upgrade", "--all-projects", "--canary", "9,"}, dir.path()).err.find("--canary 9: no such project") !=
      std::string::npos);

  // Four broken, a limit of two, one at a time: two fail and nothing starts after them.
  for (int n : {3, 4, 5}) {
    const TestDatabase db = sqlite_database(dir, "data/project_" + std::to_string(n) + ".db");
    BOOST_TEST_REQUIRE(run(dir, db, {"downgrade", "1", "-q"}).exit_code == 0);
    db.probe()->execute("CREATE TABLE tasks (x int)");
  }
  RunResult limited = run_runner({"upgrade", "--all-projects", "--max-failures", "2", "--jobs", "1"}, dir.path());
  BOOST_TEST(limited.exit_code == 1);
  // Projects 2 to 5 are broken: 1 runs (nothing to do), 2 and 3 fail, 4 to 8 never start.
  BOOST_TEST(contains(limited.out, "8 projects: 1 ok, 2 failed, 0 refused, 5 not run"), limited.out);
  BOOST_TEST(contains(limited.err, "2 projects failed or refused (limit 2): no further project was started"),
             limited.err);
  BOOST_TEST(run_runner({"upgrade", "--all-projects", "--max-failures", "2", "--fail-fast"}, dir.path()).exit_code ==
             2);
}

BOOST_AUTO_TEST_CASE(three_shards_cover_every_project_once_and_a_doubled_shard_changes_nothing_pg) {
  TempDir dir;
  const std::string url = database_with_schemas("fleetshard", 60);
  // Each migration notes itself in a table outside the projects: a migration run twice shows.
  DatabaseProbe::postgresql(url, "public")->execute("CREATE TABLE public.ran (project text, version int)");
  write_file(dir / "sql/0001_a.up.sql",
             "CREATE TABLE a (x int);\nINSERT INTO public.ran VALUES (current_schema(), 1);\n");
  write_file(dir / "sql/0002_b.up.sql",
             "SELECT pg_sleep(0.01);\nINSERT INTO public.ran VALUES (current_schema(), 2);\n");
  std::vector<std::unique_ptr<RunnerProcess>> runners;
  for (const char* shard : {"0/3", "1/3", "2/3", "1/3"})
    runners.push_back(std::make_unique<RunnerProcess>(
        std::vector<std::string>{"upgrade", "--all-projects", "-d", url, "--shard", shard, "--json", "--jobs", "2"},
        dir.path()));
  std::vector<std::set<std::string>> ran(4);  // the projects each process applied migrations to
  std::vector<std::set<std::string>> listed(4);
  for (std::size_t k = 0; k < runners.size(); ++k) {
    RunResult r = runners[k]->wait();
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    for (const auto& p : nlohmann::json::parse(r.out)) {
      listed[k].insert(p.at("project").get<std::string>());
      if (p.at("migrations").get<int>() > 0) ran[k].insert(p.at("project").get<std::string>());
    }
  }
  // Shards 0, 1 and 2 list every project exactly once between them, each a share of them. The
  // shares are the hash's over this run's server (a random port): 60 projects in 3 shards have
  // one of 8 or fewer about once in a thousand runs, one of 4 or fewer about once in ten million.
  std::set<std::string> all;
  for (int k = 0; k < 3; ++k) {
    BOOST_TEST(listed[k].size() > 4u, "shard " << k << ": " << listed[k].size());
    for (const auto& p : listed[k]) BOOST_TEST(all.insert(p).second, p << " in two shards");
  }
  BOOST_TEST(all.size() == 60u);
  BOOST_TEST(listed[3] == listed[1]);
  // Both processes of shard 1 took part, and between them each migration ran once.
  BOOST_TEST(count_in(url, "SELECT count(*) FROM public.ran") == 120);
  BOOST_TEST(count_in(url, "SELECT count(*) FROM (SELECT DISTINCT project, version FROM public.ran) d") == 120);
  for (int i = 1; i <= 60; ++i) BOOST_TEST(versions(url, "project_" + std::to_string(i)).size() == 2u);
}

BOOST_AUTO_TEST_CASE(fleet_options_refuse_what_they_cannot_do) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  write_file(dir / "mixed.txt", "postgresql://h/db\nsqlite:data/project_*.db\n");
  write_file(dir / "pattern.txt", "sqlite:data/project_*.db project_*\n");
  write_file(dir / "files.txt", "sqlite:a/project_*.db\nsqlite:b/project_*.db\n");
  write_file(dir / "schema.txt", "# one schema is not a line's business\npostgresql://h/db?schema=project_3\n");
  write_file(dir / "twice.txt", "sqlite:a/project_*.db\nsqlite:" + (dir / "a").string() + "/project_*.db\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"upgrade", "--databases", "files.txt"}, "--databases goes with --all-projects"},
      {{"upgrade", "--shard", "0/2"}, "--shard goes with --all-projects"},
      {{"upgrade", "--all-projects", "--databases", "mixed.txt"},
       "mixed.txt:2: a sqlite database, where line 1 is postgresql: one inventory lists databases of one dialect"},
      {{"upgrade", "--all-projects", "--databases", "pattern.txt"},
       "pattern.txt:1: a schema pattern goes with a database of schemas"},
      {{"upgrade", "--all-projects", "--databases", "none.txt"}, "--databases none.txt: no such file"},
      {{"upgrade", "--all-projects", "--databases", "files.txt", "-d", "sqlite:x.db"},
       "-d/--database and --databases exclude each other"},
      {{"upgrade", "--all-projects", "--shard", "3/3"}, "shard 3 does not exist"},
      {{"upgrade", "--all-projects", "--jobs-per-server", "0"}, "--jobs-per-server must be between 1 and 256"},
      {{"upgrade", "--all-projects", "--canary", "0"}, "--canary 0: a number of projects from 1"},
      {{"upgrade", "--all-projects", "--jobs", "-1"}, "the argument ('-1') for option '--jobs' is invalid"},
      {{"upgrade", "--atomic", "--no-atomic"}, "--atomic and --no-atomic exclude each other"},
      {{"upgrade", "--all-projects", "--databases", "schema.txt"},
       "schema.txt:2: the URL names one schema, project_3, but a line stands for every project schema"},
      {{"upgrade", "--all-projects", "-d", "postgresql://h/db?schema=project_3"},
       "the URL names one schema, project_3, but --all-projects runs every schema"},
  };
  for (const auto& c : cases) {
    RunResult r = run_runner(c.args, dir.path());
    BOOST_TEST(r.exit_code == 2, c.message << ": " << r.err);
    BOOST_TEST(contains(r.err, c.message), r.err);
  }
  // SQLite globs: one inventory of several folders, each project a file.
  for (const char* folder : {"a", "b"}) {
    const TestDatabase db = sqlite_database(dir, std::string(folder) + "/project_1.db");
    BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1", "-q"}).exit_code == 0);
  }
  RunResult files = run_runner({"upgrade", "--all-projects", "--databases", "files.txt"}, dir.path());
  BOOST_TEST(files.exit_code == 0, files.err);
  BOOST_TEST(contains(files.out, "(files): 2 projects: 2 ok"), files.out);
  BOOST_TEST(history_versions(sqlite_database(dir, "b/project_1.db")).size() == 12u);
  // One file by a relative and an absolute glob: one project, run once.
  RunResult twice = run_runner({"upgrade", "--all-projects", "--databases", "twice.txt"}, dir.path());
  BOOST_TEST(twice.exit_code == 0, twice.err);
  BOOST_TEST(contains(twice.out, "(files): 1 project: 1 ok"), twice.out);
  BOOST_TEST(contains(twice.err, "twice.txt:2: project 1 is listed by an earlier line too"), twice.err);
}

BOOST_AUTO_TEST_SUITE_END()
