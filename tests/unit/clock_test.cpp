// SPDX-License-Identifier: MIT
// The wall clock seam: history rows and scripts are stamped by it, so a test can fix the time.
#include "runner/base/clock.hpp"

#include <boost/test/unit_test.hpp>

using namespace runner;

BOOST_AUTO_TEST_SUITE(wall_clock)

BOOST_AUTO_TEST_CASE(a_fixed_clock_stamps_in_utc_with_milliseconds) {
  // 2026-01-02T03:04:05.678Z
  const auto fixed = std::chrono::system_clock::time_point(std::chrono::milliseconds(1767323045678LL));
  set_wall_clock([fixed] { return fixed; });
  BOOST_TEST(utc_now_iso() == "2026-01-02T03:04:05.678Z");
  BOOST_TEST((wall_now() == fixed));
  set_wall_clock({});  // the system's again
  const auto before = std::chrono::system_clock::now();
  BOOST_TEST((wall_now() >= before));
  BOOST_TEST(utc_now_iso().size() == 24u);
}

BOOST_AUTO_TEST_SUITE_END()
