// SPDX-License-Identifier: MIT
// One database session, through the dialect's driver (plugins/loader/driver_connection.hpp): the
// host's statements with errors as exceptions naming the database, migration statements verbatim
// with the database's own failure as a value.
#pragma once

#include "plugins/loader/driver_connection.hpp"
#include "runner/base/errors.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace runner {

class Dialect;
struct DatabaseInfo;

// The runner's error for a failed call on the database `display`: SafetyError (exit 3) when another
// connection kept the database locked past the timeout, else DatabaseError with `what` (what was
// being done) and the database's message.
[[noreturn]] void throw_database_failure(const StatementFailure& failure, const std::string& display,
                                         const std::string& what);

// The failure's SQLSTATE, detail, hint and code, as an error carries them.
Error::DatabaseSaid database_said(const StatementFailure& failure);

class Connection {
 public:
  // Connects with the dialect's driver and runs the target's session_sql. Throws DatabaseError
  // (never showing the connect string, nor a password the driver's message repeats).
  Connection(const Dialect& dialect, const DatabaseInfo& target);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const Dialect& dialect() const;
  // The database's URL, password masked.
  const std::string& display() const;

  // Runs one migration statement verbatim. Returns false and fills *failure when it fails.
  bool execute_native(const std::string& sql, StatementFailure* failure);

  // Runs a query verbatim, passing each row as text (NULL: null pointer). Returns false and fills
  // *failure when the database refuses it.
  bool query_native(const std::string& sql, const DriverConnection::RowFn& row, StatementFailure* failure);

  // Runs one of the runner's own statements, with `params` bound to the dialect's placeholders.
  // Throws DatabaseError naming `what` (or the statement's first line).
  void execute(const std::string& sql, const std::vector<std::string>& params = {}, const std::string& what = "");
  // Runs a query; each row's values as text ("" for NULL). Throws DatabaseError.
  std::vector<std::vector<std::string>> query_rows(const std::string& sql, const std::string& what = "");
  // The same with `params` bound to the dialect's placeholders.
  std::vector<std::vector<std::string>> query_rows(const std::string& sql, const std::vector<std::string>& params,
                                                   const std::string& what);
  // Runs a query, passing each row to `row` (NULL as a null pointer). Throws DatabaseError naming
  // `what`, also when `row` throws.
  void query_each(const std::string& sql, const DriverConnection::RowFn& row, const std::string& what);
  // Runs a query returning one integer (0 for no row or NULL). Throws DatabaseError.
  long long query_int(const std::string& sql);
  // Runs a query returning one string ("" for no row or NULL). Throws DatabaseError.
  std::string query_string(const std::string& sql);
  // Runs a query returning one string column. Throws DatabaseError.
  std::vector<std::string> query_strings(const std::string& sql);
  // The local and the remote TCP port of the connection's socket, -1 when not TCP (a file, a Unix
  // socket).
  int local_port();
  int peer_port();
  // True while a transaction is open (e.g. one a no-transaction migration began itself).
  bool in_transaction();
  // Asks the database to stop the statement running now; safe from another thread.
  bool cancel();

  void begin();
  void commit();
  // Never throws: it runs on failure paths.
  void rollback() noexcept;

  // True while the session holds only what the runner's own statements set: no migration statement
  // ran on it, nothing failed and nothing was rolled back. Only such a connection may serve
  // another database of the same server (connection_pool.hpp).
  bool clean() const { return !failed_ && !touched_; }
  // True once anything failed or was rolled back on it: never handed on.
  bool failed() const { return failed_; }
  // Runs the dialect's discard_sql on a connection migrations ran on, outside any transaction: the
  // session is as a new connection starts it, and clean() again. False (and failed()) when a
  // statement fails. Never throws.
  bool discard(const std::vector<std::string>& discard_sql) noexcept;
  // Sets the session up for `target` (its session_sql, then its reset_sql), as a new connection
  // to it would be. REQUIRES: clean(), and `target.connect` is the one this connection was opened
  // with. Throws DatabaseError.
  void retarget(const DatabaseInfo& target);

 private:
  [[noreturn]] void failed(const StatementFailure& failure, const std::string& what);

  const Dialect& dialect_;
  std::string display_;  // the target's URL, password masked, for messages
  std::unique_ptr<DriverConnection> driver_;
  bool failed_ = false;   // a statement failed, or a rollback ran
  bool touched_ = false;  // a migration's statement ran: the session may hold anything
};

}  // namespace runner
