// SPDX-License-Identifier: MIT
// Planning: a pure function of the files on disk, the history, and the target. No I/O; every rule
// about pending, changed, missing and irreversible migrations lives here and is unit-tested.
#pragma once

#include "runner/core/migration.hpp"
#include "runner/core/target.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace runner {

// An applied migration whose file changed or disappeared since it ran.
struct Drift {
  enum class Kind { changed, missing_file };
  std::uint64_t version = 0;
  std::string label;
  Kind kind = Kind::changed;
};

std::vector<Drift> find_drift(const MigrationSet& files, const History& history);

// One line per drift, for messages: "0003_tasks: file changed since it was applied".
std::string describe_drift(const std::vector<Drift>& drift);

struct Step {
  const Migration* migration = nullptr;
  std::uint64_t version = 0;
  Direction direction = Direction::up;
};

// The history once `row`'s migration ran in `direction`: up inserts the row in version order, down
// removes its version.
void apply_step(History& history, Direction direction, const AppliedMigration& row);

// Pending migrations up to the target, oldest first.
// Throws PlanError for an unknown target or one below the current version; SafetyError when a
// pending migration is older than the newest applied one, unless allow_out_of_order.
std::vector<Step> plan_upgrade(const MigrationSet& files, const History& history, const Target& target,
                               bool allow_out_of_order);

// Applied migrations to roll back, newest first. Throws PlanError for a target that is not applied,
// -N beyond what is applied, or a migration on the way without a down file (named, irreversible).
std::vector<Step> plan_downgrade(const MigrationSet& files, const History& history, const Target& target);

// What `stamp` writes: rows to add (migrations up to the target not yet recorded) and versions to
// remove (recorded above the target). Throws PlanError for an unknown target.
struct StampPlan {
  std::vector<const Migration*> add;
  std::vector<std::uint64_t> remove;
};
StampPlan plan_stamp(const MigrationSet& files, const History& history, const Target& target);

// One row of `runner history`: every migration known from the files or the history.
struct StatusRow {
  std::uint64_t version = 0;
  std::string version_text;
  std::string name;
  bool applied = false;
  std::string applied_at;
  std::int64_t execution_ms = 0;
  std::string checksum;  // "ok", "changed", "missing-file"; "" when pending
};
std::vector<StatusRow> build_status(const MigrationSet& files, const History& history);

}  // namespace runner
