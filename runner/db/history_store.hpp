// SPDX-License-Identifier: MIT
// Reads and writes runner_history over a Connection, with the SQL the dialect gives.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/progress.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace runner {

class Connection;

class HistoryStore {
 public:
  HistoryStore(Connection& connection, RunnerSql sql);
  ~HistoryStore();

  // What the database holds of runner's tables: whether runner_history exists, and the layout
  // runner_meta records (0: written before runner_meta). Throws DatabaseError.
  struct Tables {
    bool history = false;
    long long version = 0;
  };
  Tables tables();
  // The layout this runner's dialect builds and reads.
  long long known_version() const { return sql_.tables_version; }
  // The dialect's SQL for runner's own work on this database.
  const RunnerSql& sql() const { return sql_; }
  // Creates the tables, at the current layout, where they are missing. Throws DatabaseError.
  void create();
  // Records the current layout in runner_meta (after create() on a new database). Throws
  // DatabaseError.
  void record_layout();
  // Brings the tables from layout `from` to known_version(): the dialect's steps above `from`, then
  // the new layout recorded. REQUIRES: the run lock, inside the caller's transaction (all of it or
  // nothing). Throws DatabaseError.
  void upgrade(long long from);
  // The tables and, unless a newer runner laid them out, every history row ordered by version: in
  // as many queries as before runner_meta (which one query reads with the rows).
  struct Read {
    Tables tables;
    History rows;
    std::vector<PartialMigration> partial;  // read (one more query) only when there are any
  };
  Read read();
  // REQUIRES: inside the transaction of the migration the row records.
  void insert(const AppliedMigration& row);
  void remove(std::uint64_t version);
  // A no-transaction migration's progress (when the dialect keeps it: tracks_progress()). Each
  // commits by itself outside a transaction. Throw DatabaseError.
  bool tracks_progress() const { return sql_.tracks_progress(); }
  void progress_start(const PartialMigration& p);
  void progress_step(std::uint64_t version, std::size_t applied, const StatementHashes& hashes, const std::string& now);
  void progress_fail(std::uint64_t version, const std::string& error, const std::string& file, std::uint32_t line,
                     const std::string& now);
  void progress_delete(std::uint64_t version);
  std::vector<PartialMigration> progress();

  // Whether this session still holds the run lock (true when the dialect has nothing to check).
  // REQUIRES: inside the transaction that writes the history row. Throws DatabaseError.
  bool lock_held();

 private:
  // Whether runner_history exists; *meta: whether runner_meta does; *progress: runner_progress.
  bool find(bool* meta, bool* progress = nullptr);

  Connection& connection_;
  RunnerSql sql_;
};

}  // namespace runner
