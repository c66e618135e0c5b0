// SPDX-License-Identifier: MIT
// The runner's one logger (stderr, named "runner"). Diagnostics go here; results for the user go
// to stdout from the commands. Files that log include <spdlog/spdlog.h> themselves, so this
// widely included header stays light.
#pragma once

namespace spdlog {
class logger;
}

namespace runner {

enum class Verbosity { quiet, normal, verbose };

// Creates the logger on first use at the normal level.
spdlog::logger& log();

void set_verbosity(Verbosity v);

}  // namespace runner
