// SPDX-License-Identifier: MIT
// Real migration sets from public projects (../shared/corpus or RUNNER_CORPUS_DIR): the valid ones
// apply up and down; the ones off the layout are refused with every bad file named.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

#include <functional>

using namespace runner::test;

namespace {

// River's own runner replaces this placeholder before running its files.
fs::path river_copy(const TempDir& dir, const std::string& dialect) {
  fs::path out = dir / "river";
  fs::create_directories(out);
  for (const auto& e : fs::directory_iterator(corpus_dir() / "riverqueue__river" / dialect)) {
    std::string text = read_file(e.path());
    for (std::size_t at; (at = text.find("/* TEMPLATE: schema */")) != std::string::npos;)
      text.erase(at, std::string("/* TEMPLATE: schema */").size());
    write_file(out / e.path().filename(), text);
  }
  return out;
}

void up_and_down(const TempDir& dir, const TestDatabase& db, const fs::path& sql, std::size_t expected,
                 const std::string& target = "head", const std::function<void()>& at_head = {}) {
  RunResult up = run(dir, db, {"upgrade", target, "-q"}, sql.string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->history().size() == expected);
  if (at_head) at_head();
  RunResult down = run(dir, db, {"downgrade", "base", "-q"}, sql.string());
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  BOOST_TEST(db.probe()->history().empty());
}

// runner dump of `db` (its schemas `schemas`), loaded into a new database as one migration, dumps
// to the same text.
void dump_reloads_the_same(const TempDir& dir, const TestDatabase& db, const std::string& schemas) {
  const std::vector<std::string> args{"dump", "--schema", schemas};
  const auto dump = [&](const TestDatabase& from) {
    std::vector<std::string> a = args;
    a.insert(a.end(), {"-d", from.url});
    RunResult r = run_runner(a, dir.path());
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    return r.out;
  };
  const std::string text = dump(db);
  BOOST_TEST(contains(text, "CREATE TABLE"));
  write_file(dir / "reload/0001_schema.up.sql", text);
  TestDatabase copy = pg_own_database("reload");
  RunResult load = run(dir, copy, {"upgrade", "-q"}, (dir / "reload").string());
  BOOST_TEST_REQUIRE(load.exit_code == 0, load.err);
  BOOST_TEST(dump(copy) == text);
}

// A database the corpus built has no drift (the corpus makes its own schemas and extensions: the
// shadow is a scratch database on the server), and one hand change is found.
void no_drift(const TempDir& dir, const TestDatabase& db, const fs::path& sql, const std::string& schemas) {
  RunResult r = run(dir, db, {"drift", "--shadow-url", pg_url(), "--schema", schemas}, sql.string());
  BOOST_TEST(r.exit_code == 0, r.err + r.out);
  BOOST_TEST(contains(r.out, "no drift"), r.out);
}

// runner test on a corpus: the first finding, as `runner test` reports it.
nlohmann::json round_trip(const TempDir& dir, const fs::path& sql, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"test",   "--dialect", "postgresql", "--shadow-url",
                                pg_url(), "-s",        sql.string(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = run_runner(args, dir.path());
  BOOST_TEST_REQUIRE(!r.out.empty(), r.err);
  return nlohmann::json::parse(r.out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(corpus)

// Real sets have downs that leave something behind: finding them is the tool working. What the
// closing note of the schema-state issue reports, kept true.
BOOST_AUTO_TEST_CASE(test_finds_what_real_downs_leave_behind_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  const nlohmann::json neosync =
      round_trip(dir, corpus_dir() / "nucleuscloud__neosync/postgres", {"--schema", "public,neosync_api"});
  BOOST_TEST(neosync.at("checked") == 15);
  BOOST_TEST(neosync.at("failure").at("label") == "20240131192903_job-timeouts");
  BOOST_TEST(neosync.at("failure").at("differences").at(0).at("text") ==
             "table neosync_api.jobs: column workflow_options extra");
  const nlohmann::json rest =
      round_trip(dir, corpus_dir() / "nucleuscloud__neosync/postgres",
                 {"--schema", "public,neosync_api", "--from", "20240328233023", "--to", "20240328233023"});
  BOOST_TEST(rest.at("failure").at("phase") == "down");
  const nlohmann::json openmeter = round_trip(dir, corpus_dir() / "openmeterio__openmeter/postgres", {});
  BOOST_TEST(openmeter.at("checked") == 8);
  BOOST_TEST(openmeter.at("failure").at("label") == "20240924164504_billing-profile");
  BOOST_TEST(openmeter.at("failure").at("differences").at(0).at("text") ==
             "index billingprofile_namespace_key: missing");
  BOOST_TEST(shadows_left(pg_url()) == 0);
}

BOOST_AUTO_TEST_CASE(river_up_and_down_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase db = pg_own_database("river");
  up_and_down(dir, db, river_copy(dir, "postgres"), 7);
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_CASE(river_up_and_down_sqlite, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  // 007 needs jsonb(), which SQLite gained in 3.45; Debian 12 has 3.40.
  up_and_down(dir, db, river_copy(dir, "sqlite"), 6, "6");
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_CASE(neosync_up_and_down_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase db = pg_own_database("neosync");
  // Its tables are in neosync_api, the function its triggers call in public.
  up_and_down(dir, db, corpus_dir() / "nucleuscloud__neosync/postgres", 31, "head", [&] {
    dump_reloads_the_same(dir, db, "public,neosync_api");
    no_drift(dir, db, corpus_dir() / "nucleuscloud__neosync/postgres", "public,neosync_api");
  });
}

BOOST_AUTO_TEST_CASE(openmeter_269_migrations_up_and_down_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase db = pg_own_database("openmeter");
  up_and_down(dir, db, corpus_dir() / "openmeterio__openmeter/postgres", 269, "head", [&] {
    dump_reloads_the_same(dir, db, "public");
    no_drift(dir, db, corpus_dir() / "openmeterio__openmeter/postgres", "public");
  });
}

// pocket-id's SQLite set as it is (its one file named "..up.sql" renamed): 71 of its 72 files turn
// foreign keys off before their own BEGIN and on after their COMMIT. Each body runs in runner's
// transaction with its history row, up to 20250705000000, which calls normalize(), a function
// pocket-id registers in its own driver: there the migration fails and is rolled back whole.
BOOST_AUTO_TEST_CASE(pocket_id_sqlite_applies_up_to_normalize, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  const fs::path sql = dir / "pocket-id";
  fs::create_directories(sql);
  std::size_t before_normalize = 0;
  for (const auto& e : fs::directory_iterator(corpus_dir() / "pocket-id__pocket-id/sqlite")) {
    std::string name = e.path().filename().string();
    if (const std::size_t at = name.find("..up.sql"); at != std::string::npos) name.replace(at, 8, ".up.sql");
    fs::copy_file(e.path(), sql / name);
    before_normalize += name.compare(0, 14, "20250705000000") < 0 && name.find(".up.sql") != std::string::npos;
  }
  RunResult up = run(dir, db, {"upgrade", "20250630000000", "-q"}, sql.string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->history().size() == before_normalize);
  BOOST_TEST(before_normalize == 33u);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM sqlite_master WHERE name = 'kv'") == 1);
  const auto tables = db.probe()->tables();
  RunResult normalize = run(dir, db, {"upgrade", "20250705000000"}, sql.string());
  BOOST_TEST(normalize.exit_code == 1, normalize.err);
  BOOST_TEST(contains(normalize.err, "no such function: normalize"), normalize.err);
  BOOST_TEST(contains(normalize.err, "migration 20250705000000_normalize was rolled back"), normalize.err);
  BOOST_TEST(db.probe()->history().size() == before_normalize);
  BOOST_TEST(db.probe()->tables() == tables, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(corpora_off_the_layout_are_refused_file_by_file, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  RunResult harness = run(dir, db, {"validate"}, (corpus_dir() / "harness__harness/sqlite").string());
  BOOST_TEST(harness.exit_code == 2);
  BOOST_TEST(contains(harness.err, "_up.sql: does not end in .up.sql"), harness.err);
  BOOST_TEST(contains(harness.err, "is also used by"), harness.err);
  RunResult pocket = run(dir, db, {"validate"}, (corpus_dir() / "pocket-id__pocket-id/sqlite").string());
  BOOST_TEST(pocket.exit_code == 2);
  BOOST_TEST(contains(pocket.err, "20240813211251_passkey_backup_flags.down.sql: name 'passkey_backup_flags' differs"),
             pocket.err);
  RunResult authelia = run(dir, db, {"validate"}, (corpus_dir() / "authelia__authelia/sqlite").string());
  BOOST_TEST(authelia.exit_code == 2);
  BOOST_TEST(contains(authelia.err, "V0001.Initial_Schema.up.sql: does not start with a version number"));
  BOOST_TEST(!fs::exists(db.sqlite_file));
}

BOOST_AUTO_TEST_SUITE_END()
