// SPDX-License-Identifier: MIT
// The sample migrations up, down, stamped and inspected, on both databases.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

const std::vector<std::string> k_sample_tables = {"approvals", "artifacts", "change_requests", "control_state",
                                                  "projects",  "runs",      "task_versions",   "tasks"};

void full_cycle(const TestDatabase& db) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");

  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(contains(up.out, "applied  0001_projects ("));
  BOOST_TEST(contains(up.out, "now at 0012_artifacts_sha256_required (12 migrations)"));
  BOOST_TEST(db.probe()->tables() == k_sample_tables, boost::test_tools::per_element());

  // Each history row carries the SHA-256 of the up file that ran.
  auto rows = db.probe()->history();
  BOOST_TEST_REQUIRE(rows.size() == 12u);
  BOOST_TEST(rows[0].name == "projects");
  BOOST_TEST(rows[0].checksum == file_sha256(dir / "sql/0001_projects.up.sql"));
  BOOST_TEST(rows[11].checksum == file_sha256(dir / "sql/0012_artifacts_sha256_required.up.sql"));

  // The rules hold: status values are restricted, one control row per project.
  auto probe = db.probe();
  probe->execute("INSERT INTO projects (id, name) VALUES (1, 'p')");
  probe->execute("INSERT INTO tasks (id, project_id, title, status) VALUES (1, 1, 't', 'done')");
  BOOST_CHECK_THROW(probe->execute("INSERT INTO tasks (id, project_id, title, status) VALUES (2, 1, 't', 'bogus')"),
                    std::exception);
  probe->execute("INSERT INTO control_state (id, project_id) VALUES (1, 1)");
  BOOST_CHECK_THROW(probe->execute("INSERT INTO control_state (id, project_id) VALUES (2, 1)"), std::exception);
  probe.reset();

  RunResult json = run(dir, db, {"history", "--json"});
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
  auto j = nlohmann::json::parse(json.out);
  BOOST_TEST(j["current"].get<int>() == 12);
  BOOST_TEST(j["migrations"].size() == 12u);
  BOOST_TEST(j["migrations"][3]["name"].get<std::string>() == "approvals");
  BOOST_TEST(j["migrations"][3]["applied"].get<bool>());
  BOOST_TEST(j["migrations"][3]["checksum"].get<std::string>() == "ok");
  BOOST_TEST(!j["migrations"][3]["applied_at"].get<std::string>().empty());

  RunResult current = run(dir, db, {"current", "--json"});
  BOOST_TEST(nlohmann::json::parse(current.out) ==
             nlohmann::json::parse(R"({"version": 12, "name": "artifacts_sha256_required", "partial": []})"));

  RunResult again = run(dir, db, {"upgrade"});
  BOOST_TEST(again.exit_code == 0);
  BOOST_TEST(contains(again.out, "nothing to do"));

  BOOST_TEST(run(dir, db, {"downgrade", "-1"}).exit_code == 0);
  BOOST_TEST(history_versions(db).size() == 11u);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM tasks") == 1);  // data survives a downgrade

  BOOST_TEST(run(dir, db, {"downgrade", "0005"}).exit_code == 0);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables() ==
                 (std::vector<std::string>{"approvals", "change_requests", "projects", "task_versions", "tasks"}),
             boost::test_tools::per_element());

  RunResult plus = run(dir, db, {"upgrade", "+2"});
  BOOST_TEST(plus.exit_code == 0, plus.err);
  BOOST_TEST(history_versions(db).size() == 7u);

  RunResult base = run(dir, db, {"downgrade", "base"});
  BOOST_TEST_REQUIRE(base.exit_code == 0, base.err);
  BOOST_TEST(contains(base.out, "reverted 0001_projects"));
  BOOST_TEST(db.probe()->tables().empty());
  BOOST_TEST(db.probe()->history().empty());
  RunResult at_base = run(dir, db, {"current"});
  BOOST_TEST(at_base.out == "base\n");
}

// A database built without migrations: stamp records the history and runs no SQL.
void stamp_cycle(const TestDatabase& db) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "0001"}).exit_code == 0);
  db.probe()->execute("DELETE FROM runner_history");  // as if built by hand: projects exists, no history

  RunResult fails = run(dir, db, {"upgrade"});
  BOOST_TEST(fails.exit_code == 1);  // "table already exists": the reason stamp exists
  BOOST_TEST(contains(fails.err, "0001_projects.up.sql:2: statement 1 of 1"), fails.err);

  RunResult stamp = run(dir, db, {"stamp", "0001"});
  BOOST_TEST_REQUIRE(stamp.exit_code == 0, stamp.err);
  BOOST_TEST(contains(stamp.out, "recorded 0001_projects (no SQL run)"));
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->history()[0].checksum == file_sha256(dir / "sql/0001_projects.up.sql"));

  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
  BOOST_TEST(history_versions(db).size() == 12u);

  BOOST_TEST(run(dir, db, {"stamp", "0003"}).exit_code == 0);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables().size() == 8u);  // stamp ran no down file
  BOOST_TEST(run(dir, db, {"stamp", "head"}).exit_code == 0);
  BOOST_TEST(history_versions(db).size() == 12u);
  BOOST_TEST(run(dir, db, {"stamp", "base"}).exit_code == 0);
  BOOST_TEST(db.probe()->history().empty());
  BOOST_TEST(db.probe()->tables().size() == 8u);
  RunResult unknown = run(dir, db, {"stamp", "42"});
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(contains(unknown.err, "no migration with version 42"));
}

// Downgrade refuses before running anything when a migration on the way has no down file.
void irreversible(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x int);");
  write_file(dir / "sql/0003_c.up.sql", "CREATE TABLE c (x int);");
  write_file(dir / "sql/0003_c.down.sql", "DROP TABLE c;");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  RunResult r = run(dir, db, {"downgrade", "base"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "irreversible"), r.err);
  BOOST_TEST(contains(r.err, "0002_b (no down file)"), r.err);
  BOOST_TEST(history_versions(db).size() == 3u);  // not even 0003 was reverted
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  BOOST_TEST(run(dir, db, {"downgrade", "-1"}).exit_code == 0);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lifecycle)

BOOST_AUTO_TEST_CASE(sample_upgrade_inspect_downgrade_sqlite) {
  TempDir dir;
  full_cycle(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(sample_upgrade_inspect_downgrade_pg) { full_cycle(pg_database()); }

BOOST_AUTO_TEST_CASE(stamp_a_database_built_without_migrations_sqlite) {
  TempDir dir;
  stamp_cycle(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(stamp_a_database_built_without_migrations_pg) { stamp_cycle(pg_database()); }

BOOST_AUTO_TEST_CASE(downgrade_stops_before_an_irreversible_migration_sqlite) {
  TempDir dir;
  irreversible(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(downgrade_stops_before_an_irreversible_migration_pg) { irreversible(pg_database()); }

BOOST_AUTO_TEST_SUITE_END()
