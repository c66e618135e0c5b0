// SPDX-License-Identifier: MIT
// One database session. SOCI keeps the session, transactions and the runner's own statements;
// migration statements go verbatim through the backend's native handle (native_backend.hpp),
// because SOCI's sqlite3 backend runs only the first statement of a string and its postgresql
// backend rewrites :name inside $$ bodies, E'' strings and array slices.
#pragma once

#include "runner/db/native_backend.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace soci {
class session;
class soci_error;
}

namespace runner {

struct TargetInfo;

// The runner's error for a failed SOCI call on the database `display`: SafetyError (exit 3) when
// another connection kept the database locked past the timeout (a SQLite file inside another
// process's transaction), else DatabaseError with `what` (what was being done) and the message.
[[noreturn]] void throw_soci_failure(const soci::soci_error& e, const std::string& display, const std::string& what);

class Connection {
 public:
  // Connects with the backend named by the dialect ("sqlite3", "postgresql") and runs the
  // target's session_sql. Throws DatabaseError (never showing the connect string).
  Connection(const std::string& soci_backend, const TargetInfo& target);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  soci::session& session();
  const std::string& backend() const;
  // The database's URL, password masked.
  const std::string& display() const;

  // Runs one migration statement verbatim. Returns false and fills *failure when it fails.
  bool execute_native(const std::string& sql, StatementFailure* failure);

  // Runs a query verbatim on the native handle, passing each row as text (NULL: null pointer).
  // Returns false and fills *failure when the database refuses it.
  bool query_native(const std::string& sql, const NativeBackend::RowFn& row, StatementFailure* failure);

  // Runs one of the runner's own statements. Throws DatabaseError.
  void execute(const std::string& sql);
  // Runs a query returning one integer. Throws DatabaseError.
  long long query_int(const std::string& sql);
  // Runs a query returning one string. Throws DatabaseError.
  std::string query_string(const std::string& sql);
  // Runs a query returning one string column. Throws DatabaseError.
  std::vector<std::string> query_strings(const std::string& sql);
  // The local and the remote TCP port of the connection's socket, -1 when not TCP (a file, a Unix
  // socket).
  int local_port();
  int peer_port();
  // True while a transaction is open (e.g. one a no-transaction migration began itself).
  bool in_transaction();

  void begin();
  void commit();
  // Never throws: it runs on failure paths.
  void rollback() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
