// SPDX-License-Identifier: MIT
// The wall clock the runner stamps history rows and scripts with, as a seam: tests (and an
// application that keeps its own time) set it; nothing else reads system_clock directly.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace runner {

using WallClock = std::function<std::chrono::system_clock::time_point()>;

// Now, by the clock set_wall_clock() gave, else the system's.
std::chrono::system_clock::time_point wall_now();

// Replaces the clock (an empty one restores the system's). Call it before any other runner
// function; it is not synchronised with runs in progress.
void set_wall_clock(WallClock clock);

// wall_now() in UTC as ISO 8601 with milliseconds: 2026-11-24T07:35:00.123Z
std::string utc_now_iso();

}  // namespace runner
