// SPDX-License-Identifier: MIT
// Moving the application off Alembic in one sitting: its own Alembic project
// (tests/fixtures/alembic_app: an enum, a branch and a merge) imported with the user's Alembic in
// offline mode, then databases Alembic itself migrated to different revisions adopted without a
// statement of migration SQL, then brought to head by runner: each ends with the schema
// `alembic upgrade head` gives, read from the catalog.
#include "runner/base/subprocess.hpp"
#include "tests/integration/integration_fixture.hpp"
#include "tests/support/schema_shape.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace runner;
using namespace runner::test;

namespace {

// The project copied into the test's folder (import writes a temporary ini beside alembic.ini).
fs::path copy_project(const TempDir& dir) {
  const fs::path app = dir / "app";
  fs::copy(fs::path(RUNNER_TEST_FIXTURES) / "alembic_app", app, fs::copy_options::recursive);
  return app;
}

// Debian's Alembic, as the application ran it, on `url` (its env.py reads ALEMBIC_DB_URL).
void alembic(const fs::path& app, const std::string& url, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/alembic"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult r = run_process(argv, app, {{"ALEMBIC_DB_URL", url}});
  BOOST_TEST_REQUIRE(r.started, "alembic: " << r.start_error << " (scripts/setup_deps.sh installs it)");
  BOOST_TEST_REQUIRE(r.exit_code == 0, command_line(argv) << ":\n" << r.err);
}

std::vector<std::int64_t> versions_of(DatabaseProbe& probe) {
  std::vector<std::int64_t> v;
  for (const auto& row : probe.history()) v.push_back(row.version);
  return v;
}

const std::vector<std::pair<std::string, std::string>> k_projects = {
    {"1", "3e4f5a6b7c8d"},  // on the tasks branch: the owner branch is pending, below it
    {"2", "5b6c7d8e9f0a"},  // the merge
    {"3", "e6e5369fb4d1"},  // head
};

void import_project(const TempDir& dir) {
  copy_project(dir);
  RunResult r = run_runner({"import", "alembic", "--from", "app", "-s", "sql"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "0004_add_tasks  <- Alembic revision 3e4f5a6b7c8d \"add tasks\" (after 2c3d4e5f6a7b)"));
  BOOST_TEST(contains(r.out, "0005_merge_tasks_and_owner  <- Alembic revision 5b6c7d8e9f0a"));
  BOOST_TEST(contains(r.out, "wrote 12 files into sql; checked for postgresql and sqlite"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(alembic_adoption)

// The files: one pair per revision in graph order (the owner branch, created a day earlier, before
// the tasks branch), Alembic's bookkeeping gone, the DDL as Alembic rendered it.
BOOST_AUTO_TEST_CASE(import_writes_one_pair_per_revision_without_alembic_bookkeeping) {
  TempDir dir;
  import_project(dir);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir / "sql")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  BOOST_TEST_REQUIRE(names.size() == 12u);
  BOOST_TEST(names[4] == "0003_project_owner.down.sql");
  BOOST_TEST(names[11] == "0006_task_priority.up.sql");
  const std::string status = read_file(dir / "sql" / "0002_project_status.up.sql");
  BOOST_TEST(contains(status, "-- runner:imported-from alembic 2c3d4e5f6a7b parents=1a2b3c4d5e6f"));
  BOOST_TEST(contains(status, "CREATE TYPE project_status AS ENUM ('draft', 'live', 'archived');"));
  for (const auto& n : names) {
    const std::string text = read_file(dir / "sql" / n);
    BOOST_TEST(!contains(text, "alembic_version"), n);
    BOOST_TEST(!contains(text, "BEGIN;"), n);
    BOOST_TEST(!contains(text, "COMMIT;"), n);
  }
  BOOST_TEST(
      contains(read_file(dir / "sql" / "0005_merge_tasks_and_owner.up.sql"), "parents=3e4f5a6b7c8d,4a5b6c7d8e9f"));
  BOOST_TEST(!fs::exists(dir / "app" /
                         ("."
                          "runner-import-" +
                          std::to_string(::getpid()) + ".ini")));
  // Nothing left behind in the project folder.
  for (const auto& e : fs::directory_iterator(dir / "app"))
    BOOST_TEST(e.path().filename().string().rfind(".runner-import-", 0) != 0u, e.path());

  // Again: nothing new to import, nothing written.
  RunResult again = run_runner({"import", "alembic", "--from", "app", "-s", "sql"}, dir.path());
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(contains(again.out, "nothing to do: all 6 alembic migrations"));
}

BOOST_AUTO_TEST_CASE(adopted_sqlite_projects_reach_alembic_head_schema) {
  TempDir dir;
  import_project(dir);
  fs::create_directories(dir / "data");
  for (const auto& [id, rev] : k_projects)
    alembic(dir / "app", "sqlite:///" + (dir / "data" / ("project_" + id + ".db")).string(), {"upgrade", rev});
  alembic(dir / "app", "sqlite:///" + (dir / "reference.db").string(), {"upgrade", "head"});

  RunResult dry = run_runner({"adopt", "alembic", "--all-projects", "--dry-run"}, dir.path());
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "alembic_version: 3e4f5a6b7c8d"));
  BOOST_TEST(DatabaseProbe::sqlite((dir / "data" / "project_1.db").string())
                 ->count("SELECT count(*) FROM sqlite_master WHERE name = 'runner_history'") == 0);

  RunResult adopt = run_runner({"adopt", "alembic", "--all-projects"}, dir.path());
  BOOST_TEST_REQUIRE(adopt.exit_code == 0, adopt.out << adopt.err);
  auto p1 = DatabaseProbe::sqlite((dir / "data" / "project_1.db").string());
  BOOST_TEST((versions_of(*p1) == std::vector<std::int64_t>{1, 2, 4}));
  BOOST_TEST(p1->count("SELECT count(*) FROM alembic_version") == 1);  // left as it was
  auto p2 = DatabaseProbe::sqlite((dir / "data" / "project_2.db").string());
  BOOST_TEST((versions_of(*p2) == std::vector<std::int64_t>{1, 2, 3, 4, 5}));

  // Adopting again changes nothing.
  RunResult again = run_runner({"adopt", "alembic", "--all-projects"}, dir.path());
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST((versions_of(*p1) == std::vector<std::int64_t>{1, 2, 4}));

  RunResult up = run_runner({"upgrade", "--all-projects", "--out-of-order"}, dir.path());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.out << up.err);
  auto reference = DatabaseProbe::sqlite((dir / "reference.db").string());
  const SchemaShape expected = sqlite_schema_shape(*reference);
  for (const auto& [id, rev] : k_projects) {
    auto p = DatabaseProbe::sqlite((dir / "data" / ("project_" + id + ".db")).string());
    SchemaShape got = sqlite_schema_shape(*p);
    got.erase("alembic_version");
    SchemaShape want = expected;
    want.erase("alembic_version");
    BOOST_TEST(got == want, "project_" << id);
    BOOST_TEST((versions_of(*p) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  }
}

// What adopt refuses, each for its database alone, changing nothing in it.
BOOST_AUTO_TEST_CASE(adopt_refuses_what_it_cannot_map) {
  TempDir dir;
  import_project(dir);
  auto make = [&](const std::string& name, const std::vector<std::string>& sql) {
    auto p = DatabaseProbe::sqlite((dir / name).string());
    p->execute("CREATE TABLE projects (id integer)");
    for (const auto& s : sql) p->execute(s);
  };
  make("none.db", {});
  make("two.db", {"CREATE TABLE alembic_version (version_num varchar(32))",
                  "INSERT INTO alembic_version VALUES ('3e4f5a6b7c8d'), ('4a5b6c7d8e9f')"});
  make("unknown.db", {"CREATE TABLE alembic_version (version_num varchar(32))",
                      "INSERT INTO alembic_version VALUES ('deadbeef0000')"});
  struct Case {
    const char* db;
    const char* says;
  } cases[] = {{"none.db", "alembic_version"},
               {"two.db", "2 heads (3e4f5a6b7c8d, 4a5b6c7d8e9f)"},
               {"unknown.db", "revision deadbeef0000, which no imported file carries"}};
  for (const auto& c : cases) {
    RunResult r = run_runner({"adopt", "alembic", "-d", std::string("sqlite:") + c.db}, dir.path());
    BOOST_TEST(r.exit_code == 3, c.db << ": " << r.err);
    BOOST_TEST(contains(r.err, c.says), c.db << ": " << r.err);
    BOOST_TEST(DatabaseProbe::sqlite((dir / c.db).string())
                   ->count("SELECT count(*) FROM sqlite_master WHERE name = 'runner_history'") == 0);
  }
  // runner_history that disagrees with alembic_version: refused, rows untouched.
  make("moved.db", {"CREATE TABLE alembic_version (version_num varchar(32))",
                    "INSERT INTO alembic_version VALUES ('2c3d4e5f6a7b')"});
  BOOST_TEST_REQUIRE(run_runner({"adopt", "alembic", "-d", "sqlite:moved.db"}, dir.path()).exit_code == 0);
  DatabaseProbe::sqlite((dir / "moved.db").string())
      ->execute("UPDATE alembic_version SET version_num = 'e6e5369fb4d1'");
  RunResult r = run_runner({"adopt", "alembic", "-d", "sqlite:moved.db"}, dir.path());
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(contains(r.err, "disagree"), r.err);
  BOOST_TEST((versions_of(*DatabaseProbe::sqlite((dir / "moved.db").string())) == std::vector<std::int64_t>{1, 2}));
}

// Import refuses whole: a revision Alembic cannot render offline, a missing Alembic, a cycle.
BOOST_AUTO_TEST_CASE(import_writes_nothing_when_a_revision_cannot_be_rendered) {
  TempDir dir;
  const fs::path app = copy_project(dir);
  {
    std::ofstream f(app / "alembic" / "versions" / "f00d_backfill.py");
    f << "\"\"\"backfill owners\n\nRevision ID: f00d00000001\nRevises: e6e5369fb4d1\n"
         "Create Date: 2024-05-01 09:00:00\n\"\"\"\n"
         "from alembic import op\nimport sqlalchemy as sa\n\nrevision = 'f00d00000001'\n"
         "down_revision = 'e6e5369fb4d1'\n\n\ndef upgrade():\n"
         "    if op.get_bind().execute(sa.text('SELECT count(*) FROM projects')).scalar():\n"
         "        op.execute(\"UPDATE projects SET owner = 'nobody'\")\n\n\ndef downgrade():\n    pass\n";
  }
  RunResult r = run_runner({"import", "alembic", "--from", "app", "-s", "sql"}, dir.path());
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "alembic revision f00d00000001 (backfill owners) cannot be rendered as SQL offline"));
  BOOST_TEST(contains(r.err, "'NoneType' object has no attribute 'scalar'"), r.err);
  BOOST_TEST(contains(r.err, "nothing was written"));
  BOOST_TEST(!fs::exists(dir / "sql"));

  RunResult missing =
      run_runner({"import", "alembic", "--from", "app", "-s", "sql", "--alembic", "/nonexistent/alembic"}, dir.path());
  BOOST_TEST(missing.exit_code == 2, missing.err);
  BOOST_TEST(contains(missing.err, "cannot run /nonexistent/alembic"), missing.err);

  fs::remove(app / "alembic" / "versions" / "f00d_backfill.py");
  {
    // 1a2b... now revises the head: a cycle.
    const fs::path first = app / "alembic" / "versions" / "1a2b3c4d5e6f_create_projects.py";
    std::string text = read_file(first);
    text.replace(text.find("down_revision = None"), 20, "down_revision = 'e6e5369fb4d1'");
    std::ofstream(first, std::ios::trunc) << text;
  }
  RunResult cycle = run_runner({"import", "alembic", "--from", "app", "-s", "sql"}, dir.path());
  BOOST_TEST(cycle.exit_code == 2, cycle.err);
  BOOST_TEST(contains(cycle.err, "ycle"), cycle.err);
  BOOST_TEST(!fs::exists(dir / "sql"));
}

// A deploy system's SIGTERM (or a Ctrl-C) while Alembic renders: the temporary copy of the ini
// beside the user's is removed before the signal ends runner.
BOOST_AUTO_TEST_CASE(import_interrupted_leaves_no_temporary_ini) {
  TempDir dir;
  const fs::path app = copy_project(dir);
  write_file(dir / "slow_alembic.sh", "#!/bin/sh\nsleep 30\n");
  fs::permissions(dir / "slow_alembic.sh", fs::perms::owner_all);
  const std::string runner_cmd =
      runner::command_line({runner::test::runner_binary(), "import", "alembic", "--from", "app", "-s", "sql",
                            "--alembic", (dir / "slow_alembic.sh").string()});
  // Waits for the copy to appear, then sends TERM; prints the exit status and what is left.
  const std::string script = runner_cmd +
                             " & pid=$!; for i in $(seq 100); do ls app/.runner-import-*.ini >/dev/null 2>&1 "
                             "&& break; sleep 0.1; done; ls app/.runner-import-*.ini; kill -TERM $pid; wait $pid; "
                             "echo status=$?; ls -a app";
  const runner::ProcessResult r = runner::run_process({"bash", "-c", script}, dir.path());
  BOOST_TEST(contains(r.out, "app/.runner-import-"), r.out + r.err);  // it was there while Alembic ran
  BOOST_TEST(contains(r.out, "status=143"), r.out + r.err);           // ended by the signal
  BOOST_TEST(!contains(r.out.substr(r.out.find("status=")), ".runner-import-"), r.out);
  BOOST_TEST(!fs::exists(dir / "sql"));
}

BOOST_AUTO_TEST_CASE(adopted_postgresql_schemas_reach_alembic_head_schema_pg) {
  TempDir dir;
  import_project(dir);
  TestDatabase db = pg_own_database("alembic");
  auto admin = DatabaseProbe::postgresql(db.pg_base, "public");
  auto url_for = [&](const std::string& schema) { return db.pg_base + "?options=-csearch_path%3D" + schema; };
  for (const auto& [id, rev] : k_projects) {
    admin->execute("CREATE SCHEMA project_" + id);
    alembic(dir / "app", url_for("project_" + id), {"upgrade", rev});
  }
  admin->execute("CREATE SCHEMA reference");
  alembic(dir / "app", url_for("reference"), {"upgrade", "head"});

  RunResult adopt = run_runner({"adopt", "alembic", "--all-projects", "-d", db.url}, dir.path());
  BOOST_TEST_REQUIRE(adopt.exit_code == 0, adopt.out << adopt.err);
  BOOST_TEST((versions_of(*DatabaseProbe::postgresql(db.pg_base, "project_1")) == std::vector<std::int64_t>{1, 2, 4}));
  RunResult up = run_runner({"upgrade", "--all-projects", "--out-of-order", "-d", db.url}, dir.path());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.out << up.err);
  // A project runner builds from nothing, too.
  RunResult fresh = run_runner({"upgrade", "-d", db.pg_base + "?schema=fresh"}, dir.path());
  BOOST_TEST_REQUIRE(fresh.exit_code == 0, fresh.err);

  auto reference = DatabaseProbe::postgresql(db.pg_base, "reference");
  SchemaShape want = postgresql_schema_shape(*reference, "reference");
  want.erase("alembic_version");
  for (const std::string schema : {"project_1", "project_2", "project_3", "fresh"}) {
    auto p = DatabaseProbe::postgresql(db.pg_base, schema);
    SchemaShape got = postgresql_schema_shape(*p, schema);
    got.erase("alembic_version");
    BOOST_TEST(got == want, schema);
  }
}

BOOST_AUTO_TEST_SUITE_END()
