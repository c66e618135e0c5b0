// SPDX-License-Identifier: MIT
#include "runner/fleet/shard.hpp"

#include "runner/base/errors.hpp"

namespace runner {
namespace {

// A decimal number of at most 6 digits, nullopt otherwise.
std::optional<unsigned> number(const std::string& text) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return static_cast<unsigned>(std::stoul(text));
}

}  // namespace

Shard parse_shard(const std::string& text, const EnvironmentLookup& env) {
  const std::string usage = "--shard takes K/N (K from 0 to N-1), auto/N or auto, not '" + text + "'";
  const std::size_t slash = text.find('/');
  const std::string k = text.substr(0, slash);
  std::optional<unsigned> count;
  if (slash != std::string::npos) {
    count = number(text.substr(slash + 1));
    if (!count || *count == 0) throw UsageError(usage);
    // Two counts that disagree would leave projects in no shard, or in two.
    const std::optional<std::string> n = k == "auto" ? env("RUNNER_SHARD_COUNT") : std::nullopt;
    if (n && number(*n) != count)
      throw UsageError("--shard " + text + ": RUNNER_SHARD_COUNT says " + *n +
                       " shards; give one count (--shard auto reads it)");
  } else if (k == "auto") {
    const std::optional<std::string> n = env("RUNNER_SHARD_COUNT");
    if (!n)
      throw UsageError(
          "--shard auto: RUNNER_SHARD_COUNT is not set; set it to the Job's completions (Kubernetes does not show a "
          "pod that number), or give --shard auto/N");
    count = number(*n);
    if (!count || *count == 0)
      throw UsageError("--shard auto: RUNNER_SHARD_COUNT must be a number of shards, not '" + *n + "'");
  } else {
    throw UsageError(usage);
  }
  std::optional<unsigned> index;
  if (k == "auto") {
    const std::optional<std::string> i = env("JOB_COMPLETION_INDEX");
    if (!i)
      throw UsageError(
          "--shard auto: JOB_COMPLETION_INDEX is not set (this is not a pod of a Kubernetes Indexed Job); give "
          "--shard K/N");
    index = number(*i);
    if (!index) throw UsageError("--shard auto: JOB_COMPLETION_INDEX is not a number: '" + *i + "'");
  } else {
    index = number(k);
    if (!index) throw UsageError(usage);
  }
  if (*index >= *count)
    throw UsageError("--shard " + text + ": shard " + std::to_string(*index) + " does not exist; shards of " +
                     std::to_string(*count) + " count from 0 to " + std::to_string(*count - 1) +
                     " (as a Kubernetes Indexed Job counts its completion indexes)");
  return {*index, *count};
}

unsigned shard_of(const std::string& key, unsigned count) {
  // FNV-1a, 64 bits: fixed here for good, since processes of two runner versions started for one
  // deploy must agree on every project's shard.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // FNV's low bits follow the last bytes closely (project_1, project_2...): mixed, so that the
  // remainder spreads such names evenly.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<unsigned>(h % count);
}

}  // namespace runner
