// SPDX-License-Identifier: MIT
// Small pieces several commands share.
#pragma once

#include "runner/core/migration.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace runner::cli {

class Context;

// {"version": N, "name": "..."} of the newest applied migration, or nulls at base.
nlohmann::json position_json(const History& history);

// Refuses (SafetyError, exit 3) when an applied migration's file changed or is gone, naming each;
// with --allow-changed it warns instead.
void check_drift(Context& ctx, const MigrationSet& files, const History& history);

// Exactly `count` positional arguments, or a UsageError showing the usage line.
void expect_args(Context& ctx, std::size_t min, std::size_t max, const char* usage);

}  // namespace runner::cli

namespace runner {
struct PreparedStep;
class Database;
}  // namespace runner

namespace runner::cli {

// Runs prepared steps on `db`, printing each migration as it completes (or JSON at the end),
// then where the database ends. Returns the exit code.
int run_steps(Context& ctx, Database& db, const MigrationSet& files, History& history,
              const std::vector<PreparedStep>& prepared, const char* verb);

}  // namespace runner::cli
