// SPDX-License-Identifier: MIT
// Small text helpers the host's messages share.
#pragma once

#include <cstdint>
#include <string>

namespace runner {

// `text` up to its first newline.
inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// A duration for people: "0.4 ms", "12 ms", "3.2 s".
std::string duration_text(std::int64_t microseconds);

}  // namespace runner
