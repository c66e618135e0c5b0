// SPDX-License-Identifier: MIT
#include "runner/db/session_probe.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/db/connection.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>

namespace runner {
namespace {

std::mutex g_checked_mutex;
std::set<std::string> g_checked;  // connect strings whose connections own their server sessions

struct SessionId {
  std::string server;     // the server session (PostgreSQL: the backend's pid)
  long client_port = -1;  // the client port the server sees; -1 when not TCP
  long server_port = -1;  // the port the server answers on; -1 when not TCP
};

// The dialect's query answers "SERVER_SESSION CLIENT_PORT". Read natively: a prepared statement
// would collide with another client's on a shared server session.
SessionId session_id(Connection& connection, const std::string& query) {
  SessionId id;
  StatementFailure failure;
  std::string text;
  if (!connection.query_native(
          query, [&](std::uint32_t n, const char* const* values) { text = n > 0 && values[0] ? values[0] : ""; },
          &failure))
    throw DatabaseError(fmt::format("{}: {}\n  while running: {}", connection.display(), failure.message, query));
  std::istringstream in(text);
  in >> id.server >> id.client_port >> id.server_port;
  return id;
}

}  // namespace

void require_own_server_session(Connection& connection, const DatabaseInfo& target) {
  if (target.session_id_query.empty()) return;
  // Once per URL and process: --all-projects opens one connection per project on one server.
  std::lock_guard<std::mutex> lock(g_checked_mutex);
  if (g_checked.count(target.connect) != 0) return;

  const SessionId first = session_id(connection, target.session_id_query);
  // The server sees this very socket, both ends of it: nothing stands between (the usual case,
  // and no second connection is needed).
  const int local = connection.local_port();
  const int peer = connection.peer_port();
  if (local > 0 && first.client_port == local && first.server_port == peer) {
    g_checked.insert(target.connect);
    return;
  }
  // Something stands between (a pool, a proxy) or it cannot be told (a Unix socket). A pool in
  // transaction mode hands an idle server session to whichever client asks next: the one this
  // connection has just finished with, when it does not own it. Asked in turns, a connection
  // that owns its session always answers the same, and a second one never answers that.
  DatabaseInfo bare = target;
  bare.session_sql.clear();  // nothing is left on a shared server session
  std::unique_ptr<Connection> opened;
  try {
    opened = std::make_unique<Connection>(connection.dialect(), bare);
  } catch (const DatabaseError& e) {
    // A pool or a server with no connection to spare: this cannot be told now. Not remembered,
    // and every history write still checks that the run lock stayed with this session.
    log().warn(
        "{}: cannot tell whether this connection keeps its own server session (a second connection "
        "failed: {}); the run lock is checked before each history write",
        target.display, e.what());
    return;
  }
  Connection& second = *opened;
  std::set<std::string> mine{first.server}, other;
  for (int round = 0; round < 4; ++round) {
    other.insert(session_id(second, target.session_id_query).server);
    mine.insert(session_id(connection, target.session_id_query).server);
  }
  log().debug("{}: server sessions {} (a second connection reached {})", target.display, *mine.begin(), *other.begin());
  bool shared = mine.size() != 1 || other.size() != 1 || other.count(first.server) != 0;
  if (!shared) {
    g_checked.insert(target.connect);
    return;
  }
  const std::string seen =
      mine.size() != 1 ? fmt::format("its statements reached server processes {} and {}", *mine.begin(), *mine.rbegin())
                       : fmt::format("server process {} answered both it and a second connection", first.server);
  throw UsageError(fmt::format(
      "{}: this connection does not keep its own server session ({}): a connection pool in transaction or "
      "statement mode stands between runner and the server, so its statements, session settings and run lock "
      "would not stay together. Nothing was run. Use a URL that reaches the server directly, or a pool in session "
      "mode.",
      target.display, seen));
}

}  // namespace runner
