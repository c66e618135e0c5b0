// SPDX-License-Identifier: MIT
#include "runner/base/errors.hpp"
#include "tests/dialect/dialect_fixture.hpp"

#include <boost/test/unit_test.hpp>

using runner::test::load_dialect;

BOOST_AUTO_TEST_SUITE(sqlite_url)

BOOST_AUTO_TEST_CASE(url_forms) {
  const auto& d = load_dialect("sqlite");
  auto rel = d.describe_database("sqlite:data/project_1.db", 60);
  BOOST_TEST(rel.file == "data/project_1.db");
  BOOST_TEST(rel.connect == "db=\"data/project_1.db\" timeout=60");
  BOOST_TEST(d.describe_database("sqlite:///var/db/x.db", 5).file == "/var/db/x.db");
  BOOST_TEST(d.describe_database("sqlite://rel.db", 5).file == "rel.db");
  auto mem = d.describe_database("sqlite::memory:", 5);
  BOOST_TEST(mem.file.empty());
  BOOST_TEST(d.describe_database("sqlite:with space.db", 5).connect == "db=\"with space.db\" timeout=5");
}

BOOST_AUTO_TEST_CASE(projects_are_files) {
  const auto& d = load_dialect("sqlite");
  BOOST_TEST(d.projects_query("data/project_*.db").empty());
  BOOST_TEST(d.project_url("sqlite:data/project_1.db", "data/project_7.db") == "sqlite:data/project_7.db");
}

BOOST_AUTO_TEST_CASE(bad_urls_are_usage_errors) {
  const auto& d = load_dialect("sqlite");
  BOOST_CHECK_THROW(d.describe_database("sqlite:", 5), runner::UsageError);
  BOOST_CHECK_THROW(d.describe_database("sqlite:a\"b.db", 5), runner::UsageError);
  BOOST_CHECK_THROW(d.describe_database("postgresql://x", 5), runner::UsageError);
}

BOOST_AUTO_TEST_CASE(runner_sql_names_runner_history) {
  auto h = load_dialect("sqlite").runner_sql("");
  BOOST_TEST(h.create.size() == 3u);
  BOOST_TEST(h.create[1].find("CREATE TABLE IF NOT EXISTS runner_meta") == 0u);
  BOOST_TEST(h.create[2].find("CREATE TABLE IF NOT EXISTS runner_progress") == 0u);
  BOOST_TEST(h.tables_version == 2);
  BOOST_TEST(h.tracks_progress());
  BOOST_TEST(h.create[0].find("CREATE TABLE IF NOT EXISTS runner_history") == 0u);
  BOOST_TEST(h.insert.find("?5") != std::string::npos);  // five parameters, in SQLite's own syntax
  BOOST_TEST(h.lock_file);                               // one runner per file: a flock on it
  BOOST_TEST(h.lock_try.empty());
}

BOOST_AUTO_TEST_SUITE_END()
