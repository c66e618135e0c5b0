// SPDX-License-Identifier: MIT
// The generator's hard cases, each as a DBA meets it: a base migration, a desired schema written by
// hand, then `new --to` (no warning: the command's own shadow check passed), `upgrade`, `diff`
// (nothing left), `test` on the new pair, `downgrade -1` and `drift` (the base back exactly).
// And what the shadows must refuse, or survive: statements reaching outside them, signals.
#include "tests/integration/integration_fixture.hpp"

#include <signal.h>

#include <chrono>
#include <thread>

using namespace runner::test;

namespace {

// base: migration 0001; desired: the schema wanted. Returns the generated up file.
std::string generate_and_apply(const TestDatabase& db, const std::string& base, const std::string& desired) {
  TempDir dir;
  write_file(dir / "sql/0001_base.up.sql", base);
  write_file(dir / "sql/0001_base.down.sql", "-- nothing to undo in a test database\n");
  write_file(dir / "desired.sql", desired);
  const std::vector<std::string> at{"-d", db.url};
  const auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), at.begin(), at.end());
    return a;
  };
  RunResult up = run_runner(with({"upgrade", "-q"}), dir.path());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  RunResult made = run_runner(with({"new", "change", "--to", "desired.sql"}), dir.path());
  BOOST_TEST_REQUIRE(made.exit_code == 0, made.err);
  BOOST_TEST(!contains(made.err, "warning"), made.err);
  const std::string generated = read_file(dir / "sql/0002_change.up.sql");
  RunResult applied = run_runner(with({"upgrade", "-q"}), dir.path());
  BOOST_TEST(applied.exit_code == 0, applied.err + "\n" + generated);
  RunResult same = run_runner(with({"diff", "--to", "desired.sql"}), dir.path());
  BOOST_TEST(same.exit_code == 0, same.out + same.err);
  RunResult trip = run_runner(with({"test", "--from", "2"}), dir.path());
  BOOST_TEST(trip.exit_code == 0, trip.out + trip.err);
  RunResult down = run_runner(with({"downgrade", "-1", "-q"}), dir.path());
  BOOST_TEST(down.exit_code == 0, down.err + "\n" + read_file(dir / "sql/0002_change.down.sql"));
  RunResult drift = run_runner(with({"drift"}), dir.path());
  BOOST_TEST(drift.exit_code == 0, drift.out + drift.err);
  return generated;
}

struct Case {
  const char* name;
  const char* base;
  const char* desired;
  const char* expected;  // in the generated up
  bool postgresql_only;
};

const Case k_cases[] = {
    {"two labels added at the start of an enum",
     "CREATE TYPE s AS ENUM ('c');\nCREATE TABLE t (id bigint PRIMARY KEY, v s);\n",
     "CREATE TYPE s AS ENUM ('a', 'b', 'c');\nCREATE TABLE t (id bigint PRIMARY KEY, v s);\n",
     "ALTER TYPE s ADD VALUE 'b' BEFORE 'c'", false},
    {"two tables dropped, one referencing the other",
     "CREATE TABLE a_parent (id bigint PRIMARY KEY);\n"
     "CREATE TABLE z_child (id bigint PRIMARY KEY, p bigint REFERENCES a_parent (id));\nCREATE TABLE keep (id "
     "bigint);\n",
     "CREATE TABLE keep (id bigint);\n", "DROP TABLE a_parent, z_child", false},
    {"a type and its default changed together",
     "CREATE TABLE t (id bigint PRIMARY KEY, n integer NOT NULL DEFAULT 1);\n",
     "CREATE TABLE t (id bigint PRIMARY KEY, n text NOT NULL DEFAULT 'one');\n", "ALTER COLUMN n DROP DEFAULT", false},
    {"a primary key renamed under a foreign key",
     "CREATE TABLE p (id bigint CONSTRAINT p_pkey PRIMARY KEY);\nCREATE TABLE c (id bigint, p bigint REFERENCES p "
     "(id));\n",
     "CREATE TABLE p (id bigint CONSTRAINT p_key PRIMARY KEY);\nCREATE TABLE c (id bigint, p bigint REFERENCES p "
     "(id));\n",
     "DROP CONSTRAINT c_p_fkey", false},
    {"a column a view reads changes type",
     "CREATE TABLE t (id bigint PRIMARY KEY, n integer);\nCREATE VIEW v AS SELECT id, n FROM t;\n",
     "CREATE TABLE t (id bigint PRIMARY KEY, n bigint);\nCREATE VIEW v AS SELECT id, n FROM t;\n", "DROP VIEW v", true},
    {"a partitioned table and its partition, new", "CREATE TABLE keep (id bigint);\n",
     "CREATE TABLE keep (id bigint);\nCREATE TABLE e (id bigint NOT NULL, k integer NOT NULL) PARTITION BY LIST (k);\n"
     "CREATE TABLE e_1 PARTITION OF e FOR VALUES IN (1);\n",
     "PARTITION OF e", true},
    {"a materialized view and its index, new", "CREATE TABLE t (id bigint PRIMARY KEY);\n",
     "CREATE TABLE t (id bigint PRIMARY KEY);\nCREATE MATERIALIZED VIEW mv AS SELECT id FROM t;\n"
     "CREATE UNIQUE INDEX mv_id ON mv (id);\n",
     "CREATE MATERIALIZED VIEW mv", true},
};

void run_cases(bool pg) {
  for (const auto& c : k_cases) {
    if (c.postgresql_only && !pg) continue;
    BOOST_TEST_CONTEXT(c.name) {
      TempDir dir;
      TestDatabase db = pg ? pg_database("case") : sqlite_database(dir);
      const std::string up = generate_and_apply(db, c.base, c.desired);
      BOOST_TEST(contains(up, c.expected), up);
      if (pg) BOOST_TEST(shadows_left(db.pg_base) == 0);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_diff_cases)

BOOST_AUTO_TEST_CASE(hard_cases_sqlite) { run_cases(false); }
BOOST_AUTO_TEST_CASE(hard_cases_pg) { run_cases(true); }

BOOST_AUTO_TEST_CASE(what_is_not_generated_is_said_pg) {
  TempDir dir;
  TestDatabase db = pg_database("notgen");
  write_file(dir / "sql/0001_base.up.sql",
             "CREATE TABLE e (id bigint NOT NULL, k integer NOT NULL) PARTITION BY LIST (k);\n"
             "CREATE TABLE e_1 PARTITION OF e FOR VALUES IN (1, 2);\n");
  write_file(dir / "desired.sql",
             "CREATE TABLE e (id bigint NOT NULL, k integer NOT NULL) PARTITION BY LIST (k);\n"
             "CREATE TABLE e_1 PARTITION OF e FOR VALUES IN (1, 2, 3);\n");
  RunResult up = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  RunResult diff = run(dir, db, {"diff", "--to", "desired.sql"});
  BOOST_TEST(diff.exit_code == 3, diff.err);
  BOOST_TEST(contains(diff.out, "table e_1: differs (partition_bound:"), diff.out);
  BOOST_TEST(contains(diff.out, "-- not generated (write it by hand): table e_1: partition_bound changes"), diff.out);
  // drift sees a table's own properties too.
  db.probe()->execute("ALTER TABLE " + db.schema + ".e_1 SET (fillfactor = 50)");
  RunResult drift = run(dir, db, {"drift"});
  BOOST_TEST(drift.exit_code == 3, drift.out + drift.err);
  BOOST_TEST(contains(drift.out, "table e_1: differs (options: (none) expected, fillfactor=50 found)"), drift.out);
}

BOOST_AUTO_TEST_CASE(nothing_reaches_outside_a_shadow_schema_pg) {
  TempDir dir;
  TestDatabase db = pg_database("escape");
  const std::string other = unique_name("victim");
  auto probe = DatabaseProbe::postgresql(db.pg_base, "public");
  probe->execute("CREATE SCHEMA " + other + "; CREATE TABLE " + other + ".victim (id integer)");
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (id integer);\n");
  write_file(dir / "sql/0001_t.down.sql", "DROP TABLE t;\n");
  RunResult up = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  // A desired schema altering a table of another schema: refused before it runs.
  write_file(dir / "desired.sql", "CREATE TABLE t (id integer);\nALTER TABLE " + other +
                                      ".victim ADD COLUMN hacked integer;\nCREATE TABLE " + other +
                                      ".leak (id int);\n");
  RunResult diff = run(dir, db, {"diff", "--to", "desired.sql"});
  BOOST_TEST(diff.exit_code == 2, diff.out + diff.err);
  BOOST_TEST(contains(diff.err, "names schema " + other), diff.err);
  // A later migration that moves search_path: test refuses it before the earlier one runs.
  write_file(dir / "sql/0002_sp.up.sql", "SET search_path TO " + other + ";\nCREATE TABLE leak2 (id int);\n");
  write_file(dir / "sql/0002_sp.down.sql", "DROP TABLE leak2;\n");
  RunResult test = run(dir, db, {"test"});
  BOOST_TEST(test.exit_code == 2, test.out + test.err);
  BOOST_TEST(contains(test.err, "changes search_path"), test.err);
  BOOST_TEST(probe->count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + other +
                          "' AND column_name = 'hacked'") == 0);
  BOOST_TEST(probe->count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + other + "'") == 1);
  BOOST_TEST(shadows_left(db.pg_base) == 0);
  // A trigger dropped ON its table names no schema.
  write_file(dir / "sql/0002_sp.up.sql",
             "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
             "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n");
  write_file(dir / "sql/0002_sp.down.sql", "DROP TRIGGER tr ON t;\nDROP FUNCTION f();\n");
  RunResult trigger = run(dir, db, {"test"});
  BOOST_TEST(trigger.exit_code == 0, trigger.out + trigger.err);
}

BOOST_AUTO_TEST_CASE(new_from_db_needs_a_database_at_head_pg) {
  TempDir dir;
  TestDatabase db = pg_database("fromdb");
  fs::copy(sample_sql_dir(), dir / "sql");
  RunResult up = run(dir, db, {"upgrade", "11", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  write_file(dir / "desired.sql", "CREATE TABLE only_this (id bigint);\n");
  RunResult made = run(dir, db, {"new", "capture", "--to", "desired.sql", "--from-db"});
  BOOST_TEST(made.exit_code == 2, made.err);
  BOOST_TEST(contains(made.err, "with 1 migration pending"), made.err);
  BOOST_TEST(!fs::exists(dir / "sql/0013_capture.up.sql"));
}

BOOST_AUTO_TEST_CASE(empty_desired_schema_is_refused) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  write_file(dir / "empty.sql", "-- nothing here\n");
  RunResult r = run_runner({"new", "oops", "--to", "empty.sql", "--dialect", "sqlite"}, dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "builds an empty schema"), r.err);
  BOOST_TEST(!fs::exists(dir / "sql/0013_oops.up.sql"));
}

BOOST_AUTO_TEST_CASE(sigint_during_diff_removes_its_shadows_pg) {
  TempDir dir;
  TestDatabase db = pg_database("diffsig");
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (id integer);\n");
  RunResult up = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  write_file(dir / "slow.sql", "CREATE TABLE q (id int);\nSELECT pg_sleep(600);\n");
  RunnerProcess p({"diff", "--to", "slow.sql", "-d", db.url, "-v"}, dir.path());
  BOOST_TEST_REQUIRE(p.wait_for_stderr("slow.sql"));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  p.send(SIGINT);
  RunResult r = p.wait();
  BOOST_TEST(r.exit_code == 130, r.err);
  BOOST_TEST(shadows_left(db.pg_base) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
