// SPDX-License-Identifier: MIT
#include "plugins/loader/dialect_loader.hpp"
#include "runner/base/errors.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

using runner::DialectLoader;
using runner::DialectLoadError;

namespace {
std::string load_error(DialectLoader& loader, const std::string& name) {
  try {
    loader.load(name);
  } catch (const DialectLoadError& e) {
    return e.what();
  }
  BOOST_FAIL("expected DialectLoadError for " << name);
  return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(dialect_loader)

BOOST_AUTO_TEST_CASE(loads_the_real_plugins) {
  DialectLoader loader({runner::test::dialect_dir()});
  BOOST_TEST(loader.load("sqlite").name() == "sqlite");
  BOOST_TEST(loader.load("postgresql").name() == "postgresql");
  BOOST_TEST(&loader.load("postgres") == &loader.load("postgresql"));  // an alias: the same plugin
  BOOST_TEST(&loader.load("sqlite") == &loader.load("sqlite"));        // loaded once
}

BOOST_AUTO_TEST_CASE(an_embedding_application_chooses_the_plugin_folders) {
  const auto with_exe = DialectLoader::search_path({"/opt/app/plugins"}, "/a:/b");
  BOOST_TEST_REQUIRE(with_exe.size() == 4u);
  BOOST_TEST(with_exe[0] == "/opt/app/plugins");
  BOOST_TEST(with_exe[2] == "/b");
  BOOST_TEST(with_exe[3].string().find("lib/runner/dialects") != std::string::npos);
  // The running executable is the application's own: its folder is left out when asked.
  const auto without = DialectLoader::search_path({"/opt/app/plugins"}, "", false);
  BOOST_TEST(without == (std::vector<std::filesystem::path>{"/opt/app/plugins"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_plugin_for_another_abi_is_refused_by_file) {
  DialectLoader loader({RUNNER_TEST_PLUGIN_DIR});
  std::string e = load_error(loader, "badabi");
  BOOST_TEST(e.find("runner_dialect_badabi.so") != std::string::npos, e);
  BOOST_TEST(e.find("built for dialect ABI 3, this runner speaks ABI 2") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(a_plugin_without_a_run_lock_is_refused_when_it_loads) {
  // A misspelt lock key would have let every run go ahead with no lock at all.
  DialectLoader loader({RUNNER_TEST_PLUGIN_DIR});
  std::string e = load_error(loader, "nolock");
  BOOST_TEST(e.find("runner_dialect_nolock.so: plugin is unusable: runner_sql gives no run lock") != std::string::npos,
             e);
}

BOOST_AUTO_TEST_CASE(a_plugin_with_two_run_locks_is_refused_when_it_loads) {
  DialectLoader loader({RUNNER_TEST_PLUGIN_DIR});
  std::string e = load_error(loader, "twolocks");
  BOOST_TEST(
      e.find("runner_dialect_twolocks.so: plugin is unusable: runner_sql gives two run locks") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(a_shared_object_without_the_entry_point_is_not_a_plugin) {
  DialectLoader loader({RUNNER_TEST_PLUGIN_DIR});
  std::string e = load_error(loader, "noentry");
  BOOST_TEST(e.find("runner_dialect_noentry.so: not a runner dialect plugin") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_shared_object_is_named) {
  runner::test::TempDir dir;
  runner::test::write_file(dir / "runner_dialect_garbage.so", "this is text, not ELF\n");
  DialectLoader loader({dir.path()});
  std::string e = load_error(loader, "garbage");
  BOOST_TEST(e.find("runner_dialect_garbage.so: not a loadable plugin") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(missing_and_malformed_names) {
  runner::test::TempDir dir;
  DialectLoader loader({dir.path()});
  std::string e = load_error(loader, "oracle");
  BOOST_TEST(e.find("no plugin for dialect 'oracle'") != std::string::npos, e);
  BOOST_TEST(e.find((dir / "runner_dialect_oracle.so").string()) != std::string::npos, e);
  BOOST_TEST(load_error(loader, "../etc").find("invalid dialect name") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
