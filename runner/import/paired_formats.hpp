// SPDX-License-Identifier: MIT
// The tools that keep each direction in a file of its own: golang-migrate ({version}_{title}.up.sql),
// Flyway (V{version}__{desc}.sql with U... undo files) and plain numbered files (grocy's 0001.sql,
// authelia's V0001.Name.up.sql, harness's 0021_name_up.sql).
#pragma once

#include "runner/import/imported_set.hpp"

#include <filesystem>

namespace runner {

// Read every migration of `dir` in the order the tool applies them, with its down file paired.
// Throw SourceError naming the file that does not fit the format, or a down without an up.
ImportedSet read_golang_migrate(const std::filesystem::path& dir);
ImportedSet read_flyway(const std::filesystem::path& dir);
// In the order of the versions; duplicate versions are renumbered, in the order of the whole file
// names, with a report.
ImportedSet read_plain(const std::filesystem::path& dir);

}  // namespace runner
