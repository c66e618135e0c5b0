// SPDX-License-Identifier: MIT
// Offline scripts (--sql): exactly what runner would run, as SQL a DBA reviews and runs with
// psql or the sqlite3 shell.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/engine/step_source.hpp"

#include <string>
#include <vector>

namespace runner {

// One database's part of a script: its prelude (schema, search_path), the history table's
// creation, then each step with its statements and its history insert or delete, inside
// BEGIN/COMMIT unless the migration runs without a transaction. `title` goes in a comment.
// `atomic` (--atomic; REQUIRES: check_atomic(steps)): one BEGIN before the first step and one
// COMMIT after the last, so that the script applies all of them or none.
std::string render_script_section(const RunnerSql& history, const std::vector<PreparedStep>& steps,
                                  const std::string& title, bool atomic = false);

// A statement as a script runs it, ending in ';' and a newline.
std::string terminated(const std::string& sql);

// Text safe inside a "--" comment: control characters become '?'.
std::string comment_text(const std::string& text);

// A standard SQL string literal.
std::string sql_literal(const std::string& value);

// The history as if every migration of `files` up to `version` (0: none) had been applied.
// Throws PlanError when `version` is not a migration of `files`.
History history_up_to(const MigrationSet& files, std::uint64_t version);

}  // namespace runner
