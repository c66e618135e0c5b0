// SPDX-License-Identifier: MIT
// --wait-replicas: after a run, wait until every replica of the server has replayed what the run
// wrote, so that a deploy does not send readers to a replica that has not yet seen the new columns.
#pragma once

#include "plugins/loader/dialect.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace runner {

class Cancellation;

struct ReplicaLag {
  std::string name;          // as the server names the replica, with its address
  std::uint64_t behind = 0;  // what it has still to replay (PostgreSQL: bytes of WAL); 0: caught up
};

struct ReplicaWaitOptions {
  std::chrono::milliseconds timeout{60000};
  std::chrono::milliseconds poll{200};
  const Cancellation* cancel = nullptr;
  // Called after each look at the replicas while some are behind.
  std::function<void(const std::vector<ReplicaLag>&)> progress;
};

struct ReplicaWait {
  std::string position;              // where the server's writes had reached when the wait began
  std::vector<ReplicaLag> replicas;  // as last seen; empty: the server streams to none
  bool caught_up = false;
  double seconds = 0;
};

// Connects to `target`, reads the position its writes have reached, and waits until every replica
// streaming from it has replayed that far, or `timeout` passed (caught_up false, the laggards in
// `replicas`). Returns at once, caught up, when the dialect knows no replicas or none streams.
// Throws DatabaseError, InterruptedError when `cancel` is requested.
ReplicaWait wait_for_replicas(const Dialect& dialect, const DatabaseInfo& target, const ReplicaWaitOptions& options);

}  // namespace runner
