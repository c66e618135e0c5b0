// SPDX-License-Identifier: MIT
// What `upgrade`, `downgrade` and `stamp` are asked to reach.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace runner {

struct Target {
  enum class Kind { head, base, version, relative };
  Kind kind = Kind::head;
  std::uint64_t version = 0;  // Kind::version
  std::int64_t steps = 0;     // Kind::relative: +N (upgrade) or -N (downgrade)
  std::string text;           // as the user wrote it, for messages
};

enum class TargetUse { upgrade, downgrade, stamp };

// upgrade: head | VERSION | +N;  downgrade: -N | VERSION | base;  stamp: head | VERSION | base.
// Throws UsageError naming the value and what is accepted.
Target parse_target(std::string_view text, TargetUse use);

}  // namespace runner
