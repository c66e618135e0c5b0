// SPDX-License-Identifier: MIT
// The ids --all-projects gives project files, and the order it runs and lists them in.
#include "runner/cli/project_discovery.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using runner::cli::Project;
using runner::cli::project_id_from_path;
using runner::cli::project_id_less;

BOOST_AUTO_TEST_SUITE(project_ids)

BOOST_AUTO_TEST_CASE(the_id_is_what_the_star_matched) {
  BOOST_TEST(project_id_from_path("data/project_*.db", "data/project_17.db") == "17");
  BOOST_TEST(project_id_from_path("/srv/a/*.sqlite", "/srv/a/acme.sqlite") == "acme");
  BOOST_TEST(project_id_from_path("p_*", "dir/p_") == "dir/p_");  // never an empty id
}

BOOST_AUTO_TEST_CASE(without_a_single_star_the_id_is_the_path) {
  BOOST_TEST(project_id_from_path("data/project_?.db", "data/project_1.db") == "data/project_1.db");
  BOOST_TEST(project_id_from_path("data/*_*.db", "data/a_b.db") == "data/a_b.db");
  BOOST_TEST(project_id_from_path("data/[ab].db", "data/a.db") == "data/a.db");
  BOOST_TEST(project_id_from_path("x*", "y") == "y");           // not a match of the glob
  BOOST_TEST(project_id_from_path("ab*cd", "abcd") == "abcd");  // the star matched nothing
  BOOST_TEST(project_id_from_path("ab*cd", "abc") == "abc");    // shorter than the fixed parts
}

BOOST_AUTO_TEST_CASE(numeric_ids_sort_as_numbers_and_the_rest_as_text) {
  std::vector<Project> p;
  for (const char* id : {"10", "2", "b", "1", "a", "99999999999999999999"}) p.push_back({id, "", "", "", "", ""});
  std::sort(p.begin(), p.end(), project_id_less);
  std::vector<std::string> ids;
  for (const auto& x : p) ids.push_back(x.id);
  // Numbers too long for an integer compare as text, never overflowing.
  BOOST_TEST(ids == (std::vector<std::string>{"1", "2", "10", "99999999999999999999", "a", "b"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
