// SPDX-License-Identifier: MIT
// What runs on a database where a -- runner:no-transaction migration stopped part-way
// (runner_progress): `resume` runs the rest of it, `repair` records by hand what the DBA did.
#pragma once

#include "runner/engine/operations.hpp"

#include <cstdint>

namespace runner {

// Runs the rest of the migration that stopped part-way, from the statement after those it
// applied, and records it. Refuses (SafetyError, exit 3) when a statement it applied changed in
// the file since (naming it), and (SourceError, exit 2) when its file is gone. Nothing stopped
// part-way: nothing runs (outcome.planned empty). With options.dry_run: plans, runs nothing.
Outcome resume_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                        const RunOptions& options, const StepEvents& events = {});

// Records by hand how the migration `version` that stopped part-way ended: applied
// (`mark_applied`: its history row written, if missing) or not (its row removed, if there); its
// progress cleared, in one transaction. outcome.note says what it records (or, dry run, would).
// Throws PlanError (exit 2) when `version` did not stop part-way.
Outcome repair_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                        std::uint64_t version, bool mark_applied, const RunOptions& options);

}  // namespace runner
