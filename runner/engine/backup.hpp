// SPDX-License-Identifier: MIT
// --backup: a copy of a database taken under the run lock before the first pending migration
// runs on it (the dialect's backup: SQLite's online backup API, pg_dump), named for the database,
// its version and the time, old ones pruned; and `restore`, which puts one back.
#pragma once

#include "plugins/loader/dialect.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace runner {

struct BackupOptions {
  bool enabled = false;
  std::string dir;    // "": backups/ beside a SQLite file, else backups/ in the working folder
  unsigned keep = 0;  // prune to the newest `keep` of this database (0: keep all)
};

// Where backups of `target` go, and the name each starts with ("project_7").
std::filesystem::path backup_folder(const DatabaseInfo& target, const BackupOptions& options);
std::string backup_stem(const DatabaseInfo& target);

// Writes a backup of `target`, at `version`, into its folder: whole or not at all (a temporary
// name renamed into place). Returns its path. Throws UsageError (the dialect cannot, or pg_dump is
// missing) or DatabaseError.
std::string back_up(const Dialect& dialect, const DatabaseInfo& target, std::uint64_t version,
                    const BackupOptions& options);

// A backup file found in a folder: its version and time as its name says.
struct BackupFile {
  std::filesystem::path path;
  std::uint64_t version = 0;
  std::string time;  // 20261128T201500Z
};
// The backups of `target` in its folder, oldest first.
std::vector<BackupFile> list_backups(const DatabaseInfo& target, const BackupOptions& options);

}  // namespace runner
