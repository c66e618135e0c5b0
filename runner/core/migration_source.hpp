// SPDX-License-Identifier: MIT
// Where migration files come from: the folder on disk by default. An application that embeds its
// migrations in its binary, or a test, puts its own source in place; the scanner and the file
// reader see nothing else.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace runner {

struct FileStamp;

class MigrationSource {
 public:
  // One entry of a folder named like a migration file.
  struct Entry {
    std::string name;
    std::string problem;  // why it cannot be a migration file ("" when it is a readable file)
  };
  virtual ~MigrationSource() = default;
  virtual bool is_folder(const std::filesystem::path& dir) = 0;
  // The entries of `dir` whose names end in .sql in any case, hidden ones left out, in any order.
  // Throws UsageError when the folder cannot be listed.
  virtual std::vector<Entry> list(const std::filesystem::path& dir) = 0;
  // The bytes of `file` as stored, and what tells this version of it from another. Throws
  // SourceError naming the file.
  virtual std::string read(const std::filesystem::path& file, FileStamp* stamp) = 0;
  // The stamp of `file` without reading it; false when the source has none (or cannot tell).
  virtual bool stamp(const std::filesystem::path& /*file*/, FileStamp* /*out*/) { return false; }
};

// The source in use: the one set_migration_source() gave, else the disk.
MigrationSource& migration_source();

// A source reading the folder on disk (what migration_source() is unless replaced), for a source
// that overlays it.
std::shared_ptr<MigrationSource> disk_migration_source();

// Replaces the source (null restores the disk). Call it before scanning; it is not synchronised
// with runs in progress.
void set_migration_source(std::shared_ptr<MigrationSource> source);

}  // namespace runner
