// SPDX-License-Identifier: MIT
// Finds the migrations in a folder and checks the set as a whole.
#pragma once

#include "runner/core/migration.hpp"

#include <filesystem>
#include <string>

namespace runner {

// Reads the names (not the contents) of the files in `dir` and pairs them for `dialect`:
// a variant NNNN_name.up.<dialect>.sql wins over the plain file. Files not ending in .sql are
// ignored. Throws UsageError when `dir` is not a folder, and one SourceError listing every bad
// file and what is wrong with it: a name off the layout, two migrations with one version, an
// up/down pair whose names differ, a down without an up, a migration with no up for `dialect`.
MigrationSet scan_migrations(const std::filesystem::path& dir, const std::string& dialect);

}  // namespace runner
