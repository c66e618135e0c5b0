// SPDX-License-Identifier: MIT
#include "runner/cli/settings.hpp"
#include "plugins/loader/dialect_loader.hpp"
#include "runner/base/errors.hpp"
#include "runner/cli/context.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <cstdlib>

using runner::cli::resolve_settings;
using runner::cli::Settings;

namespace {

// Runs resolve_settings in `dir` with the database variables cleared.
Settings resolve_in(const std::filesystem::path& dir, std::vector<const char*> args) {
  args.insert(args.begin(), "runner");
  auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  ::unsetenv("RUNNER_DATABASE_URL");
  ::unsetenv("DATABASE_URL");
  try {
    Settings s = resolve_settings(static_cast<int>(args.size()), args.data());
    std::filesystem::current_path(old);
    return s;
  } catch (...) {
    std::filesystem::current_path(old);
    throw;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(settings)

BOOST_AUTO_TEST_CASE(dialect_comes_from_the_url_scheme) {
  BOOST_TEST(runner::dialect_name_from_url("sqlite:data/x.db") == "sqlite");
  BOOST_TEST(runner::dialect_name_from_url("sqlite::memory:") == "sqlite");
  BOOST_TEST(runner::dialect_name_from_url("postgresql://u@h/db") == "postgresql");
  // The scheme names the plugin file; postgres is the postgresql plugin's alias (its link: see
  // dialect_loader/loads_the_real_plugins).
  BOOST_TEST(runner::dialect_name_from_url("postgres://u@h/db") == "postgres");
  BOOST_TEST(runner::dialect_name_from_url("data/x.db") == "");
}

BOOST_AUTO_TEST_CASE(flag_beats_environment_beats_config) {
  runner::test::TempDir dir;
  runner::test::write_file(dir / "runner.ini", "database = sqlite:from_ini.db\nsql-dir = migrations\n");
  Settings from_ini = resolve_in(dir.path(), {"current"});
  BOOST_TEST(*from_ini.database_url == "sqlite:from_ini.db");
  BOOST_TEST(from_ini.sql_dir == std::filesystem::path("migrations"));

  ::setenv("DATABASE_URL", "sqlite:from_database_url.db", 1);
  auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const char* argv1[] = {"runner", "current"};
  Settings from_env = resolve_settings(2, argv1);
  ::setenv("RUNNER_DATABASE_URL", "sqlite:from_runner_env.db", 1);
  Settings from_runner_env = resolve_settings(2, argv1);
  const char* argv2[] = {"runner", "-d", "sqlite:from_flag.db", "current"};
  Settings from_flag = resolve_settings(4, argv2);
  std::filesystem::current_path(old);
  ::unsetenv("DATABASE_URL");
  ::unsetenv("RUNNER_DATABASE_URL");
  BOOST_TEST(*from_env.database_url == "sqlite:from_database_url.db");
  BOOST_TEST(*from_runner_env.database_url == "sqlite:from_runner_env.db");
  BOOST_TEST(*from_flag.database_url == "sqlite:from_flag.db");
}

BOOST_AUTO_TEST_CASE(minus_n_is_a_target_not_an_option) {
  runner::test::TempDir dir;
  Settings s = resolve_in(dir.path(), {"downgrade", "-2", "-q"});
  BOOST_TEST(s.command == "downgrade");
  BOOST_TEST_REQUIRE(s.args.size() == 1u);
  BOOST_TEST(s.args[0] == "-2");
  BOOST_TEST((s.verbosity == runner::Verbosity::quiet));
}

BOOST_AUTO_TEST_CASE(an_optional_value_is_taken_only_after_an_equals_sign) {
  // The word after a bare --wait-replicas or --backup is the target: read as the option's value,
  // `upgrade --wait-replicas +1` ran every pending migration.
  runner::test::TempDir dir;
  Settings s = resolve_in(dir.path(), {"upgrade", "--wait-replicas", "+1"});
  BOOST_TEST_REQUIRE(s.args.size() == 1u);
  BOOST_TEST(s.args[0] == "+1");
  BOOST_TEST_REQUIRE(s.wait_replicas.has_value());
  BOOST_TEST(s.wait_replicas->count() == 60000);
  s = resolve_in(dir.path(), {"upgrade", "--backup", "0003"});
  BOOST_TEST_REQUIRE(s.args.size() == 1u);
  BOOST_TEST(s.args[0] == "0003");
  BOOST_TEST_REQUIRE(s.backup.has_value());
  BOOST_TEST(s.backup->empty());
  s = resolve_in(dir.path(), {"upgrade", "--wait-replicas=5", "--backup=dumps", "0003"});
  BOOST_TEST(s.args.size() == 1u);
  BOOST_TEST(s.wait_replicas->count() == 5000);
  BOOST_TEST(*s.backup == "dumps");
  BOOST_CHECK_THROW(resolve_in(dir.path(), {"upgrade", "--wait-replicas=soon"}), runner::UsageError);
  // Abbreviated, as Boost accepts it: the same.
  s = resolve_in(dir.path(), {"upgrade", "--wait", "+1"});
  BOOST_TEST(s.args.size() == 1u);
  BOOST_TEST(s.wait_replicas->count() == 60000);
}

BOOST_AUTO_TEST_CASE(unknown_options_and_config_keys_are_usage_errors) {
  runner::test::TempDir dir;
  BOOST_CHECK_THROW(resolve_in(dir.path(), {"upgrade", "--frobnicate"}), runner::UsageError);
  runner::test::write_file(dir / "runner.ini", "databse = sqlite:x.db\n");
  try {
    resolve_in(dir.path(), {"current"});
    BOOST_FAIL("expected UsageError");
  } catch (const runner::UsageError& e) {
    BOOST_TEST(std::string(e.what()).find("runner.ini") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("databse") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
