// SPDX-License-Identifier: MIT
// Real migration sets from public projects (../shared/corpus or RUNNER_CORPUS_DIR): the valid ones
// apply up and down; the ones off the layout are refused with every bad file named.
#include "tests/integration/integration_fixture.hpp"

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
                 const std::string& target = "head") {
  RunResult up = run(dir, db, {"upgrade", target, "-q"}, sql.string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->history().size() == expected);
  RunResult down = run(dir, db, {"downgrade", "base", "-q"}, sql.string());
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  BOOST_TEST(db.probe()->history().empty());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(corpus)

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
  up_and_down(dir, db, corpus_dir() / "nucleuscloud__neosync/postgres", 31);
}

BOOST_AUTO_TEST_CASE(openmeter_269_migrations_up_and_down_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase db = pg_own_database("openmeter");
  up_and_down(dir, db, corpus_dir() / "openmeterio__openmeter/postgres", 269);
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
