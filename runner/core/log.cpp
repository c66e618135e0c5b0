// SPDX-License-Identifier: MIT
#include "runner/core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace runner {

spdlog::logger& log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("runner");  // _mt: --all-projects logs from several threads
    l->set_pattern("runner: %l: %v");
    l->set_level(spdlog::level::info);
    return l;
  }();
  return *logger;
}

void set_verbosity(Verbosity v) {
  log().set_level(v == Verbosity::quiet     ? spdlog::level::err
                  : v == Verbosity::verbose ? spdlog::level::debug
                                            : spdlog::level::info);
}

}  // namespace runner
