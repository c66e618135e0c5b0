// SPDX-License-Identifier: MIT
#include "runner/engine/replica_wait.hpp"

#include "runner/base/cancellation.hpp"
#include "runner/base/errors.hpp"
#include "runner/db/connection.hpp"

#include <algorithm>
#include <thread>

namespace runner {
namespace {

std::vector<ReplicaLag> look(Connection& conn, const DatabaseInfo& target, const std::string& position) {
  std::vector<ReplicaLag> replicas;
  for (const auto& row : conn.query_rows(target.replica_lag_query, {position}, "reading how far the replicas are")) {
    ReplicaLag r;
    r.name = row.empty() ? "" : row[0];
    try {
      r.behind = row.size() > 1 && !row[1].empty() ? std::stoull(row[1]) : 0;
    } catch (const std::exception&) {
      throw DatabaseError(target.display + ": the replica lag query gave '" + row[1] + "', not a number");
    }
    replicas.push_back(std::move(r));
  }
  return replicas;
}

}  // namespace

ReplicaWait wait_for_replicas(const Dialect& dialect, const DatabaseInfo& target, const ReplicaWaitOptions& options) {
  using Clock = std::chrono::steady_clock;
  ReplicaWait out;
  if (target.write_position_query.empty() || target.replica_lag_query.empty()) {
    out.caught_up = true;
    return out;
  }
  const auto start = Clock::now();
  Connection conn(dialect, target);
  out.position = conn.query_string(target.write_position_query);
  while (true) {
    out.replicas = look(conn, target, out.position);
    out.caught_up =
        std::all_of(out.replicas.begin(), out.replicas.end(), [](const ReplicaLag& r) { return r.behind == 0; });
    out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (out.caught_up || Clock::now() - start >= options.timeout) return out;
    if (options.progress) options.progress(out.replicas);
    if (options.cancel != nullptr && options.cancel->requested())
      throw InterruptedError(std::string("interrupted by ") + interrupt_name(options.cancel->signal()) +
                                 " while waiting for the replicas of " + target.display +
                                 " (the run itself had finished)",
                             interrupted_exit_code(options.cancel->signal()));
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        options.poll, std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout - (Clock::now() - start)) +
                          std::chrono::milliseconds(1)));
  }
}

}  // namespace runner
