// SPDX-License-Identifier: MIT
// Placeholders: files that say -- runner:placeholders get ${name} from --set, RUNNER_PLACEHOLDER_name
// or [placeholders] in the config, quoted on request; the checksum is of the file as written; a file
// that does not opt in is never touched. River's schema template, imported, applies per schema.
#include "tests/integration/integration_fixture.hpp"

using namespace runner::test;

namespace {

std::string value_of(const TestDatabase& db, const std::string& sql) {
  auto rows = db.probe()->rows(sql);
  return rows.empty() || rows[0].empty() ? "<none>" : rows[0][0];
}

void placeholders_fill_the_file(const TestDatabase& db) {
  TempDir dir;
  write_file(dir / "sql/0001_settings.up.sql",
             "-- runner:placeholders\n"
             "CREATE TABLE ${table:ident} (k text, v text);\n"
             "INSERT INTO ${table:ident} VALUES ('owner', ${owner:literal}), ('plain', '${plain}'), ('env', "
             "${from_env:literal}), ('config', ${from_config:literal});\n");
  write_file(dir / "sql/0002_untouched.up.sql", "INSERT INTO \"odd \"\"name\" VALUES ('raw', '${owner}');\n");
  write_file(dir / "runner.ini", "[placeholders]\nfrom_config = from the config\nowner = overridden by --set\n");
  const std::map<std::string, std::string> env{{"RUNNER_PLACEHOLDER_from_env", "from the environment"}};
  std::vector<std::string> args{"upgrade",       "-d",    db.url,   "--set", "table=odd \"name", "--set",
                                "owner=O'Brien", "--set", "plain=x"};
  RunResult up = run_runner(args, dir.path(), env);
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string t = "\"odd \"\"name\"";
  BOOST_TEST(value_of(db, "SELECT v FROM " + t + " WHERE k = 'owner'") == "O'Brien");
  BOOST_TEST(value_of(db, "SELECT v FROM " + t + " WHERE k = 'plain'") == "x");
  BOOST_TEST(value_of(db, "SELECT v FROM " + t + " WHERE k = 'env'") == "from the environment");
  BOOST_TEST(value_of(db, "SELECT v FROM " + t + " WHERE k = 'config'") == "from the config");
  // Not opted in: the text is the file's.
  BOOST_TEST(value_of(db, "SELECT v FROM " + t + " WHERE k = 'raw'") == "${owner}");
  // The checksum is of the file as written: the history equals the file's hash.
  BOOST_TEST(db.probe()->history().at(0).checksum == file_sha256(dir / "sql/0001_settings.up.sql"));

  // Another value later is not a changed file.
  RunResult validate = run_runner({"validate", "-d", db.url, "--set", "table=t", "--set", "owner=someone else", "--set",
                                   "plain=y", "--set", "from_env=e"},
                                  dir.path());
  BOOST_TEST(validate.exit_code == 0, validate.err);
  BOOST_TEST(contains(validate.out, "every applied file is unchanged"), validate.out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(placeholders)

BOOST_AUTO_TEST_CASE(values_from_set_environment_and_config_sqlite) {
  TempDir dir;
  placeholders_fill_the_file(sqlite_database(dir));
}

BOOST_AUTO_TEST_CASE(values_from_set_environment_and_config_pg) { placeholders_fill_the_file(pg_database()); }

BOOST_AUTO_TEST_CASE(a_name_without_value_is_named_and_nothing_runs) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\n");
  write_file(dir / "sql/0002_b.up.sql",
             "-- runner:placeholders\nCREATE TABLE b (x int);\n\nINSERT INTO b VALUES (${n});\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "sql/0002_b.up.sql:4: placeholder ${n} has no value: give --set n=VALUE"), r.err);
  BOOST_TEST(!fs::exists(db.sqlite_file));
  RunResult form = run(dir, db, {"upgrade", "--set", "n=1"});
  BOOST_TEST(form.exit_code == 0, form.err);
  write_file(dir / "sql/0003_c.up.sql", "-- runner:placeholders\nSELECT ${n:number};\n");
  RunResult bad = run(dir, db, {"upgrade", "--set", "n=1"});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(contains(bad.err, "0003_c.up.sql:2: unknown placeholder form 'number'"), bad.err);
  RunResult set = run(dir, db, {"upgrade", "--set", "n"});
  BOOST_TEST(set.exit_code == 2);
  BOOST_TEST(contains(set.err, "--set n: expected NAME=VALUE"), set.err);
}

BOOST_AUTO_TEST_CASE(sql_script_and_dry_run_show_the_values) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "-- runner:placeholders\nCREATE TABLE a (x text DEFAULT ${d:literal});\n");
  RunResult sql = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "--set", "d=it's"}, dir.path());
  BOOST_TEST(sql.exit_code == 0, sql.err);
  BOOST_TEST(contains(sql.out, "DEFAULT 'it''s'"), sql.out);
  RunResult dry = run(dir, db, {"upgrade", "--dry-run", "-v", "--set", "d=v"});
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(contains(dry.out, "DEFAULT 'v'"), dry.out);
}

// River's files, imported: /* TEMPLATE: schema */ becomes ${runner.schema:qualifier}, so the same
// files build River's tables in each project schema (005 has the marker inside a string literal).
BOOST_AUTO_TEST_CASE(river_template_applies_per_schema_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  RunResult imported = run_runner(
      {"import", "golang-migrate", "--from", (corpus_dir() / "riverqueue__river/postgres").string(), "-s", "sql"},
      dir.path());
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  BOOST_TEST(contains(imported.out, "River's /* TEMPLATE: schema */ marker replaced"), imported.out);
  TestDatabase a = pg_database("river_a"), b = pg_database("river_b");
  for (const auto* db : {&a, &b}) {
    RunResult up = run(dir, *db, {"upgrade", "-q"});
    BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
    BOOST_TEST(db->probe()->tables().size() >= 4u);
    BOOST_TEST(db->probe()->count("SELECT count(*) FROM pg_tables WHERE schemaname = " + sql_literal(db->schema) +
                                  " AND tablename = 'river_job'") == 1);
    RunResult down = run(dir, *db, {"downgrade", "base", "-q"});
    BOOST_TEST(down.exit_code == 0, down.err);
    BOOST_TEST(db->probe()->tables().empty());
  }
}

BOOST_AUTO_TEST_CASE(river_template_on_sqlite, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  RunResult imported =
      run_runner({"import", "golang-migrate", "--from", (corpus_dir() / "riverqueue__river/sqlite").string(), "-s",
                  "sql", "--dialect", "sqlite"},
                 dir.path());
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  TestDatabase db = sqlite_database(dir);
  // 007 needs jsonb(), which SQLite gained in 3.45; Debian 12 has 3.40.
  RunResult up = run(dir, db, {"upgrade", "6", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(contains(db.probe()->rows("SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'")[0][0],
                      "river_job"));
}

BOOST_AUTO_TEST_SUITE_END()
