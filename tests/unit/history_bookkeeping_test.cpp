// SPDX-License-Identifier: MIT
// The history as the runner keeps it in memory: a step applied or reverted, a plan's preview, a
// script's starting point.
#include "runner/base/errors.hpp"
#include "runner/core/plan.hpp"
#include "runner/engine/operations.hpp"
#include "runner/engine/sql_script.hpp"

#include <boost/test/unit_test.hpp>

using namespace runner;

namespace {

MigrationSet three() {
  MigrationSet set;
  set.dir = "sql";
  for (std::uint64_t v : {1, 2, 5}) {
    Migration m;
    m.version = v;
    m.version_text = "000" + std::to_string(v);
    m.name = "m" + std::to_string(v);
    m.up = "sql/" + m.version_text + "_" + m.name + ".up.sql";
    m.set_checksum("sum" + std::to_string(v));
    set.migrations.push_back(m);
  }
  return set;
}

std::vector<std::uint64_t> versions(const History& h) {
  std::vector<std::uint64_t> v;
  for (const auto& r : h) v.push_back(r.version);
  return v;
}

PreparedStep step(const MigrationSet& set, std::uint64_t version, Direction direction) {
  PreparedStep p;
  p.step = {set.find(version), version, direction};
  p.checksum = "ran" + std::to_string(version);
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(history_bookkeeping)

BOOST_AUTO_TEST_CASE(an_applied_step_lands_in_version_order_and_a_reverted_one_leaves) {
  History h;
  apply_step(h, Direction::up, {5, "m5", "c5", "", 0});
  apply_step(h, Direction::up, {1, "m1", "c1", "", 0});
  apply_step(h, Direction::up, {2, "m2", "c2", "", 0});  // out of order: lands between
  BOOST_TEST(versions(h) == (std::vector<std::uint64_t>{1, 2, 5}), boost::test_tools::per_element());
  apply_step(h, Direction::down, {2, "", "", "", 0});
  BOOST_TEST(versions(h) == (std::vector<std::uint64_t>{1, 5}), boost::test_tools::per_element());
  apply_step(h, Direction::down, {9, "", "", "", 0});  // not there: nothing changes
  BOOST_TEST(h.size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_preview_of_a_plan_carries_the_checksums_that_ran) {
  const MigrationSet set = three();
  History before;
  apply_step(before, Direction::up, {1, "m1", "sum1", "2026-01-01T00:00:00.000Z", 3});
  const History after = history_after(before, {step(set, 2, Direction::up), step(set, 5, Direction::up)});
  BOOST_TEST(versions(after) == (std::vector<std::uint64_t>{1, 2, 5}), boost::test_tools::per_element());
  BOOST_TEST(after[0].applied_at == "2026-01-01T00:00:00.000Z");  // what was applied stays as it was
  BOOST_TEST(after[1].checksum == "ran2");
  BOOST_TEST(after[2].name == "m5");
  const History down = history_after(after, {step(set, 5, Direction::down), step(set, 2, Direction::down)});
  BOOST_TEST(versions(down) == (std::vector<std::uint64_t>{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_script_starts_from_the_history_up_to_a_version) {
  const MigrationSet set = three();
  BOOST_TEST(history_up_to(set, 0).empty());
  BOOST_TEST(versions(history_up_to(set, 2)) == (std::vector<std::uint64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(versions(history_up_to(set, 5)) == (std::vector<std::uint64_t>{1, 2, 5}),
             boost::test_tools::per_element());
  BOOST_CHECK_THROW(history_up_to(set, 3), PlanError);  // no migration 3
}

BOOST_AUTO_TEST_SUITE_END()
