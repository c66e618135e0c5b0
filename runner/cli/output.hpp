// SPDX-License-Identifier: MIT
// Printing results on stdout: aligned text tables, and JSON through nlohmann-json.
#pragma once

#include <string>
#include <vector>

namespace runner::cli {

// Rows of cells; the first row is the header. Columns are padded to their widest cell.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

// Writes `text` to stdout and flushes (progress must show while a long migration runs).
void print(const std::string& text);

}  // namespace runner::cli
