// SPDX-License-Identifier: MIT
// Small pieces several commands share: options, progress and result printing for one database.
#pragma once

#include "runner/core/migration.hpp"
#include "runner/engine/operations.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace runner::cli {

class Context;

// {"version": N, "name": "..."} of the newest applied migration, or nulls at base.
nlohmann::json position_json(const History& history);

// Between `min` and `max` positional arguments, or a UsageError showing the usage line.
void expect_args(Context& ctx, std::size_t min, std::size_t max, const char* usage);

RunOptions run_options(const Context& ctx);

// The user's placeholder values (--set, RUNNER_PLACEHOLDER_*, [placeholders]) with runner.schema
// set to `schema`: the schema the SQL is read for ("" where none is known).
Placeholders placeholders(const Context& ctx, const std::string& schema);

// Prints "upgrading DB from X" when the plan is made and each migration as it completes (text
// output only; silent with --json, -q or --dry-run).
StepEvents print_steps(Context& ctx, const MigrationSet& files, const char* verb);

// The result of upgrade or downgrade on one database: "now at X (N migrations)" or "nothing to
// do", or the JSON document; for a dry run, the list of what would run. Returns the exit code.
int report_migration(Context& ctx, const MigrationSet& files, const Outcome& outcome);

}  // namespace runner::cli
