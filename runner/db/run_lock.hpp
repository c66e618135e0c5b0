// SPDX-License-Identifier: MIT
// The lock one run holds for its whole duration, so that runners started at once apply every
// migration exactly once. Which kind is the dialect's choice (DatabaseInfo).
#pragma once

#include <chrono>
#include <string>

namespace runner {

class Cancellation;
class Connection;

// An exclusive flock(2) on the database file. Taken before the database is opened and released
// after it is closed: closing another descriptor of the file while SQLite has it open would drop
// SQLite's own fcntl locks.
class FileLock {
 public:
  // Creates the file when missing. Waits up to `timeout`; throws SafetyError when it runs out,
  // InterruptedError when `cancel` is requested meanwhile. display: the database as messages name it.
  FileLock(const std::string& path, const std::string& display, std::chrono::seconds timeout,
           const Cancellation* cancel = nullptr);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

// A lock taken and released with the dialect's SQL (PostgreSQL: a session advisory lock).
class SqlLock {
 public:
  // Polls try_sql until it returns 1. Throws SafetyError after `timeout`, naming the holder as
  // holder_sql describes it (when given), InterruptedError when `cancel` is requested meanwhile.
  SqlLock(Connection& connection, std::string try_sql, std::string release_sql, const std::string& holder_sql,
          const std::string& what, std::chrono::seconds timeout, const Cancellation* cancel = nullptr);
  ~SqlLock();
  SqlLock(const SqlLock&) = delete;
  SqlLock& operator=(const SqlLock&) = delete;

 private:
  Connection& connection_;
  std::string release_sql_;
};

}  // namespace runner
