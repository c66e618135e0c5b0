// SPDX-License-Identifier: MIT
// runner test as a DBA uses it before committing a migration: every round trip of the sample
// holds on both databases; a down that leaves a column or an index behind is named, with the
// difference and exit 1; a migration without a down is reported as irreversible; the database
// itself is never touched, and the shadow is gone afterwards.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;
using nlohmann::json;

namespace {

// 0001 and 0003 round-trip; 0002's down forgets the index its up made; 0004 has no down.
void write_set(const TempDir& dir) {
  write_file(dir / "sql/0001_tasks.up.sql", "CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL);\n");
  write_file(dir / "sql/0001_tasks.down.sql", "DROP TABLE tasks;\n");
  write_file(dir / "sql/0002_priority.up.sql",
             "ALTER TABLE tasks ADD COLUMN priority integer NOT NULL DEFAULT 0;\n"
             "CREATE INDEX tasks_priority_idx ON tasks (priority);\n");
  write_file(dir / "sql/0002_priority.down.sql", "DROP INDEX tasks_priority_idx;\n");
  write_file(dir / "sql/0003_notes.up.sql", "CREATE TABLE notes (id bigint PRIMARY KEY);\n");
  write_file(dir / "sql/0003_notes.down.sql", "DROP TABLE notes;\n");
}

void round_trips(const TestDatabase* db, const std::vector<std::string>& dialect_args) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  std::vector<std::string> args{"test"};
  args.insert(args.end(), dialect_args.begin(), dialect_args.end());
  if (db != nullptr) args.insert(args.end(), {"-d", db->url});
  RunResult r = run_runner(args, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err + r.out);
  BOOST_TEST(contains(r.out, "12 migrations' round trip held"), r.out);
  if (db != nullptr) {
    BOOST_TEST(never_created(*db));  // the database named lends its server, nothing else
    BOOST_TEST(shadows_left(db->pg_base) == 0);
  }
}

void finds_what_a_down_leaves_behind(const TestDatabase* db, const std::vector<std::string>& dialect_args) {
  TempDir dir;
  write_set(dir);
  std::vector<std::string> args{"test"};
  args.insert(args.end(), dialect_args.begin(), dialect_args.end());
  if (db != nullptr) args.insert(args.end(), {"-d", db->url});
  RunResult r = run_runner(args, dir.path());
  BOOST_TEST(r.exit_code == 1, r.err + r.out);
  BOOST_TEST(contains(r.out, "0002_priority: its down does not give back the schema before its up:\n"), r.out);
  BOOST_TEST(contains(r.out, "  table tasks: column priority extra\n"), r.out);
  BOOST_TEST(contains(r.out, "1 migration's round trip held, then 0002_priority did not"), r.out);

  std::vector<std::string> j = args;
  j.push_back("--json");
  RunResult jr = run_runner(j, dir.path());
  BOOST_TEST(jr.exit_code == 1);
  const json report = json::parse(jr.out);
  BOOST_TEST(report.at("passed") == false);
  BOOST_TEST(report.at("checked") == 1);
  BOOST_TEST(report.at("failure").at("version") == 2);
  BOOST_TEST(report.at("failure").at("phase") == "down");
  BOOST_TEST(report.at("failure").at("differences").size() == 1u);

  // Fixed: the test goes on, and an irreversible migration is said, not failed.
  write_file(dir / "sql/0002_priority.down.sql",
             "DROP INDEX tasks_priority_idx;\nALTER TABLE tasks DROP COLUMN priority;\n");
  write_file(dir / "sql/0004_seal.up.sql", "CREATE TABLE sealed (id bigint);\n");
  RunResult fixed = run_runner(args, dir.path());
  BOOST_TEST(fixed.exit_code == 0, fixed.err + fixed.out);
  BOOST_TEST(contains(fixed.out, "0004_seal: irreversible (no down file): applied, not checked"), fixed.out);
  BOOST_TEST(contains(fixed.out, "3 migrations' round trip held, 1 irreversible"), fixed.out);

  // --from/--to: only those are checked.
  std::vector<std::string> some = args;
  some.insert(some.end(), {"--from", "2", "--to", "2"});
  RunResult part = run_runner(some, dir.path());
  BOOST_TEST(part.exit_code == 0, part.err + part.out);
  BOOST_TEST(contains(part.out, "1 migration's round trip held"), part.out);
  std::vector<std::string> bad = args;
  bad.insert(bad.end(), {"--from", "9"});
  RunResult nine = run_runner(bad, dir.path());
  BOOST_TEST(nine.exit_code == 2);
  BOOST_TEST(contains(nine.err, "--from 9: no migration has that version"), nine.err);
  if (db != nullptr) BOOST_TEST(shadows_left(db->pg_base) == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(migration_test)

BOOST_AUTO_TEST_CASE(the_sample_round_trips_without_a_database_sqlite) {
  round_trips(nullptr, {"--dialect", "sqlite"});
}

BOOST_AUTO_TEST_CASE(the_sample_round_trips_beside_the_database_pg) {
  TestDatabase db = pg_database("rt");
  round_trips(&db, {});
}

BOOST_AUTO_TEST_CASE(a_down_leaving_a_column_is_named_sqlite) {
  finds_what_a_down_leaves_behind(nullptr, {"--dialect", "sqlite"});
}

BOOST_AUTO_TEST_CASE(a_down_leaving_a_column_is_named_pg) {
  TestDatabase db = pg_database("rt");
  finds_what_a_down_leaves_behind(&db, {});
}

BOOST_AUTO_TEST_CASE(a_failing_statement_names_its_file_and_line) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);\n");
  write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;\nDROP TABLE nothere;\n");
  RunResult r = run_runner({"test", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "sql/0001_a.down.sql"), r.err);
  BOOST_TEST(contains(r.err, "nothere"), r.err);
}

BOOST_AUTO_TEST_CASE(a_scratch_database_for_sets_that_make_their_own_schemas_pg) {
  TempDir dir;
  write_file(dir / "sql/0001_api.up.sql",
             "CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE SCHEMA api;\n"
             "CREATE TABLE api.keys (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n");
  write_file(dir / "sql/0001_api.down.sql", "DROP TABLE api.keys;\nDROP SCHEMA api;\n");
  TestDatabase db = pg_database("rtwide");
  RunResult refused = run_runner({"test", "-d", db.url}, dir.path());
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(contains(refused.err, "--shadow-url"), refused.err);
  // The down leaves pgcrypto behind: the scratch database shows it.
  RunResult r =
      run_runner({"test", "--dialect", "postgresql", "--shadow-url", pg_url(), "--schema", "public,api"}, dir.path());
  BOOST_TEST(r.exit_code == 1, r.err + r.out);
  BOOST_TEST(contains(r.out, "extension public.pgcrypto: extra"), r.out);
  BOOST_TEST(shadows_left(pg_url()) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
