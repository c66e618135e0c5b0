// SPDX-License-Identifier: MIT
// Small text helpers the host's messages share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace runner {

inline bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// `text` up to its first newline.
inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// `text` with every `what` replaced by `with` (the dialect's $VERSION$, $MS$ stand-ins).
std::string replace_all(std::string text, const std::string& what, const std::string& with);

// A duration for people: "0.4 ms", "12 ms", "3.2 s".
std::string duration_text(std::int64_t microseconds);

}  // namespace runner
