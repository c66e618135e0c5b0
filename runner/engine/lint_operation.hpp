// SPDX-License-Identifier: MIT
// Which files `runner lint` reads, and against what: the files named, or the migrations upgrade
// would run next on the database (every file of the folder when there is none), with the
// database's tables for their sizes. Reads only: no lock, nothing created.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/engine/lint.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace runner {

struct LintRun {
  std::string database;            // as shown in messages; "" when none was read
  std::vector<std::string> files;  // the files read, in order
  std::vector<LintFinding> findings;
};

struct LintRequest {
  std::vector<std::filesystem::path> files;  // empty: the pending migrations, or every file
  LintSettings settings;
  bool out_of_order = false;  // pending includes migrations older than the current one
  std::chrono::seconds lock_timeout{60};
};

// target: the database to read (null: none). Throws DatabaseError when it cannot be read, and
// UsageError for a named file that does not exist.
LintRun lint_migrations(const Dialect& dialect, const MigrationSet& set, const DatabaseInfo* target,
                        const LintRequest& request);

// Whether `file` undoes a migration: a .down.sql file (by the migration file-name grammar, else by
// ".down." in its name).
bool is_down_file(const std::filesystem::path& file);

}  // namespace runner
