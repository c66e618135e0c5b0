// SPDX-License-Identifier: MIT
// The order a fleet run starts its projects in: at most so many at once on any one server, a
// canary wave first, and no new project after too many failures.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace runner {

struct ScheduleLimits {
  unsigned per_server = 0;       // projects running at once on one server; 0: no cap
  std::size_t max_failures = 0;  // no project starts once this many failed; 0: no limit
};

// Hands projects to worker threads in their order, each once. Thread-safe.
class Schedule {
 public:
  // servers[i]: the server project i lives on ("" for none: never capped); canary[i]: project i
  // belongs to the canary wave, which runs (and must succeed) before any other project starts.
  Schedule(std::vector<std::string> servers, std::vector<bool> canary, ScheduleLimits limits);

  // The next project to start: blocks while every project left waits for its server or for the
  // canary wave; nullopt once no project will start any more (all started, too many failures, a
  // failed canary, or `stop_requested()` said yes, which it asks now and then while waiting).
  std::optional<std::size_t> next(const std::function<bool()>& stop_requested);
  // Project i (from next()) is done; `failed`: it did not succeed.
  void finished(std::size_t i, bool failed);

  // Why projects were left out: "" when none was, else the reason for the summary.
  std::string stopped_because() const;

 private:
  bool startable(std::size_t i) const;

  std::vector<std::string> servers_;
  std::vector<bool> canary_;
  ScheduleLimits limits_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<bool> started_;
  std::size_t first_unstarted_ = 0;
  std::map<std::string, unsigned> running_;  // by server
  std::size_t canary_left_ = 0;              // canary projects not finished yet
  std::size_t failures_ = 0;
  bool canary_failed_ = false;
};

}  // namespace runner
