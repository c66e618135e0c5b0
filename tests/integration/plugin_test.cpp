// SPDX-License-Identifier: MIT
// The runner binary and its plugins: refusal of foreign plugins, and the installed layout.
#include "tests/integration/integration_fixture.hpp"

#include <cstdlib>

using namespace runner::test;

BOOST_AUTO_TEST_SUITE(plugin)

BOOST_AUTO_TEST_CASE(a_plugin_for_another_abi_is_refused_with_its_file) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  RunResult r = run_runner(
      {"upgrade", "--plugin-dir", RUNNER_TEST_PLUGIN_DIR, "--dialect", "badabi", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, std::string(RUNNER_TEST_PLUGIN_DIR) + "/runner_dialect_badabi.so"), r.err);
  BOOST_TEST(contains(r.err, "built for dialect ABI 3, this runner speaks ABI 2"), r.err);
  BOOST_TEST(!fs::exists(dir / "x.db"));

  RunResult noentry = run_runner(
      {"current", "--plugin-dir", RUNNER_TEST_PLUGIN_DIR, "--dialect", "noentry", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(noentry.exit_code == 2);
  BOOST_TEST(contains(noentry.err, "not a runner dialect plugin"), noentry.err);
}

BOOST_AUTO_TEST_CASE(dialects_lists_good_plugins_and_names_bad_ones) {
  TempDir dir;
  RunResult good = run_runner({"dialects"}, dir.path());
  BOOST_TEST(good.exit_code == 0, good.err);
  BOOST_TEST(contains(good.out, "sqlite"));
  BOOST_TEST(contains(good.out, "postgresql"));
  BOOST_TEST(contains(good.out, "runner_dialect_postgresql.so"));

  RunResult bad = run_runner({"dialects", "--plugin-dir", RUNNER_TEST_PLUGIN_DIR}, dir.path());
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(contains(bad.err, "runner_dialect_badabi.so"));
  BOOST_TEST(contains(bad.out, "sqlite"));  // the real ones are still found after --plugin-dir

  // A mistyped --plugin-dir is an error, not a quiet fall-back to the bundled plugins.
  RunResult missing = run_runner({"dialects", "--plugin-dir", (dir / "no-such-folder").string()}, dir.path());
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(contains(missing.err, "no-such-folder: no such folder"), missing.err);
}

BOOST_AUTO_TEST_CASE(a_sqlite_run_never_loads_the_postgresql_client) {
  // libpq and the thirty libraries it brings would double a SQLite run's start-up time.
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  RunResult r = run_runner({"upgrade", "-d", "sqlite:app.db"}, dir.path(), {{"LD_DEBUG", "files"}});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "runner_dialect_sqlite.so"), "LD_DEBUG shows what is loaded");
  BOOST_TEST(!contains(r.err, "libpq.so"));
  BOOST_TEST(!contains(r.err, "runner_dialect_postgresql.so"));
}

BOOST_AUTO_TEST_CASE(an_installed_runner_finds_its_plugins_from_its_own_location) {
  TempDir prefix;
  std::string cmd = "cmake --install '" + std::string(RUNNER_TEST_BUILD_DIR) + "' --prefix '" + prefix.path().string() +
                    "' >/dev/null";
  BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0);
  BOOST_TEST_REQUIRE(fs::exists(prefix / "bin/runner"));
  BOOST_TEST(fs::exists(prefix / "lib/runner/dialects/runner_dialect_sqlite.so"));
  BOOST_TEST(fs::exists(prefix / "lib/runner/dialects/runner_dialect_postgresql.so"));
  TempDir work;
  write_file(work / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  std::string run = "cd '" + work.path().string() + "' && env -u RUNNER_PLUGIN_PATH '" +
                    (prefix / "bin/runner").string() + "' upgrade -q -d sqlite:app.db > out.txt 2>&1";
  BOOST_TEST(std::system(run.c_str()) == 0, read_file(work / "out.txt"));
  BOOST_TEST(DatabaseProbe::sqlite((work / "app.db").string())->tables() == (std::vector<std::string>{"a"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_installed_runner_reaches_postgresql_through_its_plugin_and_alias_pg) {
  TempDir prefix;
  std::string cmd = "cmake --install '" + std::string(RUNNER_TEST_BUILD_DIR) + "' --prefix '" + prefix.path().string() +
                    "' >/dev/null";
  BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0);
  // postgres:// selects the postgresql plugin through a link named for the alias it declares.
  BOOST_TEST_REQUIRE(fs::is_symlink(prefix / "lib/runner/dialects/runner_dialect_postgres.so"));
  BOOST_TEST(fs::read_symlink(prefix / "lib/runner/dialects/runner_dialect_postgres.so") ==
             "runner_dialect_postgresql.so");
  TempDir work;
  write_file(work / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  const std::string schema = unique_name("installed");
  const std::string url = "postgres" + pg_url().substr(pg_url().find("://"));
  std::string run = "cd '" + work.path().string() + "' && '" + (prefix / "bin/runner").string() + "' upgrade -q -d '" +
                    url + "?schema=" + schema + "' > out.txt 2>&1";
  BOOST_TEST(std::system(run.c_str()) == 0, read_file(work / "out.txt"));
  BOOST_TEST(DatabaseProbe::postgresql(pg_url(), schema)->tables() == (std::vector<std::string>{"a"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
