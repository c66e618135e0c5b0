// SPDX-License-Identifier: MIT
#include "runner/core/target.hpp"

#include "runner/base/errors.hpp"

#include <limits>

namespace runner {
namespace {

bool parse_number(std::string_view s, std::uint64_t* out) {
  if (s.empty()) return false;
  std::uint64_t v = 0;
  constexpr auto k_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (k_max - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

}  // namespace

Target parse_target(std::string_view text, TargetUse use) {
  Target t;
  t.text = std::string(text);
  const char* accepted = use == TargetUse::upgrade     ? "head, a version, or +N"
                         : use == TargetUse::downgrade ? "-N, a version, or base"
                                                       : "head, a version, or base";
  std::uint64_t n = 0;
  if (text == "head" && use != TargetUse::downgrade) {
    t.kind = Target::Kind::head;
  } else if (text == "base" && use != TargetUse::upgrade) {
    t.kind = Target::Kind::base;
  } else if (parse_number(text, &n)) {
    t.kind = Target::Kind::version;
    t.version = n;
  } else if (use == TargetUse::upgrade && text.size() > 1 && text[0] == '+' && parse_number(text.substr(1), &n) &&
             n > 0) {
    t.kind = Target::Kind::relative;
    t.steps = static_cast<std::int64_t>(n);
  } else if (use == TargetUse::downgrade && text.size() > 1 && text[0] == '-' && parse_number(text.substr(1), &n) &&
             n > 0) {
    t.kind = Target::Kind::relative;
    t.steps = -static_cast<std::int64_t>(n);
  } else {
    throw UsageError("invalid target '" + std::string(text) + "' (expected " + accepted + ")");
  }
  return t;
}

}  // namespace runner
