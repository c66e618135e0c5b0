// SPDX-License-Identifier: MIT
// Translating statements when the database they are for is not at hand (--sql scripts, dry runs,
// explain). A dialect that reads the schema to translate (sqlite rebuilds its tables) names a
// scratch database; the earlier migrations are replayed into it, then each step runs there too,
// so every statement is translated against the schema it will really meet.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/engine/step_source.hpp"

#include <string>
#include <vector>

namespace runner {

class Connection;

// Replaces each RUNNER_STMT_TRANSLATE statement of `steps` (which start from `from`) by what runs
// in its place. Throws SourceError (file, line) when a statement cannot be translated, and
// PlanError (naming the statement and why) when one needs translating after replaying an earlier
// migration into the scratch database failed, so the schema it would be translated against is
// unknown.
// live: the database `from` was read from, when at hand: its own schema (the dialect's
// schema_dump) is what the steps are translated against, instead of the files replayed.
// placeholders: the values the replayed files opting in are read with.
// scratch_server (--shadow-url): for a dialect with no scratch database in memory, a
// server where a scratch database is created for the replay and dropped after; "": none, and a
// translation that reads the schema is the dialect's to refuse.
void translate_offline(const Dialect& dialect, const MigrationSet& files, const History& from,
                       std::vector<PreparedStep>& steps, const Placeholders& placeholders, Connection* live = nullptr,
                       const std::string& schema = "", const std::string& scratch_server = "");

// The plan-time verdict for runs that translate against the live database as they go (upgrade,
// downgrade, their dry runs, validate): when a statement's translation reads the schema
// (RUNNER_STMT_READS_SCHEMA), `steps` are translated offline as --sql and explain would, so that a
// statement the dialect refuses for what the earlier migrations built stops the run before
// anything runs. Throws SourceError (file, line) then. The scratch copy gets the files' schema
// but no rows (INSERT, UPDATE, DELETE are not replayed): rows are the live run's to judge, as is
// anything the scratch copy cannot follow. Remembers verdicts for the same history and steps
// (--all-projects plans many projects at one version).
// live: the database the steps will run on, when it exists; its schema is copied into the scratch
// database (the dialect's schema_dump) instead of replaying the files, so that the verdict is the
// run's own.
void check_translation(const Dialect& dialect, const MigrationSet& files, const History& from,
                       const std::vector<PreparedStep>& steps, const Placeholders& placeholders,
                       Connection* live = nullptr, const std::string& schema = "");

}  // namespace runner
