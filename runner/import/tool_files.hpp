// SPDX-License-Identifier: MIT
// What the readers of other tools' folders share: the folder's .sql files, a guess at the format a
// folder is in (for the error when it is not the one asked for), and versions for runner that
// keep the tool's own numbers wherever they are unique.
#pragma once

#include "runner/import/imported_set.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace runner {

struct ToolFile {
  std::filesystem::path path;
  std::string name;  // the file name
  std::string text;
};

// Every regular file of `dir` (not its subfolders) whose name ends in `extension`, by name.
std::vector<ToolFile> read_tool_files(const std::filesystem::path& dir, const std::string& extension);

// The format `dir`'s files look like ("goose", "flyway", ...), or empty when nothing tells.
std::string guess_tool_format(const std::filesystem::path& dir);

// " (the folder looks like goose's: runner import goose)" when `dir` looks like another format
// than `format`; empty otherwise.
std::string other_format_hint(const std::filesystem::path& dir, const std::string& format);

// The leading digits of `text` as a version, if there are any. Digits that do not fit runner's
// versions (more than 18): none, or, given the `file` they name, a SourceError saying so.
std::optional<std::uint64_t> leading_version(const std::string& text, std::string* digits = nullptr,
                                             const std::string& file = "");

// Gives each migration of `set` (in the order the tool applies them) a runner version: the tool's
// own where `wanted` has one and it is above the previous migration's, else the previous + 1
// (duplicates, a version 0, versions runner cannot hold), all written as wide as the widest (at
// least 4 digits). `wanted[i]`/`wanted_text[i]` belong to
// set.migrations[i]. Every changed version is added to set.report.
void assign_versions(ImportedSet& set, const std::vector<std::optional<std::uint64_t>>& wanted,
                     const std::vector<std::string>& wanted_text);

}  // namespace runner
