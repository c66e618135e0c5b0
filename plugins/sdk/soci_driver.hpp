// SPDX-License-Identifier: MIT
// A runner_driver over a SOCI session, for dialects whose database SOCI supports. SOCI keeps the
// session, its connect string and its transactions; the dialect adds the native statement path
// (NativeStatements), because SOCI's statement layer alters what it runs (the sqlite3 backend runs
// only the first statement of a string, the postgresql backend rewrites :name inside $$ bodies,
// E'' strings and array slices). Link runner_plugin_soci_driver.
#pragma once

#include "plugins/dialect_abi.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace soci {
class session;
class backend_factory;
class soci_error;
}  // namespace soci

namespace runner::sdk {

// Why a statement failed, as the database said it: what runner_driver reports as fields.
struct DatabaseFailure {
  std::string message;  // the database's primary message
  std::string sqlstate;
  std::string detail;
  std::string hint;
  std::string code;                          // the database's error code in words
  std::size_t position = std::string::npos;  // byte offset in the statement
  bool locked = false;                       // another connection kept what it needed locked past the lock timeout
};

// The host's row callback for one run() call.
struct Rows {
  runner_row_fn fn = nullptr;
  void* ctx = nullptr;
  void operator()(std::uint32_t ncols, const char* const* values) const { fn(ctx, ncols, values); }
  explicit operator bool() const { return fn != nullptr; }
};

// What a dialect keeps for one connection (its prepared statements, say). It is destroyed before
// the session closes.
class ConnectionState {
 public:
  virtual ~ConnectionState() = default;
};

// What a dialect adds to a SOCI session. Every function but describe() must not throw.
class NativeStatements {
 public:
  virtual ~NativeStatements() = default;
  // The SOCI backend the session opens with (a factory object: SOCI's own loader would search the
  // working directory).
  virtual const soci::backend_factory& factory() const = 0;
  // The connect string SOCI opens, from describe_database's `connect`, which may carry options of
  // the dialect's own that SOCI's parser would refuse.
  virtual std::string soci_connect_string(const std::string& connect) const { return connect; }
  // Called once right after connecting; what it returns lives as long as the connection (null:
  // nothing to keep). Throwing soci::soci_error refuses the connection, as a failed connect.
  virtual std::unique_ptr<ConnectionState> connected(soci::session& /*session*/) const { return nullptr; }
  virtual std::unique_ptr<ConnectionState> connected_with(soci::session& session,
                                                          const std::string& /*connect*/) const {
    return connected(session);
  }
  // Runs `sql` verbatim on the native handle; nparams > 0: bound to its placeholders (the runner's
  // own statements, run again and again: a dialect may keep them prepared in `state`). Rows go to
  // `rows` when it is set. False with *failure filled when the database refuses it.
  virtual bool run(soci::session& session, ConnectionState* state, const std::string& sql, std::uint32_t nparams,
                   const char* const* params, const Rows& rows, DatabaseFailure* failure) const noexcept = 0;
  virtual bool in_transaction(soci::session& session) const noexcept = 0;
  virtual void ports(soci::session& /*session*/, int* local, int* remote) const noexcept {
    *local = -1;
    *remote = -1;
  }
  // Asks the database to stop the session's running statement, from another thread.
  virtual bool cancel(soci::session& /*session*/) const noexcept { return false; }
  // cancel() with the connection's state (a dialect that cancels from a second connection keeps
  // how to reach the server there).
  virtual bool cancel_with(soci::session& session, ConnectionState* /*state*/) const noexcept {
    return cancel(session);
  }
  // Fills *failure from an error SOCI raised while connecting or ending a transaction.
  virtual void describe(const soci::soci_error& error, DatabaseFailure* failure) const;
};

// The driver table over `native`, which lives as long as the process (a static).
const runner_driver* soci_driver(const NativeStatements& native);

// A SOCI error's message without the prefixes SOCI adds, trimmed.
std::string soci_message(const soci::soci_error& error);

}  // namespace runner::sdk
