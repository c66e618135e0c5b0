// SPDX-License-Identifier: MIT
// runner diff --to and new NAME --to as a DBA uses them: the desired schema (a dump of a database
// changed in every way the generator knows) against the sample's head; the generated pair, checked
// on a shadow by the command itself, applied for real: its up gives the desired schema (diff then
// finds no difference), its round trip holds (test), its down gives the head back (drift finds
// nothing). On SQLite and PostgreSQL.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

// Every kind of change the generator writes, in runner's portable DDL.
const char* const k_changes =
    "CREATE TYPE priority_level AS ENUM ('low', 'high');\n"
    "ALTER TYPE task_status ADD VALUE 'review' BEFORE 'blocked';\n"
    "ALTER TYPE run_status DROP VALUE 'timed_out';\n"
    "CREATE TABLE labels (id bigint PRIMARY KEY, task_id bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,\n"
    "  name text NOT NULL, level priority_level NOT NULL DEFAULT 'low');\n"
    "CREATE INDEX labels_task_id_idx ON labels (task_id);\n"
    "ALTER TABLE tasks ADD COLUMN priority integer NOT NULL DEFAULT 0;\n"
    "ALTER TABLE tasks ALTER COLUMN title TYPE varchar(200);\n"
    "ALTER TABLE runs ALTER COLUMN attempt SET DEFAULT 3;\n"
    "ALTER TABLE runs ADD CONSTRAINT runs_attempt_check CHECK (attempt > 0);\n"
    "ALTER TABLE control_state ALTER COLUMN mode DROP NOT NULL;\n"
    "ALTER TABLE artifacts DROP COLUMN sha256;\n"
    "ALTER TABLE artifacts ADD COLUMN checksum text NOT NULL DEFAULT '';\n"
    "DROP INDEX runs_status_idx;\n"
    "DROP TABLE task_versions;\n"
    "CREATE VIEW open_tasks AS SELECT id, title FROM tasks WHERE status <> 'done';\n";

// desired.sql: the dump of a database the sample and k_changes built.
void write_desired(const TempDir& dir, const TestDatabase& scratch) {
  fs::copy(sample_sql_dir(), dir / "desired_sql");
  write_file(dir / "desired_sql/0013_changes.up.sql", k_changes);
  RunResult up = run(dir, scratch, {"upgrade", "-q"}, (dir / "desired_sql").string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  RunResult dump = run_runner({"dump", "-d", scratch.url, "-o", "desired.sql"}, dir.path());
  BOOST_TEST_REQUIRE(dump.exit_code == 0, dump.err);
}

void generated_pair_round_trips(const TestDatabase& scratch, const TestDatabase& db,
                                const std::vector<std::string>& where) {
  TempDir dir;
  write_desired(dir, scratch);
  fs::copy(sample_sql_dir(), dir / "sql");
  const auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), where.begin(), where.end());
    return a;
  };

  RunResult diff = run_runner(with({"diff", "--to", "desired.sql"}), dir.path());
  BOOST_TEST(diff.exit_code == 3, diff.err);
  for (const char* expected :
       {"--   table labels: missing", "--   table tasks: column priority missing", "--   view open_tasks: missing",
        "--   index runs_status_idx: extra", "--   table task_versions: extra", "--   enum priority_level: missing"})
    BOOST_TEST(contains(diff.out, expected), expected);
  BOOST_TEST(contains(diff.out, "ALTER TYPE task_status ADD VALUE 'review' BEFORE 'blocked';"), diff.out);
  BOOST_TEST(contains(diff.out, "ALTER TYPE run_status DROP VALUE 'timed_out';"), diff.out);
  BOOST_TEST(contains(diff.out, "-- destructive: drops task_versions and all their rows\nDROP TABLE task_versions;"),
             diff.out);
  BOOST_TEST(contains(diff.out,
                      "-- if sha256 became checksum, write instead: ALTER TABLE artifacts RENAME COLUMN "
                      "sha256 TO checksum"),
             diff.out);
  BOOST_TEST(contains(diff.out, "ALTER TABLE runs ADD CONSTRAINT runs_attempt_check CHECK"), diff.out);
  BOOST_TEST(contains(diff.out, "ALTER TABLE runs ALTER COLUMN attempt SET DEFAULT 3;"), diff.out);
  BOOST_TEST(contains(diff.out, "ALTER TABLE control_state ALTER COLUMN mode DROP NOT NULL;"), diff.out);
  // The command ran its statements on a shadow: nothing it says it did not reach.
  BOOST_TEST(!contains(diff.err, "warning"), diff.err);

  RunResult made = run_runner(with({"new", "changes", "--to", "desired.sql"}), dir.path());
  BOOST_TEST_REQUIRE(made.exit_code == 0, made.err);
  BOOST_TEST(contains(made.out, "sql/0013_changes.up.sql"), made.out);
  const std::string up = read_file(dir / "sql/0013_changes.up.sql");
  BOOST_TEST(contains(up, "generated"), up);
  BOOST_TEST(contains(up, "Checked on a shadow"), up);
  BOOST_TEST(contains(read_file(dir / "sql/0013_changes.down.sql"), "CREATE TABLE"));  // task_versions again

  RunResult upgraded = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(upgraded.exit_code == 0, upgraded.err);
  RunResult same = run_runner(with({"diff", "--to", "desired.sql"}), dir.path());
  BOOST_TEST(same.exit_code == 0, same.err + same.out);
  BOOST_TEST(contains(same.out, "no difference"), same.out);
  RunResult nothing = run_runner(with({"new", "again", "--to", "desired.sql"}), dir.path());
  BOOST_TEST(nothing.exit_code == 0);
  BOOST_TEST(contains(nothing.out, "nothing to generate"), nothing.out);
  BOOST_TEST(!fs::exists(dir / "sql/0014_again.up.sql"));
  RunResult round_trip = run_runner(with({"test", "--from", "13"}), dir.path());
  BOOST_TEST(round_trip.exit_code == 0, round_trip.err + round_trip.out);
  RunResult down = run(dir, db, {"downgrade", "-1", "-q"});
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  RunResult drift = run(dir, db, {"drift"});
  BOOST_TEST(drift.exit_code == 0, drift.out + drift.err);

  // --from-db: from the database as it is (changed by hand) to the desired schema.
  db.probe()->execute(std::string("ALTER TABLE ") + (db.schema.empty() ? "" : db.schema + ".") +
                      "projects ADD COLUMN archived boolean");
  std::vector<std::string> from_live{"diff", "--to", "desired.sql", "--from-db"};
  if (where.front() != "-d") from_live.insert(from_live.end(), {"-d", db.url});
  RunResult live = run_runner(with(from_live), dir.path());
  BOOST_TEST(live.exit_code == 3, live.err);
  BOOST_TEST(contains(live.out, "-- from the database "), live.out);
  BOOST_TEST(contains(live.out, "ALTER TABLE projects DROP COLUMN archived;"), live.out);
  BOOST_TEST(!contains(live.err, "warning"), live.err);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_diff)

BOOST_AUTO_TEST_CASE(generated_pair_round_trips_sqlite) {
  TempDir scratch_dir, dir;
  TestDatabase scratch = sqlite_database(scratch_dir, "desired.db");
  TestDatabase db = sqlite_database(dir, "live.db");
  generated_pair_round_trips(scratch, db, {"--dialect", "sqlite"});
}

BOOST_AUTO_TEST_CASE(generated_pair_round_trips_pg) {
  TestDatabase scratch = pg_database("desired");
  TestDatabase db = pg_database("difflive");
  // The shadows are schemas beside the configured database.
  generated_pair_round_trips(scratch, db, {"-d", db.url});
}

BOOST_AUTO_TEST_CASE(usage_errors) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  RunResult no_to = run_runner({"diff", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST(no_to.exit_code == 2);
  BOOST_TEST(contains(no_to.err, "--to FILE"), no_to.err);
  RunResult missing = run_runner({"diff", "--dialect", "sqlite", "--to", "nothere.sql"}, dir.path());
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(contains(missing.err, "--to nothere.sql: no such file"), missing.err);
  RunResult from_db =
      run_runner({"diff", "--dialect", "sqlite", "--to", "sql/0001_projects.up.sql", "--from-db"}, dir.path());
  BOOST_TEST(from_db.exit_code == 2);
  BOOST_TEST(contains(from_db.err, "--from-db needs a database"), from_db.err);
  write_file(dir / "broken.sql", "CREATE TABLE x (id integer);\nCREATE TABLE x (id integer);\n");
  RunResult broken = run_runner({"diff", "--dialect", "sqlite", "--to", "broken.sql"}, dir.path());
  BOOST_TEST(broken.exit_code == 1);
  BOOST_TEST(contains(broken.err, "broken.sql"), broken.err);
  RunResult bare = run_runner({"new", "x", "--from-db"}, dir.path());
  BOOST_TEST(bare.exit_code == 2);
  BOOST_TEST(!fs::exists(dir / "sql/0013_x.up.sql"));
}

BOOST_AUTO_TEST_SUITE_END()
