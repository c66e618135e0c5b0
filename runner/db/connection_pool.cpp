// SPDX-License-Identifier: MIT
#include "runner/db/connection_pool.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/db/connection.hpp"

namespace runner {

ConnectionPool::ConnectionPool() = default;
ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<Connection> ConnectionPool::take(const Dialect& dialect, const DatabaseInfo& target) {
  std::unique_ptr<Connection> connection, stale;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = idle_.find(target.connect);
    if (it != idle_.end() && !it->second.empty()) {
      connection = std::move(it->second.back());
      it->second.pop_back();
    } else {
      // An idle connection to another database of this server gives way, so that the server never
      // sees more connections than the run has projects on it at once.
      for (auto& [connect, list] : idle_)
        if (!list.empty() && server_of_[connect] == target.server) {
          stale = std::move(list.back());
          list.pop_back();
          break;
        }
    }
  }
  stale.reset();
  if (connection) {
    try {
      connection->retarget(target);
      return connection;
    } catch (...) {
      // Gone stale (the server restarted, an idle timeout): a new one instead.
      connection.reset();
    }
  }
  return std::make_unique<Connection>(dialect, target);
}

void ConnectionPool::hand_on_used(bool on) { hand_on_used_ = on; }

void ConnectionPool::give_back(std::unique_ptr<Connection> connection, const DatabaseInfo& target) noexcept {
  if (!connection) return;
  try {
    // A file's database is one project's: nothing to share it with. A session migrations ran on is
    // kept only once the dialect's discard_sql set it back as a new one starts.
    if (target.file.empty() && !target.keep_open && !connection->failed() && !connection->in_transaction() &&
        (connection->clean() || (hand_on_used_.load() && connection->discard(target.discard_sql)))) {
      std::lock_guard<std::mutex> lock(mutex_);
      server_of_[target.connect] = target.server;
      idle_[target.connect].push_back(std::move(connection));
      return;
    }
  } catch (...) {
  }
  connection.reset();
}

}  // namespace runner
