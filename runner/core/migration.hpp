// SPDX-License-Identifier: MIT
// Value types shared by the scanner, the planner, the history store and the executor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runner {

class ChecksumJob;

enum class Direction { up, down };

// What identifies a file's contents without reading it again: a file read twice in one run with
// the same stamp need not be hashed twice (a file changed in between gets a new checksum, or, at
// worst, is reported as changed by the next run), and one whose stamp is unchanged since an earlier
// run need not be read at all (ChecksumCache). The change time cannot be set by a user: any write
// moves it.
struct FileStamp {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtime_ns = -1;
  std::int64_t ctime_ns = -1;
  bool operator==(const FileStamp& o) const {
    return device == o.device && inode == o.inode && size == o.size && mtime_ns == o.mtime_ns &&
           ctime_ns == o.ctime_ns && mtime_ns >= 0;
  }
};

// One numbered migration as found on disk, with the files chosen for the active dialect.
struct Migration {
  std::uint64_t version = 0;
  std::string version_text;  // the digits as written in the file name ("0007")
  std::string name;          // may be empty ("0157.up.sql")
  std::filesystem::path up;
  std::optional<std::filesystem::path> down;  // none: irreversible

  // "0007_name", or "0007" when the migration has no name.
  std::string label() const { return name.empty() ? version_text : version_text + "_" + name; }

  // SHA-256 hex of the up file as run, and the file's stamp as it was read: filled by
  // load_checksums(), which may still be hashing on another thread; these wait for it and throw
  // what it met.
  const std::string& checksum() const;
  const FileStamp& up_stamp() const;
  void set_checksum(std::string checksum, FileStamp stamp = {});
  // The file is number `index` of `job`, still being hashed.
  void set_checksum(std::shared_ptr<const ChecksumJob> job, std::size_t index);

 private:
  std::string checksum_;
  FileStamp up_stamp_;
  std::shared_ptr<const ChecksumJob> job_;
  std::size_t job_index_ = 0;
};

// SQL files in <dir>/callbacks/ that run around migrations (Flyway's names): before_migrate and
// after_migrate once per run, before_each and after_each around every migration, in its
// transaction. Each is the dialect's variant (before_each.postgresql.sql) when there is one.
struct Callbacks {
  std::optional<std::filesystem::path> before_migrate;
  std::optional<std::filesystem::path> after_migrate;
  std::optional<std::filesystem::path> before_each;
  std::optional<std::filesystem::path> after_each;
  bool any() const { return before_migrate || after_migrate || before_each || after_each; }
};

// All migrations of a folder for one dialect, ordered by version. Versions are unique.
struct MigrationSet {
  std::filesystem::path dir;
  std::vector<Migration> migrations;
  Callbacks callbacks;

  const Migration* find(std::uint64_t version) const;
  // A version as the folder writes it: its file's digits, else padded like the other files.
  std::string version_text(std::uint64_t version) const;
  // "0007_name" for a version known only from the history.
  std::string label(std::uint64_t version, const std::string& name) const;
};

// One row of runner_history.
struct AppliedMigration {
  std::uint64_t version = 0;
  std::string name;
  std::string checksum;
  std::string applied_at;  // UTC, ISO 8601
  std::int64_t execution_ms = 0;
};

// Applied migrations ordered by version.
using History = std::vector<AppliedMigration>;

}  // namespace runner
