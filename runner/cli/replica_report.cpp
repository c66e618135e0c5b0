// SPDX-License-Identifier: MIT
#include "runner/cli/replica_report.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/cli/context.hpp"
#include "runner/engine/replica_wait.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace runner::cli {
namespace {

std::string bytes_text(std::uint64_t n) {
  char buf[32];
  if (n < 1024) return std::to_string(n) + " bytes";
  if (n < 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1024);
  else
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1024 * 1024));
  return buf;
}

std::string lag_text(const std::vector<ReplicaLag>& replicas) {
  std::string out;
  for (const auto& r : replicas)
    if (r.behind > 0) out += (out.empty() ? "" : ", ") + r.name + " " + bytes_text(r.behind) + " behind";
  return out;
}

}  // namespace

int wait_for_replicas(Context& ctx, const std::vector<DatabaseInfo>& servers) {
  const Settings& s = ctx.settings();
  int rc = k_exit_ok;
  for (const auto& target : servers) {
    const std::string server = target.server.empty() ? target.display : target.server;
    if (target.write_position_query.empty() || target.replica_lag_query.empty()) {
      log().warn("{}: the {} dialect knows no replicas: nothing to wait for", server, ctx.dialect().name());
      continue;
    }
    ReplicaWaitOptions options;
    options.timeout = *s.wait_replicas;
    options.cancel = &ctx.cancellation();
    auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    options.progress = [&](const std::vector<ReplicaLag>& replicas) {
      // About once a second: the lag as it shrinks.
      if (std::chrono::steady_clock::now() - last < std::chrono::seconds(1)) return;
      last = std::chrono::steady_clock::now();
      log().info("waiting for the replicas of {}: {}", server, lag_text(replicas));
    };
    const ReplicaWait w = runner::wait_for_replicas(ctx.dialect(), target, options);
    if (w.caught_up) {
      if (!w.replicas.empty())
        log().info("{}: {} caught up with {} in {:.1f} s", server,
                   w.replicas.size() == 1 ? "the replica" : std::to_string(w.replicas.size()) + " replicas", w.position,
                   w.seconds);
      else if (!w.position.empty())
        log().info("{}: no replica streams from it; nothing to wait for", server);
      continue;
    }
    std::fprintf(stderr,
                 "runner: error: %s: replicas still behind after --wait-replicas=%g s: %s (the run itself "
                 "succeeded; readers of those replicas may not see its changes yet)\n",
                 server.c_str(), static_cast<double>(s.wait_replicas->count()) / 1000, lag_text(w.replicas).c_str());
    rc = k_exit_refused;
  }
  return rc;
}

}  // namespace runner::cli
