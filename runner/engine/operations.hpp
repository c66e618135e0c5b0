// SPDX-License-Identifier: MIT
// What upgrade, downgrade, stamp and the read-only commands do to one database, without printing:
// the CLI runs them on one database, or on every project in parallel.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/progress.hpp"
#include "runner/core/target.hpp"
#include "runner/engine/backup.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/step_source.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace runner {

class Cancellation;
class ConnectionPool;

struct RunOptions {
  bool dry_run = false;        // read without the lock, create nothing, run nothing
  bool allow_changed = false;  // warn instead of refusing when applied files changed or vanished
  bool out_of_order = false;
  std::chrono::seconds lock_timeout{60};
  Placeholders placeholders;  // the user's values; runner.schema is added per database
  // Asked to stop (a signal, Migrator::interrupt()): the run stops at the next safe point; null:
  // never. Outlives the call.
  Cancellation* cancel = nullptr;
  Waits waits;           // --lock-wait, --lock-retries, --statement-timeout
  BackupOptions backup;  // --backup: before the first pending migration of a database that exists
  // --lint: upgrade lints the pending files against the database first and refuses (SafetyError,
  // exit 3) on an error-level finding; warnings are logged.
  bool lint = false;
  // --atomic: upgrade runs every planned step in one transaction (check_atomic refuses a plan
  // that cannot; nothing runs then).
  bool atomic = false;
  // A fleet run's connections, shared by its projects (connection_pool.hpp); null: each database
  // opens its own. Outlives the call.
  ConnectionPool* connections = nullptr;
};

struct Outcome {
  std::string display;                    // the database, password masked
  History before;                         // the history the plan was made from
  History after;                          // the history at the end (for a dry run: as it would be)
  std::vector<PreparedStep> planned;      // what runs (or would run), in order
  std::vector<StepResult> done;           // what ran
  std::vector<const Migration*> stamped;  // stamp: rows recorded
  std::vector<std::uint64_t> unstamped;   // stamp: rows removed
  std::string note;                       // adopt: what the other tool's history said; repair: what it records
  std::vector<PartialMigration> partial;  // no-transaction migrations stopped part-way (as read)
  std::string backup;                     // --backup: the file written before the run

  Placeholders placeholders;  // the values the planned files were read with
};

// Called as the work proceeds, on the calling thread: once the plan is made, then after each step.
struct StepEvents {
  std::function<void(const Outcome&)> planned;
  std::function<void(const StepResult&)> step_done;
};

// Each throws what the single-database command reports: SourceError/PlanError (exit 2, nothing
// touched), SafetyError (exit 3: drift, lock timeout), MigrationError/DatabaseError (exit 1).
Outcome upgrade_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                         const Target& to, const RunOptions& options, const StepEvents& events = {});
Outcome downgrade_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                           const Target& to, const RunOptions& options, const StepEvents& events = {});

// upgrade_database and downgrade_database with the database opened, locked and its history read
// on another thread while `files()` reads the migration folder: the two slow halves of a run with
// nothing to do (loading the database's schema, reading every applied file) overlap. What the files
// say wrong is still said first; nothing is written before both are in.
Outcome upgrade_database(const Dialect& dialect, const std::function<const MigrationSet&()>& files,
                         const DatabaseInfo& target, const Target& to, const RunOptions& options,
                         const StepEvents& events = {});
Outcome downgrade_database(const Dialect& dialect, const std::function<const MigrationSet&()>& files,
                           const DatabaseInfo& target, const Target& to, const RunOptions& options,
                           const StepEvents& events = {});
Outcome stamp_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target, const Target& to,
                       const RunOptions& options);
// Reads the history (no lock, nothing created): before == after.
Outcome inspect_database(const Dialect& dialect, const DatabaseInfo& target, const RunOptions& options);

// Refuses (SafetyError, exit 3) to run on a database where a no-transaction migration stopped
// part-way, naming it, where it stopped and why, and the ways out (resume, repair).
void refuse_partial(const std::vector<PartialMigration>& partial, const MigrationSet& files,
                    const std::string& display);

// The history after `steps` ran, computed without running them.
History history_after(History history, const std::vector<PreparedStep>& steps);

// Refuses (SafetyError, exit 3: "<refused> <display>: applied migrations changed ...") when an
// applied migration's file changed or disappeared; with allow_changed, warns instead.
void check_drift(const MigrationSet& files, const History& history, bool allow_changed, const std::string& display,
                 const std::string& refused = "refusing to run on");

}  // namespace runner
