// SPDX-License-Identifier: MIT
// runner drift as a DBA uses it: a database at head matches what its migrations build; a change
// made by hand (a column, an index, a default, a dropped foreign key) is named object by object
// with exit 3, also for one project among several; the shadow is gone afterwards, also after a
// failure or SIGINT; what cannot be replayed beside the live schema is refused, naming --shadow-url.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

using namespace runner::test;
using nlohmann::json;

namespace {

void upgrade_sample(const TempDir& dir, const TestDatabase& db) {
  RunResult up = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
}

// The hand changes of a hot-fix: a column and an index added, an index dropped.
void hot_fix(const TestDatabase& db, const std::string& q) {
  auto p = db.probe();
  p->execute("ALTER TABLE " + q + "tasks ADD COLUMN priority integer");
  p->execute("CREATE INDEX hot_idx ON " + q + "tasks (title)");
  p->execute("DROP INDEX " + q + "runs_task_id_idx");
}

void drift_names_each_hand_change(const TestDatabase& db, const std::string& qualifier) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  upgrade_sample(dir, db);
  RunResult clean = run(dir, db, {"drift"});
  BOOST_TEST(clean.exit_code == 0, clean.err);
  BOOST_TEST(contains(clean.out, "no drift: "), clean.out);
  BOOST_TEST(contains(clean.out, "its 12 applied migrations build (at 0012_artifacts_sha256_required)"), clean.out);

  hot_fix(db, qualifier);
  RunResult drifted = run(dir, db, {"drift"});
  BOOST_TEST(drifted.exit_code == 3, drifted.err);
  BOOST_TEST(contains(drifted.out, "table tasks: column priority extra\n"), drifted.out);
  BOOST_TEST(contains(drifted.out, "index hot_idx: extra\n"), drifted.out);
  BOOST_TEST(contains(drifted.out, "index runs_task_id_idx: missing\n"), drifted.out);
  BOOST_TEST(contains(drifted.out, "3 differences between"), drifted.out);

  RunResult j = run(dir, db, {"drift", "--json"});
  BOOST_TEST(j.exit_code == 3);
  const json report = json::parse(j.out);
  BOOST_TEST(report.at("drift") == true);
  BOOST_TEST(report.at("replayed") == 12);
  BOOST_TEST(report.at("pending") == 0);
  BOOST_TEST(report.at("differences").size() == 3u);
  bool priority = false;
  for (const auto& d : report.at("differences"))
    priority = priority || (d.at("kind") == "extra" && d.at("object") == "column" && d.at("name") == "priority" &&
                            d.at("table") == "tasks");
  BOOST_TEST(priority, j.out);
  // drift reads only: the history is as it was.
  BOOST_TEST(history_versions(db).size() == 12u);
}

void one_project_of_three_drifted(bool pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string prefix = unique_name("drift");
  std::vector<TestDatabase> projects;
  for (int n = 1; n <= 3; ++n) {
    TestDatabase db;
    if (pg) {
      db.pg_base = pg_url();
      db.schema = prefix + "_" + std::to_string(n);
      db.url = db.pg_base + "?schema=" + db.schema;
    } else {
      db = sqlite_database(dir, "data/project_" + std::to_string(n) + ".db");
    }
    upgrade_sample(dir, db);
    projects.push_back(db);
  }
  // A default changed and a foreign key dropped by hand in project 2 only.
  auto p = projects[1].probe();
  const std::string q = pg ? projects[1].schema + "." : "";
  if (pg) {
    p->execute("ALTER TABLE " + q + "runs ALTER COLUMN attempt SET DEFAULT 2");
    p->execute("ALTER TABLE " + q + "tasks DROP CONSTRAINT tasks_project_id_fkey");
  } else {
    p->execute("ALTER TABLE tasks ADD COLUMN priority integer");
  }
  std::vector<std::string> args{"drift", "--all-projects"};
  if (pg) args.insert(args.end(), {"-d", pg_url(), "--schema-pattern", prefix + "_*"});
  RunResult r = run_runner(args, dir.path());
  BOOST_TEST(r.exit_code == 3, r.err);
  const std::string p2 = pg ? prefix + "_2" : "2";
  BOOST_TEST(contains(r.out, "drift: " + std::string(pg ? "2 differences" : "1 difference")), r.out);
  BOOST_TEST(contains(r.out, "3 projects: 2 ok, 0 failed, 0 refused, 1 drifted"), r.out);
  if (pg) {
    BOOST_TEST(contains(r.out, "project " + p2 + ": table runs: column attempt differs (default: 1 expected, 2 found)"),
               r.out);
    BOOST_TEST(contains(r.out, "project " + p2 + ": table tasks: constraint tasks_project_id_fkey missing"), r.out);
    BOOST_TEST(shadows_left(pg_url()) == 0);
  } else {
    BOOST_TEST(contains(r.out, "project " + p2 + ": table tasks: column priority extra"), r.out);
  }
  args.push_back("--json");
  RunResult j = run_runner(args, dir.path());
  BOOST_TEST(j.exit_code == 3);
  for (const auto& project : json::parse(j.out)) {
    const bool second = project.at("project") == p2;
    BOOST_TEST(project.at("status") == (second ? "drift" : "ok"));
    BOOST_TEST(project.at("differences").size() == (second ? (pg ? 2u : 1u) : 0u));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_drift)

BOOST_AUTO_TEST_CASE(drift_names_each_hand_change_sqlite) {
  TempDir dir;
  drift_names_each_hand_change(sqlite_database(dir), "");
}

BOOST_AUTO_TEST_CASE(drift_names_each_hand_change_pg) {
  TestDatabase db = pg_database("drift");
  drift_names_each_hand_change(db, db.schema + ".");
  BOOST_TEST(shadows_left(db.pg_base) == 0);
  TempDir dir;
  RunResult none = run_runner({"drift", "-d", db.pg_base + "?schema=" + unique_name("none")}, dir.path());
  BOOST_TEST(none.exit_code == 2);
  BOOST_TEST(contains(none.err, "does not exist"), none.err);
}

BOOST_AUTO_TEST_CASE(one_project_of_three_changed_by_hand_sqlite) { one_project_of_three_drifted(false); }
BOOST_AUTO_TEST_CASE(one_project_of_three_changed_by_hand_pg) { one_project_of_three_drifted(true); }

BOOST_AUTO_TEST_CASE(what_the_files_cannot_say_is_refused) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);\n");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (id integer);\n");
  upgrade_sample(dir, db);
  // A file edited since it ran: the shadow is built from it as it is now, and the note says so.
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (id integer, extra text);\n");
  RunResult changed = run(dir, db, {"drift"});
  BOOST_TEST(changed.exit_code == 3);
  BOOST_TEST(contains(changed.out, "table b: column extra missing"), changed.out);
  BOOST_TEST(contains(changed.out, "note: 0002_b: file changed since it was applied"), changed.out);
  fs::remove(dir / "sql/0002_b.up.sql");
  RunResult missing = run(dir, db, {"drift"});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(contains(missing.err, "applied migration 0002_b has no file"), missing.err);
  RunResult no_db = run_runner({"drift", "-d", "sqlite:" + (dir / "none.db").string()}, dir.path());
  BOOST_TEST(no_db.exit_code == 2);
  BOOST_TEST(!fs::exists(dir / "none.db"));
  RunResult url = run(dir, db, {"drift", "--shadow-url", "sqlite::memory:"});
  BOOST_TEST(url.exit_code == 2);
  BOOST_TEST(contains(url.err, "builds its shadow in memory"), url.err);
}

BOOST_AUTO_TEST_CASE(migrations_reaching_outside_their_schema_need_a_shadow_url_pg) {
  TempDir dir;
  TestDatabase db = pg_own_database("driftwide");
  write_file(dir / "sql/0001_api.up.sql",
             "CREATE SCHEMA IF NOT EXISTS api;\nCREATE TABLE api.accounts (id bigint PRIMARY KEY);\n");
  write_file(dir / "sql/0002_local.up.sql", "CREATE TABLE notes (id bigint PRIMARY KEY);\n");
  upgrade_sample(dir, db);
  RunResult refused = run(dir, db, {"drift"});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(contains(refused.err, "sql/0001_api.up.sql:1: names schema api"), refused.err);
  BOOST_TEST(contains(refused.err, "--shadow-url"), refused.err);
  BOOST_TEST(shadows_left(pg_url()) == 0);
  // In a scratch database of its own, created and dropped on the server.
  RunResult whole = run(dir, db, {"drift", "--shadow-url", pg_url(), "--schema", "public,api"});
  BOOST_TEST(whole.exit_code == 0, whole.err + whole.out);
  DatabaseProbe::postgresql(db.pg_base, "api")->execute("ALTER TABLE api.accounts ADD COLUMN name text");
  RunResult drifted = run(dir, db, {"drift", "--shadow-url", pg_url(), "--schema", "public,api"});
  BOOST_TEST(drifted.exit_code == 3, drifted.err);
  BOOST_TEST(contains(drifted.out, "table api.accounts: column name extra"), drifted.out);
  BOOST_TEST(shadows_left(pg_url()) == 0);
}

BOOST_AUTO_TEST_CASE(sigint_while_the_shadow_is_built_removes_it_pg) {
  TempDir dir;
  TestDatabase db = pg_database("driftsig");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);\n");
  upgrade_sample(dir, db);
  // The file now sleeps: the replay into the shadow is where SIGINT finds the run.
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);\nSELECT pg_sleep(600);\n");
  RunnerProcess p({"drift", "-d", db.url, "-v"}, dir.path());
  BOOST_TEST_REQUIRE(p.wait_for_stderr("applying sql/0001_a.up.sql"));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  BOOST_TEST(shadows_left(db.pg_base) == 1);
  p.send(SIGINT);
  RunResult r = p.wait();
  BOOST_TEST(r.exit_code == 130, r.err);
  BOOST_TEST(shadows_left(db.pg_base) == 0);
  BOOST_TEST(history_versions(db).size() == 1u);
}

BOOST_AUTO_TEST_CASE(sqlite_tables_in_sqlites_own_dialect_are_compared_whole) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_c.up.sql",
             "CREATE TABLE c (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER CHECK (n > 0));\n");
  upgrade_sample(dir, db);
  db.probe()->execute("DROP TABLE c");
  db.probe()->execute("CREATE TABLE c (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER CHECK (n > 1000000))");
  RunResult r = run(dir, db, {"drift"});
  BOOST_TEST(r.exit_code == 3, r.out + r.err);
  BOOST_TEST(contains(r.out, "table c: differs (definition:"), r.out);
}

BOOST_AUTO_TEST_CASE(what_a_shadow_schema_cannot_hold_is_refused_pg) {
  for (const char* statement :
       {"DO $$ BEGIN EXECUTE 'SELECT 1'; END $$;", "ALTER ROLE CURRENT_USER SET work_mem = '5MB';",
        "ALTER DATABASE postgres SET work_mem = '6MB';", "RESET search_path;",
        "CREATE CAST (text AS box) WITH INOUT;"}) {
    BOOST_TEST_CONTEXT(statement) {
      TempDir dir;
      TestDatabase db = pg_database("refuse");
      write_file(dir / "sql/0001_a.up.sql", std::string("CREATE TABLE a (id integer);\n") + statement + "\n");
      // Recorded as applied without running: drift replays it all the same.
      RunResult stamp = run(dir, db, {"stamp", "1", "-q"});
      BOOST_TEST_REQUIRE(stamp.exit_code == 0, stamp.err);
      RunResult r = run(dir, db, {"drift"});
      BOOST_TEST(r.exit_code == 2, r.out + r.err);
      BOOST_TEST(contains(r.err, "--shadow-url"), r.err);
      BOOST_TEST(shadows_left(db.pg_base) == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_schema_on_one_side_only_is_drift_pg) {
  TempDir dir;
  TestDatabase db = pg_own_database("oneside");
  write_file(dir / "sql/0001_api.up.sql", "CREATE SCHEMA api;\nCREATE TABLE api.accounts (id int PRIMARY KEY);\n");
  upgrade_sample(dir, db);
  DatabaseProbe::postgresql(db.pg_base, "public")->execute("DROP SCHEMA api CASCADE");
  RunResult r = run(dir, db, {"drift", "--shadow-url", pg_url(), "--schema", "public,api"});
  BOOST_TEST(r.exit_code == 3, r.out + r.err);
  BOOST_TEST(contains(r.out, "schema api: missing"), r.out);
  RunResult twice = run(dir, db, {"drift", "--shadow-url", pg_url(), "--schema", "public,public"});
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(contains(twice.err, "names public twice"), twice.err);
  RunResult empty = run(dir, db, {"drift", "--shadow-url", ""});
  BOOST_TEST(empty.exit_code == 2);
  BOOST_TEST(shadows_left(pg_url()) == 0);
}

BOOST_AUTO_TEST_CASE(identity_options_and_disabled_triggers_pg) {
  TempDir dir;
  TestDatabase db = pg_database("ident");
  write_file(dir / "sql/0001_t.up.sql",
             "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 10) PRIMARY "
             "KEY);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
             "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n");
  upgrade_sample(dir, db);
  RunResult dump = run_runner({"dump", "-d", db.url}, dir.path());
  BOOST_TEST(contains(dump.out, "GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 10"), dump.out);
  db.probe()->execute("ALTER TABLE " + db.schema + ".t DISABLE TRIGGER tr");
  db.probe()->execute("ALTER TABLE " + db.schema + ".t ALTER COLUMN id SET INCREMENT BY 1");
  RunResult r = run(dir, db, {"drift"});
  BOOST_TEST(r.exit_code == 3, r.out + r.err);
  BOOST_TEST(contains(r.out, "trigger tr: differs (enabled: ENABLE expected, DISABLE found)"), r.out);
  BOOST_TEST(contains(r.out, "column id differs (identity_options:"), r.out);
  RunResult again = run_runner({"dump", "-d", db.url}, dir.path());
  BOOST_TEST(contains(again.out, "ALTER TABLE t DISABLE TRIGGER tr;"), again.out);
}

BOOST_AUTO_TEST_SUITE_END()
