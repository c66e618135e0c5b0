// SPDX-License-Identifier: MIT
// Checksums of migration files remembered between runs by each file's stamp (device, inode, size,
// modification and change times), as git's index remembers its files: a run with nothing to do
// reads no file whose stamp is unchanged. One cache file per migration folder, under
// $XDG_CACHE_HOME/runner/checksums (else ~/.cache/runner/checksums); RUNNER_CHECKSUM_CACHE=off
// turns it off. A stamp is remembered only once it is two seconds old, so that a file rewritten
// within one tick of the file system's clock is never taken for the one hashed. Being a cache, it
// fails quietly: unreadable, it is empty; unwritable, it is not written.
#pragma once

#include "runner/core/migration.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace runner {

class ChecksumCache {
 public:
  // Loads the cache of `dir` (nothing for a folder that is not on disk).
  explicit ChecksumCache(const std::filesystem::path& dir);

  // The checksum `file` had when last hashed with this stamp.
  std::optional<std::string> find(const std::string& file_name, const FileStamp& stamp) const;
  // A file just hashed; kept when its stamp is old enough to trust.
  void remember(const std::string& file_name, const FileStamp& stamp, const std::string& checksum);
  // Writes the cache when something was remembered (a new file atomically replacing the old).
  void save();

 private:
  struct Entry {
    FileStamp stamp;
    std::string checksum;
  };
  std::filesystem::path file_;  // empty: off
  std::map<std::string, Entry> entries_;
  bool changed_ = false;
  mutable std::mutex mutex_;
};

// The checksum of a migration file as runner records it (its text normalised: line ends, BOM), from
// `cache` when the file's stamp is the one remembered, else read, hashed and remembered. *stamp is
// the file's stamp.
std::string file_checksum(const std::filesystem::path& file, ChecksumCache& cache, FileStamp* stamp);

}  // namespace runner
