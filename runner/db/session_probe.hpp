// SPDX-License-Identifier: MIT
// Makes sure a connection owns its server session. Behind a pool in transaction or statement mode
// (PgBouncer's pool_mode = transaction) consecutive transactions of one client run on whichever
// server session is free: the runner's search path, prepared statements and session lock would
// stay behind on one server session while its statements ran on another, in another project's
// schema. Such a URL is refused before anything is planned.
#pragma once

namespace runner {

class Connection;
struct DatabaseInfo;

// REQUIRES: `connection` was opened on `target`. Does nothing when the dialect names no query
// identifying a server session, when this URL was already checked by this process, or when the
// server sees this connection's own socket (nothing stands between). Otherwise opens one more
// connection to the same URL and throws UsageError (exit 2) when the two share a server session,
// or when `connection` moves between them. Throws DatabaseError when that fails.
void require_own_server_session(Connection& connection, const DatabaseInfo& target);

}  // namespace runner
