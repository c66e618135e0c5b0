// SPDX-License-Identifier: MIT
// --dry-run lists what would run and changes nothing: no file, schema, history table or lock.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

// What a test compares before and after a dry run.
std::string fingerprint(const TestDatabase& db) {
  if (!db.sqlite_file.empty()) return fs::exists(db.sqlite_file) ? file_sha256(db.sqlite_file) : "absent";
  auto p = DatabaseProbe::postgresql(db.pg_base, "public");
  long long schemas = p->count("SELECT count(*) FROM pg_namespace WHERE nspname = '" + db.schema + "'");
  long long tables = p->count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + db.schema + "'");
  long long rows = tables > 0 ? db.probe()->count("SELECT count(*) FROM runner_history") : -1;
  return std::to_string(schemas) + "/" + std::to_string(tables) + "/" + std::to_string(rows);
}

void dry_runs_change_nothing(const TestDatabase& db) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");

  const std::string fresh = fingerprint(db);
  RunResult first = run(dir, db, {"upgrade", "--dry-run"});
  BOOST_TEST_REQUIRE(first.exit_code == 0, first.err);
  BOOST_TEST(contains(first.out, "is at base; 12 migrations would run, in order:"), first.out);
  BOOST_TEST(contains(first.out, "apply  0001_projects  sql/0001_projects.up.sql  (1 statement, in a transaction)"));
  BOOST_TEST(contains(first.out, "Nothing was changed."));
  BOOST_TEST(fingerprint(db) == fresh);  // not even the SQLite file or the schema

  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "0004", "-q"}).exit_code == 0);
  const std::string at4 = fingerprint(db);

  RunResult json = run(dir, db, {"upgrade", "--dry-run", "--json"});
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
  auto j = nlohmann::json::parse(json.out);
  BOOST_TEST(j.at("dry_run").get<bool>());
  BOOST_TEST(j.at("from").at("version").get<int>() == 4);
  BOOST_TEST(j.at("to").at("version").get<int>() == 12);
  BOOST_TEST_REQUIRE(j.at("steps").size() == 8u);
  BOOST_TEST(j.at("steps")[0].at("name").get<std::string>() == "task_versions");
  BOOST_TEST(j.at("steps")[0].at("statements").size() == 2u);

  RunResult verbose = run(dir, db, {"upgrade", "0005", "--dry-run", "-v"});
  BOOST_TEST(contains(verbose.out, "-- sql/0005_task_versions.up.sql:10\n    CREATE INDEX task_versions_task_id_idx"),
             verbose.out);

  RunResult down = run(dir, db, {"downgrade", "base", "--dry-run"});
  BOOST_TEST(down.exit_code == 0, down.err);
  BOOST_TEST(contains(down.out, "revert 0004_approvals"));
  BOOST_TEST(contains(down.out, "it would end at base"));
  RunResult stamp = run(dir, db, {"stamp", "head", "--dry-run"});
  BOOST_TEST(stamp.exit_code == 0, stamp.err);
  BOOST_TEST(contains(stamp.out, "would record 0012_artifacts_sha256_required"));
  BOOST_TEST(fingerprint(db) == at4);
  BOOST_TEST(history_versions(db).size() == 4u);

  // A dry run refuses what the real run would refuse, with the same exit code.
  write_file(dir / "sql/0001_projects.up.sql", read_file(dir / "sql/0001_projects.up.sql") + "-- edited\n");
  BOOST_TEST(run(dir, db, {"upgrade", "--dry-run"}).exit_code == 3);
  BOOST_TEST(fingerprint(db) == at4);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dry_run)

BOOST_AUTO_TEST_CASE(dry_runs_list_and_change_nothing_sqlite) {
  TempDir dir;
  dry_runs_change_nothing(sqlite_database(dir, "data/p.db"));
}

BOOST_AUTO_TEST_CASE(dry_runs_list_and_change_nothing_pg) { dry_runs_change_nothing(pg_database()); }

BOOST_AUTO_TEST_CASE(new_dry_run_writes_no_file) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "SELECT 1;");
  RunResult r = run_runner({"new", "b", "--dry-run"}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "dry run: would write\nsql/0002_b.up.sql\nsql/0002_b.down.sql\n");
  BOOST_TEST(!fs::exists(dir / "sql/0002_b.up.sql"));
}

// validate, dry runs with and without -v, --sql, explain and upgrade all refuse before anything
// runs, naming the same file and line, and leave the database as it was.
void every_path_refuses_alike(const TestDatabase& db, const TempDir& dir, const std::string& where) {
  const std::vector<std::vector<std::string>> paths = {
      {"validate"},         {"upgrade", "--dry-run"},         {"upgrade", "--dry-run", "-v"},
      {"upgrade", "--sql"}, {"explain", "sql/0002_b.up.sql"}, {"upgrade"}};
  for (const auto& args : paths) {
    RunResult r = run(dir, db, args);
    BOOST_TEST(r.exit_code == 2, args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << r.err);
    BOOST_TEST(contains(r.err, where), r.err);
  }
  BOOST_TEST(never_created(db));
}

BOOST_AUTO_TEST_CASE(every_path_reaches_the_same_verdict_before_anything_runs_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  // A table in SQLite's own syntax, which the later ALTER cannot rebuild.
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT) STRICT;\n");
  write_file(dir / "sql/0002_b.up.sql",
             "INSERT INTO t (name) VALUES ('x');\nALTER TABLE t ALTER COLUMN name SET NOT NULL;\n");
  every_path_refuses_alike(db, dir, "sql/0002_b.up.sql:2: table \"t\" was created in SQLite's own dialect");
}

BOOST_AUTO_TEST_CASE(plan_time_checks_see_the_live_schema_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  // A database built another way, adopted with stamp: its tables are in no migration file.
  db.probe()->execute("CREATE TABLE legacy (id integer PRIMARY KEY, x text)");
  db.probe()->execute("INSERT INTO legacy (x) VALUES ('kept')");
  db.probe()->execute("CREATE TABLE native (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT) STRICT");
  write_file(dir / "sql/0001_baseline.up.sql", "-- the schema as it was when runner took over\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"stamp", "1"}).exit_code == 0);
  write_file(dir / "sql/0002_b.up.sql", "ALTER TABLE legacy ALTER COLUMN x SET NOT NULL;\n");
  for (const auto& args : std::vector<std::vector<std::string>>{{"upgrade", "--dry-run"}, {"upgrade"}}) {
    RunResult r = run(dir, db, args);
    BOOST_TEST(r.exit_code == 0, args.size() << ": " << r.err);
  }
  BOOST_TEST(db.probe()->count("SELECT \"notnull\" FROM pragma_table_info('legacy') WHERE name = 'x'") == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM legacy WHERE x = 'kept'") == 1);

  // A hand-made table in SQLite's own syntax is refused before anything runs, as the run would.
  write_file(dir / "sql/0003_c.up.sql", "CREATE TABLE c (x int);\n");
  write_file(dir / "sql/0004_d.up.sql", "ALTER TABLE native ALTER COLUMN x SET NOT NULL;\n");
  // validate and --sql read this database too (explain, which connects to nothing, replays files).
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"validate"}, {"upgrade", "--sql"}, {"upgrade", "--dry-run"}, {"upgrade"}}) {
    RunResult r = run(dir, db, args);
    BOOST_TEST(r.exit_code == 2, args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << r.err);
    BOOST_TEST(contains(r.err, "sql/0004_d.up.sql:1: table \"native\" was created in SQLite's own dialect"), r.err);
  }
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(client_commands_are_refused_on_every_path_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE t (x int);\n");
  write_file(dir / "sql/0002_b.up.sql", "INSERT INTO t VALUES (1);\n.read more.sql\nINSERT INTO t VALUES (2);\n");
  every_path_refuses_alike(db, dir, "sql/0002_b.up.sql:2: '.read more.sql' is a sqlite3 shell dot-command");
  write_file(dir / "sql/0002_b.up.sql", "INSERT INTO t VALUES (1);\nDO $$ BEGIN\n  PERFORM 1;\nEND $$;\n");
  every_path_refuses_alike(db, dir, "sql/0002_b.up.sql:2: SQLite has no DO blocks");
  RunResult r = run(dir, db, {"validate"});
  BOOST_TEST(contains(r.err, ".up.sqlite.sql variant"), r.err);
  BOOST_TEST(!contains(r.err, "controls the transaction"), r.err);
}

BOOST_AUTO_TEST_CASE(client_commands_are_refused_on_every_path_pg) {
  TempDir dir;
  TestDatabase db = pg_database("client");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE t (x int);\n");
  write_file(dir / "sql/0002_b.up.sql",
             "INSERT INTO t VALUES (1);\n\\set ON_ERROR_STOP on\nINSERT INTO t VALUES (2);\n");
  every_path_refuses_alike(db, dir, "sql/0002_b.up.sql:2: '\\set ON_ERROR_STOP on' is a psql meta-command");
  write_file(dir / "sql/0002_b.up.sql", "INSERT INTO t VALUES (1);\ncopy t (x) from stdin;\n3\n\\.\n");
  every_path_refuses_alike(db, dir, "sql/0002_b.up.sql:2: COPY ... FROM STDIN / TO STDOUT");
}

BOOST_AUTO_TEST_SUITE_END()
