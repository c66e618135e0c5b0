// SPDX-License-Identifier: MIT
// --wait-replicas on the command line: after a run that succeeded, wait for the replicas of each
// server it wrote to, saying on stderr how far behind they are as the lag shrinks.
#pragma once

#include "plugins/loader/dialect.hpp"

#include <vector>

namespace runner::cli {

class Context;

// Waits for the replicas of each database's server (one database per server is enough). Returns
// 0 when every replica caught up (or none streams), 3 (k_exit_refused) when one had not after
// --wait-replicas seconds, naming it on stderr; an interrupted wait's exit code after a signal.
int wait_for_replicas(Context& ctx, const std::vector<DatabaseInfo>& servers);

}  // namespace runner::cli
