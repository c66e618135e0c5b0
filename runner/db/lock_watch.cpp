// SPDX-License-Identifier: MIT
#include "runner/db/lock_watch.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/db/connection.hpp"

#include <spdlog/spdlog.h>

namespace runner {

LockWatch::LockWatch(const Dialect& dialect, const DatabaseInfo& target, std::string query,
                     std::chrono::milliseconds every)
    : query_(std::move(query)), every_(every) {
  thread_ = std::thread([this, &dialect, target] { run(dialect, target); });
}

LockWatch::~LockWatch() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string LockWatch::blockers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_;
}

void LockWatch::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  seen_.clear();
}

void LockWatch::run(const Dialect& dialect, const DatabaseInfo& target) {
  std::unique_ptr<Connection> conn;
  try {
    conn = std::make_unique<Connection>(dialect, target);
  } catch (const std::exception& e) {
    log().debug("cannot watch for lock waits on {}: {}", target.display, e.what());
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, every_, [this] { return stop_; })) {
    lock.unlock();
    std::string now;
    try {
      now = conn->query_string(query_);
    } catch (const std::exception& e) {
      log().debug("watching for lock waits: {}", e.what());
    }
    lock.lock();
    if (!now.empty()) seen_ = now;
  }
}

}  // namespace runner
