// SPDX-License-Identifier: MIT
// The runner's one logger. Diagnostics go here; results for the user go to stdout from the
// commands. Files that log include <spdlog/spdlog.h> themselves, so this widely included header
// stays light.
#pragma once

#include <memory>

namespace spdlog {
class logger;
}

namespace runner {

enum class Verbosity { quiet, normal, verbose };

// The logger: the one set_logger() gave, else one writing "runner: LEVEL: message" to stderr at
// the normal level, created on first use. Neither is registered in spdlog's global registry, so an
// application that has its own "runner" logger keeps it.
spdlog::logger& log();

// Makes `logger` the runner's logger (an application embedding the runner passes its own). Call it
// before any other runner function.
void set_logger(std::shared_ptr<spdlog::logger> logger);

void set_verbosity(Verbosity v);

}  // namespace runner
