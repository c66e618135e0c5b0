// SPDX-License-Identifier: MIT
// Branch merges: validate names a pending migration below the current version, and runner renumber
// moves it to the top (every file of it), never one a checked database applied.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

void migration(const TempDir& dir, const std::string& label) {
  const std::string table = label.substr(label.find('_') + 1);
  write_file(dir / ("sql/" + label + ".up.sql"), "CREATE TABLE " + table + " (x integer);\n");
  write_file(dir / ("sql/" + label + ".down.sql"), "DROP TABLE " + table + ";\n");
}

// 0001 and 0003 applied on `db`; 0002 arrives afterwards, from a branch merged late.
void merged_late(const TempDir& dir, const TestDatabase& db) {
  migration(dir, "0001_a");
  migration(dir, "0003_c");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "-q"}).exit_code == 0);
  migration(dir, "0002_b");
  write_file(dir / "sql/0002_b.up.sqlite.sql", "CREATE TABLE b (x integer, y integer);\n");
}

std::vector<std::string> names(const TempDir& dir) {
  std::vector<std::string> n;
  for (const auto& e : fs::directory_iterator(dir / "sql")) n.push_back(e.path().filename().string());
  std::sort(n.begin(), n.end());
  return n;
}

void renumber_moves_the_late_migration(const TestDatabase& db, const TempDir& dir) {
  merged_late(dir, db);
  RunResult validate = run(dir, db, {"validate"});
  BOOST_TEST(validate.exit_code == 3);
  BOOST_TEST(contains(validate.err, "0002_b"), validate.err);
  BOOST_TEST(contains(validate.err, "runner renumber"), validate.err);

  const std::vector<std::string> before = names(dir);
  RunResult dry = run(dir, db, {"renumber", "--dry-run"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "would move 0002_b -> 0004_b"), dry.out);
  BOOST_TEST(names(dir) == before, boost::test_tools::per_element());

  RunResult moved = run(dir, db, {"renumber"});
  BOOST_TEST_REQUIRE(moved.exit_code == 0, moved.err);
  BOOST_TEST(
      names(dir) == (std::vector<std::string>{"0001_a.down.sql", "0001_a.up.sql", "0003_c.down.sql", "0003_c.up.sql",
                                              "0004_b.down.sql", "0004_b.up.sql", "0004_b.up.sqlite.sql"}),
      boost::test_tools::per_element());
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 0, up.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 3, 4}), boost::test_tools::per_element());

  // Applied now: it keeps its version.
  RunResult refused = run(dir, db, {"renumber", "4"});
  BOOST_TEST(refused.exit_code == 3);
  BOOST_TEST(contains(refused.err, "0004_b is applied on"), refused.err);
  BOOST_TEST(fs::exists(dir / "sql/0004_b.up.sql"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(renumber)

BOOST_AUTO_TEST_CASE(late_branch_found_by_validate_and_moved_sqlite) {
  TempDir dir;
  renumber_moves_the_late_migration(sqlite_database(dir), dir);
}

BOOST_AUTO_TEST_CASE(late_branch_found_by_validate_and_moved_pg) {
  TempDir dir;
  renumber_moves_the_late_migration(pg_database(), dir);
}

BOOST_AUTO_TEST_CASE(all_projects_moves_only_what_no_project_applied) {
  TempDir dir;
  TestDatabase p1 = sqlite_database(dir, "data/project_1.db"), p2 = sqlite_database(dir, "data/project_2.db");
  migration(dir, "0001_a");
  migration(dir, "0004_d");
  BOOST_TEST_REQUIRE(run(dir, p1, {"upgrade", "-q"}).exit_code == 0);
  BOOST_TEST_REQUIRE(run(dir, p2, {"upgrade", "-q"}).exit_code == 0);
  migration(dir, "0002_b");  // merged late, then applied on project 1 only
  BOOST_TEST_REQUIRE(run(dir, p1, {"upgrade", "-q", "--out-of-order"}).exit_code == 0);
  migration(dir, "0003_c");  // merged late: below 4, applied nowhere

  RunResult r = run_runner({"renumber", "--all-projects", "--json"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(j["checked"].size() == 2u);
  BOOST_TEST_REQUIRE(j["renumbered"].size() == 1u);
  BOOST_TEST(j["renumbered"][0]["migration"] == "0003_c");
  BOOST_TEST(j["renumbered"][0]["now"] == "0005_c");
  // 0002_b: applied on project 1, pending on project 2 below its 4: it stays, named.
  BOOST_TEST_REQUIRE(j["left"].size() == 1u);
  BOOST_TEST(contains(j["left"][0].get<std::string>(), "0002_b: applied on"), r.out);
  BOOST_TEST(fs::exists(dir / "sql/0005_c.up.sql"));
  BOOST_TEST(!fs::exists(dir / "sql/0003_c.up.sql"));
}

BOOST_AUTO_TEST_CASE(wrong_requests_rename_nothing) {
  TempDir dir;
  migration(dir, "0001_a");
  migration(dir, "0002_b");
  RunResult none = run_runner({"renumber", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST(none.exit_code == 2);
  BOOST_TEST(contains(none.err, "name the versions to move, or give -d URL or --all-projects"), none.err);
  RunResult unknown = run_runner({"renumber", "7"}, dir.path());  // no database, no dialect: the files suffice
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(contains(unknown.err, "no migration with version 7"), unknown.err);
  RunResult junk = run_runner({"renumber", "b2", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST(junk.exit_code == 2);
  BOOST_TEST(contains(junk.err, "'b2' is not a version"), junk.err);
}

BOOST_AUTO_TEST_SUITE_END()
