// SPDX-License-Identifier: MIT
#include "runner/fleet/schedule.hpp"

#include <algorithm>
#include <chrono>

namespace runner {

Schedule::Schedule(std::vector<std::string> servers, std::vector<bool> canary, ScheduleLimits limits)
    : servers_(std::move(servers)), canary_(std::move(canary)), limits_(limits), started_(servers_.size(), false) {
  canary_.resize(servers_.size(), false);
  canary_left_ = static_cast<std::size_t>(std::count(canary_.begin(), canary_.end(), true));
}

bool Schedule::startable(std::size_t i) const {
  if (started_[i]) return false;
  if (canary_left_ > 0 && !canary_[i]) return false;
  if (limits_.per_server == 0 || servers_[i].empty()) return true;
  const auto it = running_.find(servers_[i]);
  return it == running_.end() || it->second < limits_.per_server;
}

std::optional<std::size_t> Schedule::next(const std::function<bool()>& stop_requested) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    const bool over_limit = limits_.max_failures > 0 && failures_ >= limits_.max_failures;
    if (canary_failed_ || over_limit || first_unstarted_ >= started_.size() || stop_requested()) return std::nullopt;
    for (std::size_t i = first_unstarted_; i < started_.size(); ++i) {
      if (!startable(i)) continue;
      started_[i] = true;
      if (!servers_[i].empty()) ++running_[servers_[i]];
      while (first_unstarted_ < started_.size() && started_[first_unstarted_]) ++first_unstarted_;
      return i;
    }
    // Every project left waits for a server or for the canary wave: a finished project wakes this.
    changed_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

void Schedule::finished(std::size_t i, bool failed) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!servers_[i].empty()) --running_[servers_[i]];
    if (failed) ++failures_;
    if (canary_[i] && canary_left_ > 0) {
      --canary_left_;
      if (failed) canary_failed_ = true;
    }
  }
  changed_.notify_all();
}

std::string Schedule::stopped_because() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (first_unstarted_ >= started_.size()) return "";
  if (canary_failed_) return "a canary project failed";
  if (limits_.max_failures > 0 && failures_ >= limits_.max_failures)
    return std::to_string(failures_) + (failures_ == 1 ? " project" : " projects") + " failed or refused (limit " +
           std::to_string(limits_.max_failures) + ")";
  return "";
}

}  // namespace runner
