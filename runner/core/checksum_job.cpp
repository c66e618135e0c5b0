// SPDX-License-Identifier: MIT
#include "runner/core/checksum_job.hpp"

#include "runner/core/checksum.hpp"
#include "runner/core/migration_text.hpp"

namespace runner {

ChecksumJob::ChecksumJob(std::vector<std::filesystem::path> files)
    : files_(std::move(files)), sums_(files_.size()), stamps_(files_.size()) {
  done_ = std::async(std::launch::async, [this] { run(); }).share();
}

ChecksumJob::~ChecksumJob() {
  if (done_.valid()) done_.wait();
}

void ChecksumJob::run() {
  for (std::size_t i = 0; i < files_.size(); ++i) sums_[i] = sha256_hex(read_migration_text(files_[i], &stamps_[i]));
}

const ChecksumJob& ChecksumJob::ready() const {
  done_.get();  // rethrows the job's exception, on every call
  return *this;
}

const std::string& ChecksumJob::checksum(std::size_t i) const { return ready().sums_.at(i); }

const FileStamp& ChecksumJob::stamp(std::size_t i) const { return ready().stamps_.at(i); }

}  // namespace runner
