// SPDX-License-Identifier: MIT
// The checksums of a migration set's up files, read and hashed on a thread of their own while the
// caller opens the database: the two slow parts of a run with nothing to do (reading every applied
// file, and connecting to the database and loading its schema) overlap. Migration::checksum() waits
// for the job and rethrows what it met (a file that cannot be read, named).
#pragma once

#include "runner/core/migration.hpp"

#include <filesystem>
#include <future>
#include <string>
#include <vector>

namespace runner {

class ChecksumJob {
 public:
  // Starts hashing `files`, the up files of the folder `dir`, at once.
  ChecksumJob(std::filesystem::path dir, std::vector<std::filesystem::path> files);
  ChecksumJob(const ChecksumJob&) = delete;
  ChecksumJob& operator=(const ChecksumJob&) = delete;
  ~ChecksumJob();  // waits for the thread: the files' vector outlives it

  const std::string& checksum(std::size_t i) const;
  const FileStamp& stamp(std::size_t i) const;

 private:
  void run();
  const ChecksumJob& ready() const;

  std::filesystem::path dir_;
  std::vector<std::filesystem::path> files_;
  std::vector<std::string> sums_;
  std::vector<FileStamp> stamps_;
  std::shared_future<void> done_;
};

}  // namespace runner
