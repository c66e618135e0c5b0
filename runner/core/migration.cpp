// SPDX-License-Identifier: MIT
#include "runner/core/migration.hpp"

#include "runner/core/checksum_job.hpp"

#include <algorithm>

namespace runner {

const std::string& Migration::checksum() const { return job_ ? job_->checksum(job_index_) : checksum_; }

const FileStamp& Migration::up_stamp() const { return job_ ? job_->stamp(job_index_) : up_stamp_; }

void Migration::set_checksum(std::string checksum, FileStamp stamp) {
  checksum_ = std::move(checksum);
  up_stamp_ = stamp;
  job_.reset();
}

void Migration::set_checksum(std::shared_ptr<const ChecksumJob> job, std::size_t index) {
  job_ = std::move(job);
  job_index_ = index;
}

const Migration* MigrationSet::find(std::uint64_t version) const {
  auto it = std::lower_bound(migrations.begin(), migrations.end(), version,
                             [](const Migration& m, std::uint64_t v) { return m.version < v; });
  return it != migrations.end() && it->version == version ? &*it : nullptr;
}

std::string MigrationSet::version_text(std::uint64_t version) const {
  if (const Migration* m = find(version)) return m->version_text;
  std::string text = std::to_string(version);
  if (!migrations.empty() && text.size() < migrations.front().version_text.size())
    text.insert(0, migrations.front().version_text.size() - text.size(), '0');
  return text;
}

std::string MigrationSet::label(std::uint64_t version, const std::string& name) const {
  if (const Migration* m = find(version)) return m->label();
  return name.empty() ? version_text(version) : version_text(version) + "_" + name;
}

}  // namespace runner
