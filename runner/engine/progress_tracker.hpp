// SPDX-License-Identifier: MIT
// Keeps runner_progress for one -- runner:no-transaction migration while it runs: its row before
// the first statement, each statement that completes (committed by itself, so a crash a moment
// later still finds it), and why it stopped. `runner resume` starts from that row.
#pragma once

#include "runner/core/progress.hpp"
#include "runner/engine/step_source.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace runner {

class HistoryStore;

class ProgressTracker {
 public:
  // Active for a migration outside a transaction on a dialect that keeps progress, or for any
  // migration `resumed` continues (its row is cleared with its history row).
  ProgressTracker(HistoryStore& store, const PreparedStep& p, const PartialMigration* resumed);

  bool active() const { return active_; }
  // The statement to run first: 0, or the one after those a resumed migration applied.
  std::size_t first() const { return first_; }
  // Statements recorded as applied.
  std::size_t recorded() const { return recorded_; }

  // Records the start (a resumed migration's row exists already). Throws DatabaseError.
  void begin();
  // Statement `index` completed. Recorded at once, or, while the file's own transaction is open,
  // once it ends (until then its statements may still be rolled back). Throws DatabaseError.
  void completed(std::size_t index, bool file_transaction_open);
  // Records why the migration stopped. Returns "" or why that could not be recorded; never throws
  // (it runs on failure paths, after the statement's own error).
  std::string stopped(const std::string& why, const std::string& file, std::uint32_t line) noexcept;
  // Clears the row, inside the transaction that writes the history row. Throws DatabaseError.
  void finish();

 private:
  HistoryStore& store_;
  const PreparedStep& step_;
  bool active_ = false;
  bool resumed_ = false;
  std::size_t first_ = 0;
  std::size_t recorded_ = 0;
  StatementHashes hashes_;
};

}  // namespace runner
