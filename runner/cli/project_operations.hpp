// SPDX-License-Identifier: MIT
// What --all-projects runs on each project: the command's own runner::Migrator call, one Migrator
// per project on the files scanned once, with what it reached kept up to date as it goes.
#pragma once

#include "runner/cli/project_runner.hpp"
#include "runner/core/migration.hpp"
#include "runner/engine/operations.hpp"
#include "runner/migrator.hpp"

#include <string>

namespace runner::cli {

class Context;

// The command's Migrator call on one project (upgrade, downgrade, stamp), `target` as the command
// line gave it.
enum class ProjectCall { upgrade, downgrade, stamp, resume };
ProjectOperation migrator_operation(Context& ctx, ProjectCall call, const std::string& target);

// current and history: where each project stands. `check_files`: validate, which refuses a project
// whose applied files changed.
ProjectOperation inspect_operation(Context& ctx, bool check_files = false);

// An engine Outcome (adopt) as a project's report.
ProjectReport project_report(const Outcome& outcome, const MigrationSet& files, bool dry_run);

}  // namespace runner::cli
