// SPDX-License-Identifier: MIT
#include "runner/engine/progress_tracker.hpp"

#include "runner/base/clock.hpp"
#include "runner/base/errors.hpp"
#include "runner/db/history_store.hpp"

namespace runner {

ProgressTracker::ProgressTracker(HistoryStore& store, const PreparedStep& p, const PartialMigration* resumed)
    : store_(store), step_(p) {
  if (resumed != nullptr) {
    active_ = resumed_ = true;
    first_ = recorded_ = resumed->applied;
    hashes_ = StatementHashes(resumed->prefix_hash, resumed->statement_hashes);
    return;
  }
  active_ = !p.in_transaction && store.tracks_progress();
}

void ProgressTracker::begin() {
  if (!active_ || resumed_) return;
  PartialMigration row;
  row.version = step_.step.version;
  row.name = step_.step.migration->name;
  row.direction = step_.step.direction;
  row.checksum = step_.step.migration->checksum();
  row.statements = step_.statements.size();
  row.started_at = utc_now_iso();
  store_.progress_start(row);
}

void ProgressTracker::completed(std::size_t index, bool file_transaction_open) {
  if (!active_) return;
  hashes_.add(step_.statements[index].sql);
  if (file_transaction_open) return;
  store_.progress_step(step_.step.version, index + 1, hashes_, utc_now_iso());
  recorded_ = index + 1;
}

std::string ProgressTracker::stopped(const std::string& why, const std::string& file, std::uint32_t line) noexcept {
  if (!active_) return "";
  try {
    // The row keeps `recorded_` statements: those of the file's own transaction that completed
    // were rolled back with it.
    // The file and line are kept apart: the message without them.
    const std::string where = file + ":" + std::to_string(line) + ": ";
    const std::string message = why.compare(0, where.size(), where) == 0 ? why.substr(where.size()) : why;
    store_.progress_fail(step_.step.version, message, file, line, utc_now_iso());
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

void ProgressTracker::finish() {
  if (active_) store_.progress_delete(step_.step.version);
}

}  // namespace runner
