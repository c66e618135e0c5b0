// SPDX-License-Identifier: MIT
// runner renumber: moving pending migrations (a branch merged late, two branches that both added
// 0042) to the next free versions at the top, renaming all of their files at once.
#pragma once

#include "runner/core/migration.hpp"

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace runner {

struct Renumbering {
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  std::string from_label;                                                      // "0002_add_tags"
  std::string to_label;                                                        // "0005_add_tags"
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> files;  // every direction and variant
};

// What one database has applied, by its display name.
struct AppliedVersions {
  std::string database;
  std::set<std::uint64_t> versions;
};

// Plans moving `requested` (or, when empty, every migration no database in `applied` has applied
// that is below the highest version any of them has applied) to the next free versions above every
// file and every applied version, in version order, each keeping its name and its digits' width.
// Throws PlanError for a version no file has, SafetyError (exit 3) naming the database for one a
// database has applied, UsageError when nothing is requested and no database is given. `left`:
// the pending-somewhere migrations below that which stay, because another database applied them.
std::vector<Renumbering> plan_renumber(const MigrationSet& files, const std::vector<AppliedVersions>& applied,
                                       const std::vector<std::uint64_t>& requested,
                                       std::vector<std::string>* left = nullptr);

// Renames every planned file, or none: each new name is linked first (refusing a name that exists),
// then the old names are removed. Throws UsageError naming the file that could not be renamed.
void apply_renumber(const std::vector<Renumbering>& plan);

}  // namespace runner
