// SPDX-License-Identifier: MIT
// Runs prepared steps: each migration and its history row commit together in one transaction, so
// a failure leaves the database exactly at the last good version.
#pragma once

#include "runner/base/errors.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/progress.hpp"
#include "runner/engine/step_source.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace runner {

class Cancellation;
class Database;

struct StepResult {
  std::uint64_t version = 0;
  std::string name;
  std::string label;
  Direction direction = Direction::up;
  std::int64_t execution_ms = 0;
  std::int64_t execution_us = 0;  // for display: migrations often take under a millisecond
};

// A migration failed. what() holds the whole report: file, statement number and line, the
// statement's first line, the database's message and SQLSTATE, what was rolled back, where the
// database now is, and what this run applied before.
class MigrationError : public Error {
 public:
  MigrationError(const std::string& message, std::vector<StepResult> completed, const std::string& file,
                 std::uint32_t line, int exit_code = k_exit_failure, bool lock_wait = false)
      : Error(message), completed_(std::move(completed)), exit_code_(exit_code), lock_wait_(lock_wait) {
    set_location(file, line);
  }
  const std::vector<StepResult>& completed() const { return completed_; }
  // A statement gave up waiting for a lock another connection held: trying again may succeed.
  bool lock_wait() const noexcept { return lock_wait_; }
  // k_exit_refused when the run stopped to keep the database safe (the run lock was lost).
  int exit_code() const noexcept override { return exit_code_; }

 private:
  std::vector<StepResult> completed_;
  int exit_code_;
  bool lock_wait_;
};

// How long a migration's statements wait for locks and run (0: the database's own defaults), and
// how often a migration that gave up waiting for a lock is tried again (rolled back each time, with
// longer pauses between): --lock-wait, --lock-retries, --statement-timeout.
struct Waits {
  std::chrono::milliseconds lock_wait{0};
  unsigned lock_retries = 0;
  std::chrono::milliseconds statement_timeout{0};
};

// Runs `steps` in order against `db`, whose history is `history` (updated as steps complete).
// on_done is called after each step commits. Throws MigrationError or DatabaseError.
// When `cancel` is requested the run stops at the next migration boundary: the statement running
// in a transactional migration is cancelled and the migration rolled back; a no-transaction
// migration's statement is let finish (its work cannot be undone; only an abort cancels it) and
// the migration stops after it. The MigrationError then says so, with exit 128 + the signal.
std::vector<StepResult> execute_steps(Database& db, const Dialect& dialect, const MigrationSet& files, History& history,
                                      const std::vector<PreparedStep>& steps,
                                      const std::function<void(const StepResult&)>& on_done,
                                      Cancellation* cancel = nullptr, const Waits& waits = {});

// --atomic: runs `steps` in one transaction with all their history rows, which commits only when
// every one ran: a failure (or a stop request) rolls the whole run back and the database stays at
// `history`. on_done is called for each step once the transaction committed. A lock wait that
// gives up tries the whole transaction again, as execute_steps does one migration. REQUIRES:
// check_atomic(steps). Throws MigrationError (completed() empty: nothing of the run applied).
std::vector<StepResult> execute_atomic(Database& db, const Dialect& dialect, const MigrationSet& files,
                                       History& history, const std::vector<PreparedStep>& steps,
                                       const std::function<void(const StepResult&)>& on_done,
                                       Cancellation* cancel = nullptr, const Waits& waits = {});

// Runs the rest of `p`, the migration `partial` stopped part-way (runner resume): from the
// statement after those it applied, then records it as execute_steps does, its progress cleared
// with its history row. Throws MigrationError.
StepResult resume_step(Database& db, const Dialect& dialect, const MigrationSet& files, History& history,
                       const PreparedStep& p, const PartialMigration& partial, Cancellation* cancel = nullptr,
                       const Waits& waits = {});

// "0002_projects", or "base" for an empty history.
std::string describe_position(const History& history, const MigrationSet& files);

}  // namespace runner
