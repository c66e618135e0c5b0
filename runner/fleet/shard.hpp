// SPDX-License-Identifier: MIT
// --shard K/N: which projects of a fleet run this process takes, so that N processes on N
// machines cover every project exactly once without talking to each other.
#pragma once

#include <cstdint>
#include "runner/fleet/environment.hpp"

#include <string>

namespace runner {

struct Shard {
  unsigned index = 0;  // 0 to count - 1, as a Kubernetes Indexed Job counts its completion indexes
  unsigned count = 1;
};

// "K/N"; "auto/N" or "auto", which read K from JOB_COMPLETION_INDEX (set in every pod of an
// Indexed Job) and, for "auto", N from RUNNER_SHARD_COUNT (Kubernetes does not show a pod its
// Job's completions). Throws UsageError naming what is wrong.
Shard parse_shard(const std::string& text, const EnvironmentLookup& env);

// The shard a project belongs to: a hash of `key` (what names the project the same way on every
// machine: its server, database and schema, or its file) that does not change between runs,
// machines or runner versions.
unsigned shard_of(const std::string& key, unsigned count);

}  // namespace runner
