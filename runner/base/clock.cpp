// SPDX-License-Identifier: MIT
#include "runner/base/clock.hpp"

#include <cstdio>
#include <ctime>
#include <utility>

namespace runner {
namespace {

WallClock& clock_slot() {
  static WallClock clock;
  return clock;
}

}  // namespace

std::chrono::system_clock::time_point wall_now() {
  const WallClock& clock = clock_slot();
  return clock ? clock() : std::chrono::system_clock::now();
}

void set_wall_clock(WallClock clock) { clock_slot() = std::move(clock); }

std::string utc_now_iso() {
  const auto now = wall_now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

}  // namespace runner
