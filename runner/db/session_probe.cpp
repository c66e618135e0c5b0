// SPDX-License-Identifier: MIT
#include "runner/db/session_probe.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/core/errors.hpp"
#include "runner/core/log.hpp"
#include "runner/db/connection.hpp"

#include <spdlog/spdlog.h>

#include <mutex>
#include <set>
#include <string>

namespace runner {
namespace {

std::mutex g_checked_mutex;
std::set<std::string> g_checked;  // connect strings whose connections own their server sessions

}  // namespace

void require_own_server_session(Connection& connection, const TargetInfo& target) {
  if (target.session_id_query.empty()) return;
  // Once per URL and process: --all-projects opens one connection per project on one server.
  std::lock_guard<std::mutex> lock(g_checked_mutex);
  if (g_checked.count(target.connect) != 0) return;

  const std::string first = connection.query_string(target.session_id_query);
  std::string other;
  {
    // A pool hands an idle server session to the next client that asks: the one `connection` has
    // just finished with, when it does not own it. No session settings, so that nothing is left
    // on a shared server session.
    TargetInfo bare = target;
    bare.session_sql.clear();
    Connection second(connection.backend(), bare);
    other = second.query_string(target.session_id_query);
  }
  const std::string again = connection.query_string(target.session_id_query);
  log().debug("{}: server session {} (a second connection reached {})", target.display, first, other);
  if (first != other && first == again) {
    g_checked.insert(target.connect);
    return;
  }
  throw UsageError(
      target.display + ": this connection does not keep its own server session (" +
      (first == other ? "server process " + first + " answered both it and a second connection"
                      : "it moved from server process " + first + " to " + again) +
      "): a connection pool in transaction or statement mode (PgBouncer's pool_mode = transaction) stands "
      "between runner and the server, so its statements, session settings and run lock would not stay "
      "together. Nothing was run. Use a URL that reaches the server directly, or a pool in session mode.");
}

}  // namespace runner
