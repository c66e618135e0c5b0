// SPDX-License-Identifier: MIT
#include "runner/core/target.hpp"
#include "runner/base/errors.hpp"

#include <boost/test/unit_test.hpp>

using runner::parse_target;
using runner::Target;
using runner::TargetUse;

BOOST_AUTO_TEST_SUITE(target)

BOOST_AUTO_TEST_CASE(upgrade_targets) {
  BOOST_TEST((parse_target("head", TargetUse::upgrade).kind == Target::Kind::head));
  auto v = parse_target("0007", TargetUse::upgrade);
  BOOST_TEST((v.kind == Target::Kind::version));
  BOOST_TEST(v.version == 7u);
  auto rel = parse_target("+2", TargetUse::upgrade);
  BOOST_TEST((rel.kind == Target::Kind::relative));
  BOOST_TEST(rel.steps == 2);
  BOOST_CHECK_THROW(parse_target("base", TargetUse::upgrade), runner::UsageError);
  BOOST_CHECK_THROW(parse_target("-1", TargetUse::upgrade), runner::UsageError);
  BOOST_CHECK_THROW(parse_target("+0", TargetUse::upgrade), runner::UsageError);
}

BOOST_AUTO_TEST_CASE(downgrade_targets) {
  auto rel = parse_target("-3", TargetUse::downgrade);
  BOOST_TEST(rel.steps == -3);
  BOOST_TEST((parse_target("base", TargetUse::downgrade).kind == Target::Kind::base));
  BOOST_TEST(parse_target("20261124093000", TargetUse::downgrade).version == 20261124093000u);
  BOOST_CHECK_THROW(parse_target("head", TargetUse::downgrade), runner::UsageError);
  BOOST_CHECK_THROW(parse_target("abc", TargetUse::downgrade), runner::UsageError);
}

BOOST_AUTO_TEST_CASE(stamp_targets) {
  BOOST_TEST((parse_target("head", TargetUse::stamp).kind == Target::Kind::head));
  BOOST_TEST((parse_target("base", TargetUse::stamp).kind == Target::Kind::base));
  BOOST_CHECK_THROW(parse_target("+1", TargetUse::stamp), runner::UsageError);
}

BOOST_AUTO_TEST_CASE(the_error_names_the_value) {
  try {
    parse_target("latest", TargetUse::upgrade);
    BOOST_FAIL("expected UsageError");
  } catch (const runner::UsageError& e) {
    BOOST_TEST(std::string(e.what()) == "invalid target 'latest' (expected head, a version, or +N)");
  }
}

BOOST_AUTO_TEST_SUITE_END()
