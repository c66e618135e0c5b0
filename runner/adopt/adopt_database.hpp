// SPDX-License-Identifier: MIT
// runner adopt: record in runner_history what another tool's history says a database holds,
// mapped through the imported files' -- runner:imported-from lines, running no migration SQL.
#pragma once

#include "runner/engine/operations.hpp"

#include <map>
#include <string>

namespace runner {

// The imported migrations of `files` that came from `format`, by key (normal_key), with what
// each stands on (Alembic's parents), read from the files' headers.
struct ImportedIndex {
  std::string format;
  std::map<std::string, const Migration*> by_key;
  std::map<std::string, std::vector<std::string>> parents;
};

// Throws PlanError when no file of the set was imported from `format`, SourceError for a
// malformed header or two files claiming one key.
ImportedIndex index_imported(const MigrationSet& files, const std::string& format);

// Reads the database's history table for `format` and, in one transaction under the run lock,
// records exactly the migrations it includes (for Alembic, the revision and every revision it
// stands on), with the files' checksums; drops the table too with drop_source. Outcome: stamped
// lists what was (or, dry run, would be) recorded, note what was found. Already adopted the
// same way: nothing to do. Throws SafetyError (exit 3) for a database without the table, dirty or
// failed, at a revision the files do not carry, with two heads, or whose runner_history
// disagrees.
Outcome adopt_database(const Dialect& dialect, const MigrationSet& files, const ImportedIndex& index,
                       const DatabaseInfo& target, const RunOptions& options, bool drop_source);

}  // namespace runner
