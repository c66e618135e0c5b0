// SPDX-License-Identifier: MIT
// --all-projects: every project file or schema brought to head in parallel, failures isolated.
#include "tests/integration/integration_fixture.hpp"
#include "tests/support/catalog_text.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

using namespace runner::test;

namespace {

constexpr int k_projects = 20;

// The projects of one test: SQLite files data/project_N.db in `dir`, or schemas PREFIX_N.
struct Fleet {
  bool pg = false;
  std::string prefix;  // PostgreSQL schema prefix, or MariaDB database prefix
  bool mysql = false;
  TestDatabase project(const TempDir& dir, int n) const {
    if (mysql) {
      TestDatabase db;
      db.mysql_base = mysql_url();
      db.schema = prefix + "_" + std::to_string(n);
      db.url = db.mysql_base.substr(0, db.mysql_base.rfind('/') + 1) + db.schema;
      return db;
    }
    if (!pg) return sqlite_database(dir, "data/project_" + std::to_string(n) + ".db");
    TestDatabase db;
    db.pg_base = pg_url();
    db.schema = prefix + "_" + std::to_string(n);
    db.url = db.pg_base + "?schema=" + db.schema;
    return db;
  }
  std::vector<std::string> args(std::vector<std::string> a) const {
    if (pg) a.insert(a.end(), {"-d", pg_url(), "--schema-pattern", prefix + "_*"});
    // The server's URL, no database in its path: the projects are its databases.
    if (mysql)
      a.insert(a.end(), {"-d", mysql_url().substr(0, mysql_url().rfind('/') + 1), "--schema-pattern", prefix + "_*"});
    return a;
  }
};

Fleet sqlite_fleet() { return {}; }
Fleet pg_fleet() { return {true, unique_name("fleet")}; }
// MySQL's schemas are databases: fleet_N on the test MariaDB.
Fleet mysql_fleet() { return {false, unique_name("fleet"), true}; }

// 20 projects at versions 0..9 (n % 10), the sample migrations in dir/sql.
void mixed_versions(const TempDir& dir, const Fleet& fleet) {
  fs::copy(sample_sql_dir(), dir / "sql");
  for (int n = 1; n <= k_projects; ++n) {
    TestDatabase db = fleet.project(dir, n);
    if (fleet.mysql) DatabaseProbe::mysql(db.mysql_base, "")->execute("CREATE DATABASE " + db.schema);
    BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", std::to_string(n % 10 == 0 ? 1 : n % 10), "-q"}).exit_code == 0);
    if (n % 10 == 0) BOOST_TEST_REQUIRE(run(dir, db, {"downgrade", "base", "-q"}).exit_code == 0);  // exists, at base
  }
}

void all_to_head(const Fleet& fleet) {
  TempDir dir;
  mixed_versions(dir, fleet);
  RunResult r = run_runner(fleet.args({"upgrade", "--all-projects", "--jobs", "4"}), dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "20 projects: 20 ok, 0 failed, 0 refused; 150 migrations"), r.out);
  for (int n = 1; n <= k_projects; ++n)
    BOOST_TEST(history_versions(fleet.project(dir, n)).size() == 12u, "project " << n);

  RunResult current = run_runner(fleet.args({"current", "--all-projects", "--json"}), dir.path());
  BOOST_TEST_REQUIRE(current.exit_code == 0, current.err);
  auto j = nlohmann::json::parse(current.out);
  BOOST_TEST_REQUIRE(j.size() == 20u);
  const std::string first = fleet.pg || fleet.mysql ? fleet.prefix + "_1" : "1";
  BOOST_TEST(j[0].at("project").get<std::string>() == first);  // numeric order: 1, 2, ... 10, not 1, 10, 11
  BOOST_TEST(j[0].at("to").at("version").get<int>() == 12);
  BOOST_TEST(j[0].at("pending").get<int>() == 0);
}

void one_broken_project(const Fleet& fleet) {
  TempDir dir;
  mixed_versions(dir, fleet);
  // Project 5 (at 0005) gets a table in the way of 0008: it applies 0006 and 0007, then fails.
  fleet.project(dir, 5).probe()->execute("CREATE TABLE control_state (x int)");
  RunResult r = run_runner(fleet.args({"upgrade", "--all-projects", "--json"}), dir.path());
  BOOST_TEST(r.exit_code == 1);
  const std::string five = fleet.pg || fleet.mysql ? fleet.prefix + "_5" : "5";
  BOOST_TEST(contains(r.err, "runner: error: project " + five + ": sql/0008_control_state.up.sql:2"), r.err);
  auto j = nlohmann::json::parse(r.out);
  BOOST_TEST_REQUIRE(j.size() == 20u);
  std::size_t ok = 0;
  for (const auto& p : j) {
    if (p.at("project").get<std::string>() != five) {
      ok += p.at("status").get<std::string>() == "ok";
      continue;
    }
    BOOST_TEST(p.at("status").get<std::string>() == "failed");
    BOOST_TEST(p.at("from").at("version").get<int>() == 5);
    BOOST_TEST(p.at("to").at("version").get<int>() == 7);  // what it applied before failing is reported
    BOOST_TEST(p.at("migrations").get<int>() == 2);
  }
  BOOST_TEST(ok == 19u);
  BOOST_TEST(history_versions(fleet.project(dir, 5)).size() == 7u);  // stopped at its last good version
  for (int n : {1, 6, 8, 20}) BOOST_TEST(history_versions(fleet.project(dir, n)).size() == 12u, "project " << n);

  // A changed applied file: every project refuses, with exit 3 when nothing else failed.
  fleet.project(dir, 5).probe()->execute("DROP TABLE control_state");
  write_file(dir / "sql/0001_projects.up.sql", read_file(dir / "sql/0001_projects.up.sql") + "-- edited\n");
  RunResult refused = run_runner(fleet.args({"upgrade", "--all-projects"}), dir.path());
  BOOST_TEST(refused.exit_code == 3);
  BOOST_TEST(contains(refused.out, "0 ok, 0 failed, 20 refused"), refused.out);
  BOOST_TEST(history_versions(fleet.project(dir, 5)).size() == 7u);
}

// Fingerprint of every project: file checksums, or a pg_dump of every project schema (structure
// and rows: a history row or a lock row written would show).
std::string fleet_state(const TempDir& dir, const Fleet& fleet) {
  std::string state;
  if (fleet.mysql) {
    for (int n = 1; n <= k_projects; ++n) {
      const TestDatabase db = fleet.project(dir, n);
      auto probe = db.probe();
      for (const auto& line : mysql_catalog(*probe, db.schema)) state += line + "\n";
      for (const auto& row : probe->rows("SELECT version, checksum FROM runner_history ORDER BY version"))
        state += row[0] + " " + row[1] + "\n";
    }
    return state;
  }
  if (fleet.pg) {
    const fs::path out = dir / "dump.sql";
    const std::string cmd = "pg_dump -n '" + fleet.prefix + "_*' '" + pg_url() +
                            "' | grep -v '^\\\\\\(un\\)\\?restrict' > '" + out.string() + "'";
    BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0);
    state = read_file(out);
    BOOST_TEST_REQUIRE(state.find("runner_history") != std::string::npos);
    return state;
  }
  for (int n = 1; n <= k_projects; ++n) state += file_sha256(fleet.project(dir, n).sqlite_file) + ";";
  return state;
}

void dry_run_changes_nothing(const Fleet& fleet) {
  TempDir dir;
  mixed_versions(dir, fleet);
  const std::string before = fleet_state(dir, fleet);
  RunResult r = run_runner(fleet.args({"upgrade", "--all-projects", "--dry-run"}), dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "150 migrations would run"), r.out);
  BOOST_TEST(contains(r.out, "Nothing was changed."));
  RunResult down = run_runner(fleet.args({"downgrade", "base", "--all-projects", "--dry-run"}), dir.path());
  BOOST_TEST(down.exit_code == 0, down.err);
  BOOST_TEST(fleet_state(dir, fleet) == before);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(all_projects)

BOOST_AUTO_TEST_CASE(twenty_projects_at_mixed_versions_reach_head_sqlite) { all_to_head(sqlite_fleet()); }
BOOST_AUTO_TEST_CASE(twenty_projects_at_mixed_versions_reach_head_pg) { all_to_head(pg_fleet()); }
BOOST_AUTO_TEST_CASE(twenty_projects_at_mixed_versions_reach_head_mysql) { all_to_head(mysql_fleet()); }
BOOST_AUTO_TEST_CASE(a_broken_project_does_not_stop_the_others_mysql) { one_broken_project(mysql_fleet()); }
BOOST_AUTO_TEST_CASE(dry_run_over_all_projects_changes_nothing_mysql) { dry_run_changes_nothing(mysql_fleet()); }

BOOST_AUTO_TEST_CASE(a_broken_project_does_not_stop_the_others_sqlite) { one_broken_project(sqlite_fleet()); }
BOOST_AUTO_TEST_CASE(a_broken_project_does_not_stop_the_others_pg) { one_broken_project(pg_fleet()); }

BOOST_AUTO_TEST_CASE(dry_run_over_all_projects_changes_nothing_sqlite) { dry_run_changes_nothing(sqlite_fleet()); }
BOOST_AUTO_TEST_CASE(dry_run_over_all_projects_changes_nothing_pg) { dry_run_changes_nothing(pg_fleet()); }

BOOST_AUTO_TEST_CASE(schema_names_needing_quotes_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string prefix = unique_name("odd");
  const std::string odd = prefix + "_it's \"odd\"";
  DatabaseProbe::postgresql(pg_url(), "public")->execute("CREATE SCHEMA \"" + prefix + "_it's \"\"odd\"\"\"");
  RunResult r = run_runner({"upgrade", "--all-projects", "-d", pg_url(), "--schema-pattern", prefix + "_*", "--json"},
                           dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto j = nlohmann::json::parse(r.out);
  BOOST_TEST_REQUIRE(j.size() == 1u);
  BOOST_TEST(j[0].at("project").get<std::string>() == odd);
  BOOST_TEST(j[0].at("migrations").get<int>() == 12);
  BOOST_TEST(DatabaseProbe::postgresql(pg_url(), odd)->history().size() == 12u);
}

BOOST_AUTO_TEST_CASE(fail_fast_starts_nothing_after_a_failure) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  for (int n = 1; n <= 5; ++n) write_file(dir / ("data/project_" + std::to_string(n) + ".db"), "");
  DatabaseProbe::sqlite((dir / "data/project_1.db").string())->execute("CREATE TABLE a (x int)");
  RunResult r =
      run_runner({"upgrade", "--all-projects", "--fail-fast", "--jobs", "1", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.out, "5 projects: 0 ok, 1 failed, 0 refused, 4 not run"), r.out);
  RunResult none =
      run_runner({"upgrade", "--all-projects", "--projects", "nothing/*.db", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(none.exit_code == 0);
  BOOST_TEST(contains(none.err, "no project matches 'nothing/*.db'"), none.err);
  BOOST_TEST(run_runner({"new", "x", "--all-projects"}, dir.path()).exit_code == 2);
}

BOOST_AUTO_TEST_SUITE_END()
