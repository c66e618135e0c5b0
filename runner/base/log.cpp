// SPDX-License-Identifier: MIT
#include "runner/base/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <utility>

namespace runner {
namespace {

std::shared_ptr<spdlog::logger>& slot() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    // _mt: --all-projects logs from several threads.
    auto l = std::make_shared<spdlog::logger>("runner", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("runner: %l: %v");
    l->set_level(spdlog::level::info);
    return l;
  }();
  return logger;
}

}  // namespace

spdlog::logger& log() { return *slot(); }

void set_logger(std::shared_ptr<spdlog::logger> logger) {
  if (logger) slot() = std::move(logger);
}

void set_verbosity(Verbosity v) {
  log().set_level(v == Verbosity::quiet     ? spdlog::level::err
                  : v == Verbosity::verbose ? spdlog::level::debug
                                            : spdlog::level::info);
}

}  // namespace runner
