// SPDX-License-Identifier: MIT
// Connections a fleet run hands from one database to the next on the same server: a project
// leaves its connection for the next project instead of closing it, so a run over a thousand
// schemas does not pay a thousand connection start-ups on cold server processes. What a migration
// leaves on its session must not reach another project: a connection a migration ran on is set
// back as a new one starts (the dialect's discard_sql: PostgreSQL's DISCARD ALL) as soon as it is
// given back, which also lets go of any lock the migration left held, or closed when the dialect
// has no such statement; one on which anything failed is closed.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace runner {

class Connection;
class Dialect;
struct DatabaseInfo;

class ConnectionPool {
 public:
  ConnectionPool();
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection to `target`: an idle one opened with the same connect string, set up for the
  // target (Connection::retarget), or a new one. Thread-safe. Throws DatabaseError.
  std::unique_ptr<Connection> take(const Dialect& dialect, const DatabaseInfo& target);
  // Keeps `connection` for the next take() when nothing failed on it, it is outside a transaction,
  // and it is clean, or (with hand_on_used) the dialect's discard_sql made it so just now; else
  // closes it. Never throws (it runs on failure paths).
  void give_back(std::unique_ptr<Connection> connection, const DatabaseInfo& target) noexcept;
  // Whether a connection migrations ran on is reset and kept: for a run over many projects
  // (--all-projects). A single run closes it instead, as it would anyway, and never sends a reset
  // through a pooler that might share its server session with another runner.
  void hand_on_used(bool on);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;  // by connect string
  std::map<std::string, std::string> server_of_;                          // by connect string
  std::atomic<bool> hand_on_used_{false};
};

}  // namespace runner
