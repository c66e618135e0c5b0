// SPDX-License-Identifier: MIT
// Turning an ImportedSet into runner's files: numbering, header comments, a check of the whole set
// as the dialects will run it, and writing every file or none.
#pragma once

#include "runner/core/placeholders.hpp"
#include "runner/import/imported_set.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace runner {

class Dialect;

struct PlannedFile {
  std::filesystem::path path;
  std::string text;
  const ImportedMigration* source = nullptr;
  bool up = true;
  std::uint32_t header_lines = 0;  // lines runner's header adds above the source's text
};

struct ImportPlan {
  std::filesystem::path dir;
  struct Entry {
    const ImportedMigration* source;
    std::uint64_t version;
    std::string label;  // "0003_add_tasks"
  };
  std::vector<Entry> entries;
  std::vector<PlannedFile> files;
};

// Numbers the set after the last migration in `dir` (versions kept where the set keeps them) and
// lays out each file. Throws SourceError when a kept version is already in `dir`, or two collide.
ImportPlan plan_import(const ImportedSet& set, const std::filesystem::path& dir);

// Splits and checks the folder as it would be after the import, once per dialect, with every
// translation checked over a round trip (up to head, back down) against the schema the files
// build. Throws SourceError naming the imported migration's origin, its file and line.
// placeholders: the values files opting in are read with.
void check_import(const ImportPlan& plan, const std::vector<const Dialect*>& dialects,
                  const std::vector<std::string>& known_dialects, const Placeholders& placeholders);

// The text runner writes for one direction of `m`: its header, then the SQL.
std::string imported_text(const ImportedMigration& m, bool up, const std::string& format);

// Writes every planned file, or none: each is written beside its place and renamed into it once
// all are written; on failure the ones already in place are removed. Throws UsageError naming the
// file that could not be written.
void write_import(const ImportPlan& plan);

}  // namespace runner
