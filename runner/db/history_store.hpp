// SPDX-License-Identifier: MIT
// Reads and writes runner_history over a Connection, with the SQL the dialect gives.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace runner {

class Connection;

class HistoryStore {
 public:
  HistoryStore(Connection& connection, HistorySql sql);
  ~HistoryStore();

  bool exists();
  // Creates the table if it is missing. Throws DatabaseError.
  void create();
  // Every row, ordered by version; empty when the table does not exist.
  History load();
  // REQUIRES: inside the transaction of the migration the row records.
  void insert(const AppliedMigration& row);
  void remove(std::uint64_t version);
  // Whether this session still holds the run lock (true when the dialect has nothing to check).
  // REQUIRES: inside the transaction that writes the history row. Throws DatabaseError.
  bool lock_held();

 private:
  Connection& connection_;
  HistorySql sql_;
};

}  // namespace runner
