// SPDX-License-Identifier: MIT
#include "runner/core/plan.hpp"
#include "runner/base/errors.hpp"

#include <boost/test/unit_test.hpp>

using namespace runner;

namespace {

// Files 1..n, all with downs, except those listed in no_down.
MigrationSet files(std::uint64_t n, std::vector<std::uint64_t> no_down = {}) {
  MigrationSet set;
  set.dir = "sql";
  for (std::uint64_t v = 1; v <= n; ++v) {
    Migration m;
    m.version = v;
    m.version_text = "000" + std::to_string(v);
    m.name = "m" + std::to_string(v);
    m.up = "sql/" + m.version_text + "_" + m.name + ".up.sql";
    if (std::find(no_down.begin(), no_down.end(), v) == no_down.end())
      m.down = std::filesystem::path("sql/" + m.version_text + "_" + m.name + ".down.sql");
    m.set_checksum("sum" + std::to_string(v));
    set.migrations.push_back(m);
  }
  return set;
}

History applied(std::vector<std::uint64_t> versions) {
  History h;
  for (auto v : versions)
    h.push_back({v, "m" + std::to_string(v), "sum" + std::to_string(v), "2026-01-01T00:00:00Z", 1});
  return h;
}

std::vector<std::uint64_t> versions(const std::vector<Step>& steps) {
  std::vector<std::uint64_t> v;
  for (const auto& s : steps) v.push_back(s.version);
  return v;
}

Target t(const std::string& s, TargetUse use) { return parse_target(s, use); }

}  // namespace

BOOST_AUTO_TEST_SUITE(plan)

BOOST_AUTO_TEST_CASE(upgrade_to_head_version_and_plus_n) {
  auto f = files(5);
  BOOST_TEST(versions(plan_upgrade(f, applied({1, 2}), t("head", TargetUse::upgrade), false)) ==
                 (std::vector<std::uint64_t>{3, 4, 5}),
             boost::test_tools::per_element());
  BOOST_TEST(
      versions(plan_upgrade(f, applied({1}), t("3", TargetUse::upgrade), false)) == (std::vector<std::uint64_t>{2, 3}),
      boost::test_tools::per_element());
  BOOST_TEST(
      versions(plan_upgrade(f, applied({}), t("+2", TargetUse::upgrade), false)) == (std::vector<std::uint64_t>{1, 2}),
      boost::test_tools::per_element());
  BOOST_TEST(plan_upgrade(f, applied({1, 2, 3, 4, 5}), t("head", TargetUse::upgrade), false).empty());
  BOOST_TEST(plan_upgrade(f, applied({1, 2, 3}), t("3", TargetUse::upgrade), false).empty());
}

BOOST_AUTO_TEST_CASE(upgrade_refuses_unknown_lower_and_too_far_targets) {
  auto f = files(3);
  BOOST_CHECK_THROW(plan_upgrade(f, applied({}), t("9", TargetUse::upgrade), false), PlanError);
  BOOST_CHECK_THROW(plan_upgrade(f, applied({1, 2}), t("1", TargetUse::upgrade), false), PlanError);
  BOOST_CHECK_THROW(plan_upgrade(f, applied({1, 2}), t("+2", TargetUse::upgrade), false), PlanError);
}

BOOST_AUTO_TEST_CASE(out_of_order_pending_is_refused_unless_allowed) {
  auto f = files(4);
  try {
    plan_upgrade(f, applied({1, 3}), t("head", TargetUse::upgrade), false);
    BOOST_FAIL("expected SafetyError");
  } catch (const SafetyError& e) {
    BOOST_TEST(std::string(e.what()).find("0002_m2") != std::string::npos);
    BOOST_TEST(e.exit_code() == 3);
  }
  BOOST_TEST(versions(plan_upgrade(f, applied({1, 3}), t("head", TargetUse::upgrade), true)) ==
                 (std::vector<std::uint64_t>{2, 4}),
             boost::test_tools::per_element());
  // A pending target below the current version is an out-of-order upgrade, not a downgrade.
  BOOST_TEST(
      versions(plan_upgrade(f, applied({1, 3}), t("2", TargetUse::upgrade), true)) == (std::vector<std::uint64_t>{2}),
      boost::test_tools::per_element());
  BOOST_CHECK_THROW(plan_upgrade(f, applied({1, 3}), t("2", TargetUse::upgrade), false), SafetyError);
}

BOOST_AUTO_TEST_CASE(downgrade_minus_n_version_and_base_newest_first) {
  auto f = files(4);
  BOOST_TEST(versions(plan_downgrade(f, applied({1, 2, 3, 4}), t("-1", TargetUse::downgrade))) ==
                 (std::vector<std::uint64_t>{4}),
             boost::test_tools::per_element());
  BOOST_TEST(versions(plan_downgrade(f, applied({1, 2, 3, 4}), t("2", TargetUse::downgrade))) ==
                 (std::vector<std::uint64_t>{4, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(versions(plan_downgrade(f, applied({1, 2, 3}), t("base", TargetUse::downgrade))) ==
                 (std::vector<std::uint64_t>{3, 2, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(plan_downgrade(f, applied({}), t("base", TargetUse::downgrade)).empty());
  BOOST_CHECK_THROW(plan_downgrade(f, applied({1}), t("-2", TargetUse::downgrade)), PlanError);
  BOOST_CHECK_THROW(plan_downgrade(f, applied({1, 2}), t("3", TargetUse::downgrade)), PlanError);
}

BOOST_AUTO_TEST_CASE(downgrade_past_an_irreversible_migration_names_it) {
  auto f = files(3, {2});
  BOOST_TEST(plan_downgrade(f, applied({1, 2, 3}), t("-1", TargetUse::downgrade)).size() == 1u);
  try {
    plan_downgrade(f, applied({1, 2, 3}), t("base", TargetUse::downgrade));
    BOOST_FAIL("expected PlanError");
  } catch (const PlanError& e) {
    BOOST_TEST(std::string(e.what()).find("0002_m2 (no down file)") != std::string::npos, e.what());
    BOOST_TEST(e.exit_code() == 2);
  }
}

BOOST_AUTO_TEST_CASE(drift_finds_changed_and_missing_files) {
  auto f = files(2);
  History h = applied({1, 2, 7});
  h[0].checksum = "edited";
  auto drift = find_drift(f, h);
  BOOST_TEST_REQUIRE(drift.size() == 2u);
  BOOST_TEST((drift[0].kind == Drift::Kind::changed));
  BOOST_TEST(drift[0].label == "0001_m1");
  BOOST_TEST((drift[1].kind == Drift::Kind::missing_file));
  BOOST_TEST(drift[1].version == 7u);
  BOOST_TEST(find_drift(f, applied({1, 2})).empty());
}

BOOST_AUTO_TEST_CASE(stamp_adds_up_to_the_target_and_removes_above) {
  auto f = files(4);
  auto head = plan_stamp(f, applied({1}), t("head", TargetUse::stamp));
  BOOST_TEST(head.add.size() == 3u);
  BOOST_TEST(head.remove.empty());
  auto two = plan_stamp(f, applied({1, 2, 3, 4}), t("2", TargetUse::stamp));
  BOOST_TEST(two.add.empty());
  BOOST_TEST(two.remove == (std::vector<std::uint64_t>{3, 4}), boost::test_tools::per_element());
  auto base = plan_stamp(f, applied({1, 2}), t("base", TargetUse::stamp));
  BOOST_TEST(base.remove.size() == 2u);
  BOOST_CHECK_THROW(plan_stamp(f, applied({}), t("9", TargetUse::stamp)), PlanError);
}

BOOST_AUTO_TEST_CASE(status_merges_files_and_history) {
  auto f = files(3);
  History h = applied({1, 2, 5});
  h[1].checksum = "edited";
  auto rows = build_status(f, h);
  BOOST_TEST_REQUIRE(rows.size() == 4u);
  BOOST_TEST(rows[0].checksum == "ok");
  BOOST_TEST(rows[1].checksum == "changed");
  BOOST_TEST(!rows[2].applied);
  BOOST_TEST(rows[2].checksum.empty());
  BOOST_TEST(rows[3].version == 5u);
  BOOST_TEST(rows[3].checksum == "missing-file");
}

BOOST_AUTO_TEST_SUITE_END()
