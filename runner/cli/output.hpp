// SPDX-License-Identifier: MIT
// Printing results on stdout, and writing them to files: every write is checked, so that a
// script cut short by a full disk never passes for a whole one.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace runner::cli {

// Rows of cells; the first row is the header. Columns are padded to their widest cell.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

// Writes `text` to stdout and flushes (progress must show while a long migration runs). Throws
// OutputError when it cannot be written.
void print(const std::string& text);

// Writes `text` to `path` whole or not at all: into a temporary file beside it, synced, then
// renamed into place (linked, when `replace` is false, so an existing file is never replaced).
// Throws OutputError (nothing is left behind), or UsageError when !replace and `path` exists.
void write_file_whole(const std::filesystem::path& path, const std::string& text, bool replace);

}  // namespace runner::cli
