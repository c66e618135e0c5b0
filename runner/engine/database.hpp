// SPDX-License-Identifier: MIT
// A database opened for one command: the connection, the run lock when writing, and the history.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/base/clock.hpp"  // utc_now_iso, which callers of Database stamp rows with
#include "runner/core/migration.hpp"
#include "runner/core/progress.hpp"

#include <chrono>
#include <memory>

namespace runner {

class Cancellation;
class Connection;
class ConnectionPool;
class FileLock;
class SqlLock;
class HistoryStore;

enum class AccessMode {
  read,    // no lock, nothing created; a SQLite file that does not exist reads as empty
  change,  // the run lock is held; nothing is created (downgrade)
  create,  // the run lock is held; the file, folder, schema and runner_history are created
};

class Database {
 public:
  // Throws DatabaseError, SafetyError (lock timeout) or UsageError; InterruptedError when `cancel`
  // is requested while it waits for the run lock (here or in take_run_lock; it must outlive this).
  // `pool`: where the connection comes from and goes back to (a fleet run); null: its own.
  Database(const Dialect& dialect, DatabaseInfo target, AccessMode mode, std::chrono::seconds lock_timeout,
           const Cancellation* cancel = nullptr, ConnectionPool* pool = nullptr);
  ~Database();

  const DatabaseInfo& info() const { return info_; }
  // False when reading a SQLite file that does not exist yet: nothing is connected.
  bool connected() const { return connection_ != nullptr; }
  // REQUIRES: connected().
  Connection& connection() { return *connection_; }
  HistoryStore& history() { return *history_; }
  // The applied migrations; empty when nothing is connected or the table does not exist. Refuses
  // (SafetyError, exit 3) a database whose runner tables a newer runner laid out; older layouts
  // read as they are.
  History load_history();
  // The no-transaction migrations stopped part-way, as the last load_history() found them.
  const std::vector<PartialMigration>& partial() const { return partial_; }
  // Makes runner's tables ready for a write: the schema and tables created if missing, an older
  // layout upgraded (AccessMode::create does this on open). REQUIRES: connected() and opened with
  // the run lock.
  void ensure_created();
  // Takes the run lock on a database opened with AccessMode::read, as AccessMode::change would
  // have: a run that reads and plans first takes it only once it knows it has work to do. Throws
  // SafetyError on lock timeout. REQUIRES: connected().
  void take_run_lock(const Dialect& dialect, std::chrono::seconds lock_timeout);
  // For a command that writes: refuses (UsageError, exit 2) a server that takes no writes (a
  // standby, a read-only session), naming the server the connection reached, before anything is
  // planned. Does nothing when nothing is connected or the dialect names no check.
  void refuse_read_only();

 private:
  void refuse_newer(long long version) const;

  DatabaseInfo info_;
  const Cancellation* cancel_ = nullptr;
  ConnectionPool* pool_ = nullptr;
  bool created_ = false;
  std::vector<PartialMigration> partial_;
  long long tables_version_ = -1;  // as load_history() found it; -1: not read, or no runner_history
  // Declaration order is release order reversed: the SQL lock goes before the connection closes,
  // the file lock only after it closed.
  std::unique_ptr<FileLock> file_lock_;
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<SqlLock> sql_lock_;
  std::unique_ptr<HistoryStore> history_;
};

}  // namespace runner
