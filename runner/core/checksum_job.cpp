// SPDX-License-Identifier: MIT
#include "runner/core/checksum_job.hpp"

#include "runner/core/checksum_cache.hpp"

namespace runner {

ChecksumJob::ChecksumJob(std::filesystem::path dir, std::vector<std::filesystem::path> files)
    : dir_(std::move(dir)), files_(std::move(files)), sums_(files_.size()), stamps_(files_.size()) {
  done_ = std::async(std::launch::async, [this] { run(); }).share();
}

ChecksumJob::~ChecksumJob() {
  if (done_.valid()) done_.wait();
}

void ChecksumJob::run() {
  ChecksumCache cache(dir_);
  for (std::size_t i = 0; i < files_.size(); ++i) sums_[i] = file_checksum(files_[i], cache, &stamps_[i]);
  cache.save();
}

const ChecksumJob& ChecksumJob::ready() const {
  done_.get();  // rethrows the job's exception, on every call
  return *this;
}

const std::string& ChecksumJob::checksum(std::size_t i) const { return ready().sums_.at(i); }

const FileStamp& ChecksumJob::stamp(std::size_t i) const { return ready().stamps_.at(i); }

}  // namespace runner
