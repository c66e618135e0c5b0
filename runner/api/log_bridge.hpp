// SPDX-License-Identifier: MIT
// The library's log lines go to the callback of the Migrator call that produced them, on the
// thread that made the call; without one, nowhere (a library prints nothing unless asked).
#pragma once

#include "runner/migrator.hpp"

#include <functional>
#include <string>

namespace runner {

// Makes the runner's logger the bridge, once per process (unless the application set its own).
void install_log_bridge();

// For the lifetime of this object, this thread's log lines go to `callback`.
class LogCallbackScope {
 public:
  explicit LogCallbackScope(const std::function<void(LogLevel, const std::string&)>* callback);
  ~LogCallbackScope();
  LogCallbackScope(const LogCallbackScope&) = delete;
  LogCallbackScope& operator=(const LogCallbackScope&) = delete;

 private:
  const std::function<void(LogLevel, const std::string&)>* previous_;
};

}  // namespace runner
