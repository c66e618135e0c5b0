// SPDX-License-Identifier: MIT
#include "runner/db/run_lock.hpp"

#include "runner/base/cancellation.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/db/connection.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

namespace runner {
namespace {

constexpr auto k_poll = std::chrono::milliseconds(50);

std::string timeout_message(const std::string& what, std::chrono::seconds timeout, const std::string& holder) {
  return fmt::format("{} is locked by another runner; gave up after {} s (--lock-timeout){}", what, timeout.count(),
                     holder.empty() ? std::string() : fmt::format("\n  held by {}", holder));
}

// The processes holding a flock on the file `fd` is open on, from /proc/locks: "process 123
// (runner)". The program's name only: its arguments may hold a password. Empty when that cannot
// be told.
std::string flock_holders(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return "";
  std::ifstream locks("/proc/locks");
  std::string line, holders;
  char device[64];
  std::snprintf(device, sizeof device, "%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                static_cast<unsigned long long>(st.st_ino));
  while (std::getline(locks, line)) {
    std::istringstream in(line);
    std::string n, kind, mode, access, pid, dev;
    if (!(in >> n >> kind)) continue;
    if (kind == "->") continue;  // a waiter, not a holder
    if (!(in >> mode >> access >> pid >> dev) || kind != "FLOCK" || dev != device) continue;
    std::ifstream comm("/proc/" + pid + "/comm");
    std::string name;
    std::getline(comm, name);
    holders += (holders.empty() ? "" : ", ") + std::string("process ") + pid + (name.empty() ? "" : " (" + name + ")");
  }
  return holders;
}

// Stops a wait for the lock that was asked to stop: nothing was done yet.
void stop_if_requested(const Cancellation* cancel, const std::string& what) {
  if (cancel == nullptr || !cancel->requested()) return;
  throw InterruptedError(fmt::format("interrupted by {} while waiting for the run lock on {}; nothing was applied",
                                     interrupt_name(cancel->signal()), what),
                         interrupted_exit_code(cancel->signal()));
}

}  // namespace

FileLock::FileLock(const std::string& path, const std::string& display, std::chrono::seconds timeout,
                   const Cancellation* cancel) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw DatabaseError(fmt::format("cannot open database file {}: {}", path, std::strerror(errno)));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool announced = false;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int err = errno;
      ::close(fd_);
      throw DatabaseError(fmt::format("cannot lock database file {}: {}", path, std::strerror(err)));
    }
    if (cancel != nullptr && cancel->requested()) {
      ::close(fd_);
      stop_if_requested(cancel, display);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string holders = flock_holders(fd_);
      ::close(fd_);
      throw SafetyError(timeout_message(display, timeout, holders));
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

SqlLock::SqlLock(Connection& connection, std::string try_sql, std::string release_sql, const std::string& holder_sql,
                 const std::string& what, std::chrono::seconds timeout, const Cancellation* cancel)
    : connection_(connection), release_sql_(std::move(release_sql)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool announced = false;
  while (connection_.query_int(try_sql) != 1) {
    stop_if_requested(cancel, what);
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string holder;
      try {
        if (!holder_sql.empty()) holder = connection_.query_string(holder_sql);
      } catch (const Error& e) {
        log().debug("cannot tell who holds the run lock: {}", e.what());
      }
      throw SafetyError(timeout_message(what, timeout, holder));
    }
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
