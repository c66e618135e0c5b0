// SPDX-License-Identifier: MIT
// Small pieces several commands share: options, progress and result printing for one database.
#pragma once

#include "runner/core/migration.hpp"
#include "runner/engine/operations.hpp"
#include "runner/migrator.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace runner::cli {

class Context;

// {"version": N, "name": "..."} of the newest applied migration, or nulls at base.
nlohmann::json position_json(const History& history);
nlohmann::json position_json(const Position& position);
// A migration that stopped part-way, for --json and as one line of text: "0004_idx: stopped
// part-way upgrading, 2 of 4 statements applied; sql/0004_idx.up.sql:7: <why>".
nlohmann::json partial_json(const PartialInfo& partial);
std::string partial_text(const PartialInfo& partial);
// {"kind", "object", "name", "table", "details", "text"} of a schema difference (drift).
nlohmann::json difference_json(const SchemaDifferenceInfo& difference);
nlohmann::json position_json(const Position& position);

// --schema a,b (dump, drift): the schemas named, in order; empty when none was given.
std::vector<std::string> schema_list(const Context& ctx);

// Between `min` and `max` positional arguments, or a UsageError showing the usage line.
void expect_args(Context& ctx, std::size_t min, std::size_t max, const char* usage);

// Refuses --shadow-url on the command line of an upgrade or downgrade that runs: only their --sql
// scripts translate against a scratch database.
void refuse_shadow_url_online(const Context& ctx);

RunOptions run_options(const Context& ctx);

// The user's placeholder values (--set, RUNNER_PLACEHOLDER_*, [placeholders]) with runner.schema
// set to `schema`: the schema the SQL is read for ("" where none is known).
Placeholders placeholders(const Context& ctx, const std::string& schema);

// The command line's options as the library takes them; with `verb`, progress printed as
// print_steps does.
MigratorOptions migrator_options(const Context& ctx, const char* verb = nullptr);

// The configured database's runner::Migrator, on the files of ctx.migrations() (or `files`): the
// command runs through the library's own API, exactly as an application's call does.
Migrator open_migrator(Context& ctx, const MigratorOptions& options, const MigrationSet* files = nullptr);

// The result of upgrade or downgrade on one database: "now at X (N migrations)" or "nothing to
// do", or the JSON document; for a dry run, the list of what would run. Returns the exit code.
int report_run(Context& ctx, const RunReport& report);

// With --wait-replicas, after a run that exited `rc` 0: waits for the configured database's
// replicas (replica_report.hpp) and returns that wait's exit code; else `rc`.
int wait_after(Context& ctx, int rc);

}  // namespace runner::cli
