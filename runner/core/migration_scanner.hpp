// SPDX-License-Identifier: MIT
// Finds the migrations in a folder and checks the set as a whole.
#pragma once

#include "runner/core/migration.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace runner {

// Reads the names (not the contents) of the files in `dir` and pairs them for `dialect`:
// a variant NNNN_name.up.<dialect>.sql wins over the plain file. Files not ending in .sql are
// ignored. Throws UsageError when `dir` is not a folder, and one SourceError listing every bad
// file and what is wrong with it: a name off the layout, two migrations with one version, an
// up/down pair whose names differ, a down without an up, a migration with no up for `dialect`, a
// variant for a dialect not in `known_dialects` (a typo such as .up.sqllite.sql would otherwise be
// ignored in silence). `dialect` always counts as known.
MigrationSet scan_migrations(const std::filesystem::path& dir, const std::string& dialect,
                             const std::vector<std::string>& known_dialects = {});

}  // namespace runner
