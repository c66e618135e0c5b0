// SPDX-License-Identifier: MIT
// How the host runs a migration statement verbatim on one SOCI backend's native handle, bypassing
// SOCI's statement layer (which runs only the first statement on sqlite3 and rewrites :name on
// postgresql). The sqlite3 one is built in; the postgresql one lives in
// lib/runner/runner_backend_postgresql.so and is loaded on first use, so that a SQLite run never
// loads libpq and the libraries it pulls in. Host-internal: not part of the dialect plugin ABI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace soci {
class session;
class backend_factory;
}  // namespace soci

namespace runner {

// Why a migration statement failed, as the database said it.
struct StatementFailure {
  std::string message;   // the database's primary message
  std::string sqlstate;  // PostgreSQL SQLSTATE; "" on SQLite
  std::string detail;
  std::string hint;
  std::string code;                          // SQLite's result code; "" on PostgreSQL
  std::size_t byte_offset = std::string::npos;  // where in the statement, when the database says
  bool locked = false;  // another connection kept what it needed locked past the lock timeout
};

class NativeBackend {
 public:
  virtual ~NativeBackend() = default;
  virtual const soci::backend_factory& factory() const = 0;
  // Called once after connecting (PostgreSQL: route server notices to the log).
  virtual void prepare_session(soci::session& session) const noexcept = 0;
  // Runs `sql` verbatim. Returns false and fills *failure when the database refuses it. Never throws.
  virtual bool execute(soci::session& session, const std::string& sql, StatementFailure* failure) const noexcept = 0;
  // Runs one query verbatim and passes each row to `row` as text (NULL as a null pointer). Returns
  // false and fills *failure when the database refuses it. Never throws (a throwing `row` counts
  // as a failure).
  using RowFn = std::function<void(std::uint32_t ncols, const char* const* values)>;
  virtual bool query(soci::session& session, const std::string& sql, const RowFn& row,
                     StatementFailure* failure) const noexcept = 0;
  // True while a transaction is open on the session (one a migration file began itself, say).
  virtual bool in_transaction(soci::session& session) const noexcept = 0;
  // The local and the remote TCP port of the session's socket; -1 when it is not TCP or there is
  // no socket.
  virtual int local_port(soci::session& session) const noexcept = 0;
  virtual int peer_port(soci::session& session) const noexcept = 0;
};

// The backend for a SOCI backend name ("sqlite3", "postgresql"). Throws DatabaseError when it is
// unknown or its module cannot be loaded.
const NativeBackend& native_backend(const std::string& soci_backend);

// Log levels passed to a backend module's log callback.
enum NativeLogLevel { k_native_debug = 0, k_native_warn = 2 };
using NativeLogFn = void (*)(int level, const char* message);
using NativeBackendEntry = const NativeBackend* (*)(NativeLogFn log);
constexpr const char* k_postgresql_backend_module = "runner_backend_postgresql.so";
constexpr const char* k_postgresql_backend_entry = "runner_native_backend_postgresql";

}  // namespace runner
