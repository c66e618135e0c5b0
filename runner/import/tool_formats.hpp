// SPDX-License-Identifier: MIT
// Reading the migration folders of golang-migrate, dbmate, goose, sql-migrate, Flyway and plain
// numbered files into runner's terms (Alembic, which needs its own program, is alembic_import.hpp).
#pragma once

#include "runner/import/imported_set.hpp"

#include <filesystem>
#include <string>

namespace runner {

class Dialect;

// The formats read_tool_folder() knows, for help and errors.
const char* tool_formats();

// Reads `dir` as `format` lays out its files. Statement boundaries that matter (goose's and
// sql-migrate's sections) are found with `dialect`'s splitter. Throws UsageError for an unknown
// format, SourceError naming the file (and line) that does not fit it.
ImportedSet read_tool_folder(const std::string& format, const std::filesystem::path& dir, const Dialect& dialect);

}  // namespace runner
