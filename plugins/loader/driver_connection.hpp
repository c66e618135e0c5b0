// SPDX-License-Identifier: MIT
// The host's side of runner_driver: one open connection of a dialect's driver, with C++ types and
// the plugin's failures as StatementFailure values. Nothing here throws through the plugin.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct runner_driver;
struct runner_connection;

namespace runner {

// Why a statement failed, as the database said it.
struct StatementFailure {
  std::string message;   // the database's primary message
  std::string sqlstate;  // "" where the database has none
  std::string detail;
  std::string hint;
  std::string code;                             // the database's error code in words
  std::size_t byte_offset = std::string::npos;  // where in the statement, when the database says
  bool locked = false;                          // another connection kept what it needed locked past the lock timeout
  bool internal = false;                        // the plugin failed, not the database
};

class DriverConnection {
 public:
  using RowFn = std::function<void(std::uint32_t ncols, const char* const* values)>;

  // Opens a connection. Returns null and fills *failure when the database or the plugin refuses.
  static std::unique_ptr<DriverConnection> open(const runner_driver& driver, const std::string& connect,
                                                StatementFailure* failure);
  ~DriverConnection();
  DriverConnection(const DriverConnection&) = delete;
  DriverConnection& operator=(const DriverConnection&) = delete;

  // Runs `sql` verbatim, binding `params` to the dialect's placeholders when there are any. Rows go
  // to `row` when set; a throwing `row` makes the call fail. False with *failure filled when the
  // database refuses it. Never throws.
  bool run(const std::string& sql, const std::vector<std::string>& params, const RowFn* row,
           StatementFailure* failure) noexcept;
  bool begin(StatementFailure* failure) noexcept;
  bool commit(StatementFailure* failure) noexcept;
  bool rollback(StatementFailure* failure) noexcept;
  bool in_transaction() noexcept;
  // The local and the remote TCP port; -1 when not TCP.
  int local_port() noexcept;
  int peer_port() noexcept;
  // Asks the database to stop the statement running now; safe from another thread.
  bool cancel() noexcept;

 private:
  DriverConnection(const runner_driver& driver, runner_connection* conn) : driver_(driver), conn_(conn) {}
  bool transaction(int op, StatementFailure* failure) noexcept;
  const runner_driver& driver_;
  runner_connection* conn_;
};

}  // namespace runner
