// SPDX-License-Identifier: MIT
#include "runner/api/log_bridge.hpp"

#include "runner/base/log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace runner {
namespace {

thread_local const std::function<void(LogLevel, const std::string&)>* t_callback = nullptr;

class CallbackSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (t_callback == nullptr || !*t_callback) return;
    const LogLevel level = msg.level <= spdlog::level::debug  ? LogLevel::debug
                           : msg.level == spdlog::level::info ? LogLevel::info
                           : msg.level == spdlog::level::warn ? LogLevel::warning
                                                              : LogLevel::error;
    (*t_callback)(level, std::string(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}
};

}  // namespace

void install_log_bridge() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto logger = std::make_shared<spdlog::logger>("runner", std::make_shared<CallbackSink>());
    logger->set_level(spdlog::level::info);
    set_logger(std::move(logger));
  });
}

LogCallbackScope::LogCallbackScope(const std::function<void(LogLevel, const std::string&)>* callback)
    : previous_(t_callback) {
  t_callback = callback;
}

LogCallbackScope::~LogCallbackScope() { t_callback = previous_; }

}  // namespace runner
