// SPDX-License-Identifier: MIT
// A -- runner:no-transaction migration that fails part-way: recorded as partial statement by
// statement, shown by current and history, refused by upgrade, downgrade and stamp until `resume`
// runs the rest or `repair` records how it ended.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

// 0002 fails at its third statement (line 4) after two that stay applied.
void write_failing_set(const TempDir& dir) {
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);");
  write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;");
  write_file(dir / "sql/0002_nt.up.sql",
             "-- runner:no-transaction\nCREATE TABLE b (id integer);\nCREATE TABLE c (id integer);\n"
             "INSERT INTO missing VALUES (1);\nCREATE TABLE e (id integer);\n");
  write_file(dir / "sql/0002_nt.down.sql", "DROP TABLE e;\nDROP TABLE c;\nDROP TABLE b;");
  write_file(dir / "sql/0003_f.up.sql", "CREATE TABLE f (id integer);");
  write_file(dir / "sql/0003_f.down.sql", "DROP TABLE f;");
}

void fix_failing_statement(const TempDir& dir) {
  write_file(dir / "sql/0002_nt.up.sql",
             "-- runner:no-transaction\nCREATE TABLE b (id integer);\nCREATE TABLE c (id integer);\n"
             "INSERT INTO c VALUES (1);\nCREATE TABLE e (id integer);\n");
}

long long progress_rows(const TestDatabase& db) { return db.probe()->count("SELECT count(*) FROM runner_progress"); }

void fail_part_way(const TempDir& dir, const TestDatabase& db) {
  write_failing_set(dir);
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 1, r.err);
  BOOST_TEST(contains(r.err, "sql/0002_nt.up.sql:4: statement 3 of 4 (line 4) failed"), r.err);
  BOOST_TEST(contains(r.err,
                      "statements 1-2 were applied and stay applied; it is recorded as partial (2 of 4 "
                      "statements applied). Fix the cause, then `runner resume` runs it on from statement 3"),
             r.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
}

void partial_is_shown_and_refused(const TestDatabase& db) {
  TempDir dir;
  fail_part_way(dir, db);

  RunResult history = run(dir, db, {"history"});
  BOOST_TEST(history.exit_code == 0, history.err);
  BOOST_TEST(contains(history.out, "partial (2 of 4)"), history.out);
  BOOST_TEST(contains(history.out,
                      "partial: 0002_nt: stopped part-way upgrading, 2 of 4 statements applied; "
                      "sql/0002_nt.up.sql:4: statement 3 of 4 (line 4) failed: INSERT INTO missing"),
             history.out);
  auto j = nlohmann::json::parse(run(dir, db, {"history", "--json"}).out);
  const auto& row = j["migrations"][1];
  BOOST_TEST(row["state"].get<std::string>() == "partial");
  BOOST_TEST(!row["applied"].get<bool>());
  BOOST_TEST(row["partial"]["applied"].get<int>() == 2);
  BOOST_TEST(row["partial"]["statements"].get<int>() == 4);
  BOOST_TEST(row["partial"]["file"].get<std::string>() == "sql/0002_nt.up.sql");
  BOOST_TEST(row["partial"]["line"].get<int>() == 4);
  BOOST_TEST(contains(row["partial"]["error"].get<std::string>(), "missing"));
  BOOST_TEST(j["migrations"][0]["state"].get<std::string>() == "applied");
  BOOST_TEST(j["migrations"][2]["state"].get<std::string>() == "pending");

  RunResult current = run(dir, db, {"current", "--json"});
  auto c = nlohmann::json::parse(current.out);
  BOOST_TEST(c["version"].get<int>() == 1);
  BOOST_TEST_REQUIRE(c["partial"].size() == 1u);
  BOOST_TEST(c["partial"][0]["applied"].get<int>() == 2);

  // Every command that writes refuses the database, naming it and the ways out; nothing changes.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"upgrade"}, {"upgrade", "--dry-run"}, {"downgrade", "base"}, {"stamp", "head"}}) {
    RunResult r = run(dir, db, args);
    BOOST_TEST(r.exit_code == 3, args[0] << ": " << r.err);
    BOOST_TEST(contains(r.err, "refusing to run on " + db.url), r.err);
    BOOST_TEST(contains(r.err, "migration 0002_nt stopped part-way (2 of 4 statements applied, upgrading"), r.err);
    BOOST_TEST(contains(r.err, "`runner repair 0002 --mark-applied` or `runner repair 0002 --forget`"), r.err);
  }
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  BOOST_TEST(progress_rows(db) == 1);
}

void resume_runs_the_rest(const TestDatabase& db) {
  TempDir dir;
  fail_part_way(dir, db);
  // Still failing: resume fails again at the same statement, the record unchanged.
  RunResult again = run(dir, db, {"resume"});
  BOOST_TEST(again.exit_code == 1, again.err);
  BOOST_TEST(contains(again.err, "sql/0002_nt.up.sql:4: statement 3 of 4"), again.err);
  BOOST_TEST(contains(again.err, "recorded as partial (2 of 4"), again.err);

  fix_failing_statement(dir);
  RunResult dry = run(dir, db, {"resume", "--dry-run"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "(2 statements, without a transaction (-- runner:no-transaction))"), dry.out);
  BOOST_TEST(progress_rows(db) == 1);

  RunResult r = run(dir, db, {"resume"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "applied  0002_nt"), r.out);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c", "e"}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM c") == 1);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(progress_rows(db) == 0);
  // Recorded with the file as it is now: the next run sees no drift and goes on.
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 0, up.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}), boost::test_tools::per_element());
  RunResult nothing = run(dir, db, {"resume"});
  BOOST_TEST(nothing.exit_code == 0);
  BOOST_TEST(contains(nothing.out, "nothing to resume"), nothing.out);
}

void changed_applied_statement_refused(const TestDatabase& db) {
  TempDir dir;
  fail_part_way(dir, db);
  write_file(dir / "sql/0002_nt.up.sql",
             "-- runner:no-transaction\nCREATE TABLE b (id integer);\nCREATE TABLE c (id bigint);\n"
             "INSERT INTO c VALUES (1);\nCREATE TABLE e (id integer);\n");
  RunResult r = run(dir, db, {"resume"});
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(contains(r.err, "sql/0002_nt.up.sql:3: refusing to resume migration 0002_nt"), r.err);
  BOOST_TEST(contains(r.err,
                      "statement 2 of those it ran is not as it ran (statements 1-2 were applied as they "
                      "were then)"),
             r.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  BOOST_TEST(progress_rows(db) == 1);
  // Fewer statements than were applied: said as such.
  write_file(dir / "sql/0002_nt.up.sql", "-- runner:no-transaction\nCREATE TABLE b (id integer);\n");
  RunResult shorter = run(dir, db, {"resume"});
  BOOST_TEST(shorter.exit_code == 3, shorter.err);
  BOOST_TEST(contains(shorter.err, "2 of its statements were applied, but sql/0002_nt.up.sql now has 1"), shorter.err);
  // The file gone: exit 2, named.
  fs::remove(dir / "sql/0002_nt.up.sql");
  fs::remove(dir / "sql/0002_nt.down.sql");
  RunResult gone = run(dir, db, {"resume"});
  BOOST_TEST(gone.exit_code == 2, gone.err);
  BOOST_TEST(contains(gone.err, "its up file is gone"), gone.err);
  // Still shown, file or not; validate refuses as upgrade does.
  RunResult history = run(dir, db, {"history"});
  BOOST_TEST(contains(history.out, "partial: 0002_nt: stopped part-way upgrading, 2 of 4"), history.out);
  RunResult validate = run(dir, db, {"validate"});
  BOOST_TEST(validate.exit_code == 3, validate.out << validate.err);
  BOOST_TEST(contains(validate.out, "upgrade refuses the database until `runner resume` or `runner repair`"),
             validate.out);
  // A row edited by hand is refused, not read loosely.
  db.probe()->execute("UPDATE runner_progress SET applied = 9");
  RunResult edited = run(dir, db, {"history"});
  BOOST_TEST(edited.exit_code == 1, edited.err);
  BOOST_TEST(contains(edited.err,
                      "runner_progress holds a row that is not a runner's (version '2', direction 'up', "
                      "9 of 4 statements)"),
             edited.err);
}

void repair_resolves_by_hand(const TestDatabase& db) {
  TempDir dir;
  fail_part_way(dir, db);
  // Without --yes: says what it would record, records nothing, exit 2.
  RunResult ask = run(dir, db, {"repair", "2", "--mark-applied"});
  BOOST_TEST(ask.exit_code == 2, ask.err);
  BOOST_TEST(contains(ask.out, "would, on " + db.url + ": record 0002_nt as applied in runner_history"), ask.out);
  BOOST_TEST(contains(ask.out, "clear its progress (2 of 4 statements applied, upgrading)"), ask.out);
  BOOST_TEST(contains(ask.out, "add --yes to record it"), ask.out);
  RunResult dry = run(dir, db, {"repair", "2", "--mark-applied", "--dry-run"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(progress_rows(db) == 1);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  // Wrong uses: no mode, both, a version that did not stop part-way.
  BOOST_TEST(run(dir, db, {"repair", "2"}).exit_code == 2);
  RunResult both = run(dir, db, {"repair", "2", "--mark-applied", "--forget", "--yes"});
  BOOST_TEST(both.exit_code == 2);
  BOOST_TEST(contains(both.err, "repair takes one of --mark-applied and --forget, not both"), both.err);
  RunResult not_partial = run(dir, db, {"repair", "1", "--forget", "--yes"});
  BOOST_TEST(not_partial.exit_code == 2);
  BOOST_TEST(contains(not_partial.err, "migration 0001 did not stop part-way"), not_partial.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());

  // The DBA finished it by hand: recorded applied.
  db.probe()->execute("CREATE TABLE e (id integer)");
  RunResult yes = run(dir, db, {"repair", "2", "--mark-applied", "--yes"});
  BOOST_TEST_REQUIRE(yes.exit_code == 0, yes.err);
  BOOST_TEST(contains(yes.out, "repaired " + db.url + ": record 0002_nt as applied"), yes.out);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(progress_rows(db) == 0);
  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}), boost::test_tools::per_element());
}

void repair_forget_then_upgrade_runs_it_whole(const TestDatabase& db) {
  TempDir dir;
  fail_part_way(dir, db);
  // The DBA undid it by hand, fixed the file, and forgets the partial run.
  db.probe()->execute("DROP TABLE c");
  db.probe()->execute("DROP TABLE b");
  fix_failing_statement(dir);
  RunResult forget = run(dir, db, {"repair", "2", "--forget", "--yes", "--json"});
  BOOST_TEST_REQUIRE(forget.exit_code == 0, forget.err);
  auto j = nlohmann::json::parse(forget.out);
  BOOST_TEST(contains(j["change"].get<std::string>(), "leave 0002_nt unrecorded"), forget.out);
  BOOST_TEST(progress_rows(db) == 0);
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 0, up.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM c") == 1);
}

void a_partial_downgrade(const TestDatabase& db) {
  TempDir dir;
  write_failing_set(dir);
  fix_failing_statement(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  // A down file run without a transaction that fails at its second statement.
  write_file(dir / "sql/0003_f.down.sql", "-- runner:no-transaction\nDROP TABLE f;\nDROP TABLE nowhere;\n");
  RunResult down = run(dir, db, {"downgrade", "base"});
  BOOST_TEST(down.exit_code == 1, down.err);
  BOOST_TEST(contains(down.err, "recorded as partial (1 of 2"), down.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}), boost::test_tools::per_element());
  RunResult history = run(dir, db, {"history"});
  BOOST_TEST(contains(history.out, "stopped part-way downgrading, 1 of 2 statements applied"), history.out);
  write_file(dir / "sql/0003_f.down.sql", "-- runner:no-transaction\nDROP TABLE f;\nSELECT 1;\n");
  RunResult resumed = run(dir, db, {"resume"});
  BOOST_TEST(resumed.exit_code == 0, resumed.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(progress_rows(db) == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resume)

BOOST_AUTO_TEST_CASE(all_projects_current_shows_each_partial_migration) {
  TempDir dir;
  write_failing_set(dir);
  fs::create_directories(dir / "data");
  for (int n = 1; n <= 2; ++n)
    BOOST_TEST_REQUIRE(
        run(dir, sqlite_database(dir, "data/project_" + std::to_string(n) + ".db"), {"upgrade", "1"}).exit_code == 0);
  BOOST_TEST(run_runner({"upgrade", "--all-projects"}, dir.path()).exit_code == 1);
  RunResult current = run_runner({"current", "--all-projects"}, dir.path());
  BOOST_TEST(contains(current.out, "(partial: 0002_nt, 2 of 4 statements applied)"), current.out);
  RunResult json = run_runner({"current", "--all-projects", "--json"}, dir.path());
  auto j = nlohmann::json::parse(json.out);
  BOOST_TEST_REQUIRE(j.size() == 2u);
  BOOST_TEST(j[0]["partial"].size() == 1u);
  BOOST_TEST(j[0]["partial"][0]["applied"].get<int>() == 2);
}

BOOST_AUTO_TEST_CASE(a_partial_migration_is_shown_and_refused) {
  TempDir dir;
  partial_is_shown_and_refused(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(resume_runs_the_rest_once_fixed) {
  TempDir dir;
  resume_runs_the_rest(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(resume_refuses_a_changed_applied_statement) {
  TempDir dir;
  changed_applied_statement_refused(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(repair_mark_applied) {
  TempDir dir;
  repair_resolves_by_hand(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(repair_forget) {
  TempDir dir;
  repair_forget_then_upgrade_runs_it_whole(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(a_partial_downgrade_resumes) {
  TempDir dir;
  a_partial_downgrade(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(a_partial_migration_is_shown_and_refused_pg) { partial_is_shown_and_refused(pg_database("rs")); }
BOOST_AUTO_TEST_CASE(resume_runs_the_rest_once_fixed_pg) { resume_runs_the_rest(pg_database("rs")); }
BOOST_AUTO_TEST_CASE(resume_refuses_a_changed_applied_statement_pg) {
  changed_applied_statement_refused(pg_database("rs"));
}
BOOST_AUTO_TEST_CASE(repair_mark_applied_pg) { repair_resolves_by_hand(pg_database("rs")); }
BOOST_AUTO_TEST_CASE(repair_forget_pg) { repair_forget_then_upgrade_runs_it_whole(pg_database("rs")); }
BOOST_AUTO_TEST_CASE(a_partial_downgrade_resumes_pg) { a_partial_downgrade(pg_database("rs")); }

// A migration that SETs its search_path, stopped part-way: resumed, the rest lands where the file
// sent it, not in the target schema the session starts in.
BOOST_AUTO_TEST_CASE(resume_sets_the_search_path_again_pg) {
  TempDir dir;
  TestDatabase db = pg_database("rs");
  const std::string other = unique_name("rs_other");
  const std::string head = "-- runner:no-transaction\nCREATE SCHEMA " + other + ";\nSET search_path TO " + other +
                           ";\nCREATE TABLE t1 (id int);\n";
  write_file(dir / "sql/0001_elsewhere.up.sql", head + "CREATE TABLE broken (;\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code != 0);
  write_file(dir / "sql/0001_elsewhere.up.sql", head + "CREATE TABLE t2 (id int);\n");
  RunResult resume = run(dir, db, {"resume"});
  BOOST_TEST_REQUIRE(resume.exit_code == 0, resume.err);
  BOOST_TEST(DatabaseProbe::postgresql(db.pg_base, other)->tables() == (std::vector<std::string>{"t1", "t2"}),
             boost::test_tools::per_element());
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_SUITE_END()
