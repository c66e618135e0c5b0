// SPDX-License-Identifier: MIT
// Who blocks the run's session while it waits for a lock (PostgreSQL's pg_blocking_pids), seen
// from a second connection: a lock wait that gives up (--lock-wait) has no one to ask afterwards,
// so the watch asks while it waits, and keeps the last answer for the message.
#pragma once

#include "plugins/loader/dialect.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace runner {

class Connection;

class LockWatch {
 public:
  // Polls `query` (the dialect's lock_blockers_sql with the session's id in) every `every` on a
  // connection of its own. A watch that cannot connect stays silent: the run does not depend on it.
  LockWatch(const Dialect& dialect, const DatabaseInfo& target, std::string query, std::chrono::milliseconds every);
  ~LockWatch();
  LockWatch(const LockWatch&) = delete;
  LockWatch& operator=(const LockWatch&) = delete;

  // The last blockers seen since clear(): "" when none was.
  std::string blockers() const;
  void clear();

 private:
  void run(const Dialect& dialect, const DatabaseInfo& target);

  const std::string query_;
  const std::chrono::milliseconds every_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string seen_;
  std::thread thread_;
};

}  // namespace runner
