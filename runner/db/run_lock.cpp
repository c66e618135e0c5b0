// SPDX-License-Identifier: MIT
#include "runner/db/run_lock.hpp"

#include "runner/core/errors.hpp"
#include "runner/core/log.hpp"
#include "runner/db/connection.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace runner {
namespace {

constexpr auto k_poll = std::chrono::milliseconds(50);

std::string timeout_message(const std::string& what, std::chrono::seconds timeout) {
  return what + " is locked by another runner; gave up after " + std::to_string(timeout.count()) +
         " s (--lock-timeout)";
}

}  // namespace

FileLock::FileLock(const std::string& path, std::chrono::seconds timeout) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw DatabaseError("cannot open database file " + path + ": " + std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool announced = false;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int err = errno;
      ::close(fd_);
      throw DatabaseError("cannot lock database file " + path + ": " + std::strerror(err));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      throw SafetyError(timeout_message("sqlite:" + path, timeout));
    }
    if (!announced) {
      log().info("waiting for another runner to finish with {}", path);
      announced = true;
    }
    std::this_thread::sleep_for(k_poll);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

SqlLock::SqlLock(Connection& connection, std::string try_sql, std::string release_sql, const std::string& what,
                 std::chrono::seconds timeout)
    : connection_(connection), release_sql_(std::move(release_sql)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool announced = false;
  while (connection_.query_int(try_sql) != 1) {
    if (std::chrono::steady_clock::now() >= deadline) throw SafetyError(timeout_message(what, timeout));
    if (!announced) {
      log().info("waiting for another runner to finish with {}", what);
      announced = true;
    }
    std::this_thread::sleep_for(k_poll);
  }
}

SqlLock::~SqlLock() {
  try {
    connection_.query_int(release_sql_);
  } catch (const std::exception& e) {
    // The server drops session locks with the connection, which closes right after this.
    try {
      log().debug("releasing the run lock failed: {}", e.what());
    } catch (...) {
    }
  }
}

}  // namespace runner
