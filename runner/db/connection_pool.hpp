// SPDX-License-Identifier: MIT
// Connections a fleet run hands from one database to the next on the same server: a project
// leaves its connection for the next project instead of closing it, so a run over a thousand
// schemas does not pay a thousand connection start-ups on cold server processes. What a migration
// leaves on its session must never reach another project: a connection a migration ran on is
// first set back as a new one starts (the dialect's discard_sql: PostgreSQL's DISCARD ALL), or
// closed when the dialect has no such statement; one on which anything failed is closed.
#pragma once

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

  // A connection to `target`: an idle one opened with the same connect string, reset (discard_sql)
  // when migrations ran on it and set up for the target (Connection::retarget), or a new one.
  // Thread-safe. Throws DatabaseError.
  std::unique_ptr<Connection> take(const Dialect& dialect, const DatabaseInfo& target);
  // Keeps `connection` for the next take() when nothing failed on it, it is outside a transaction,
  // and it is clean or the dialect has discard_sql to make it so (run by take()); else closes it.
  // Never throws (it runs on failure paths).
  void give_back(std::unique_ptr<Connection> connection, const DatabaseInfo& target) noexcept;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;  // by connect string
  std::map<std::string, std::string> server_of_;                          // by connect string
};

}  // namespace runner
