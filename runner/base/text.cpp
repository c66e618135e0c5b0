// SPDX-License-Identifier: MIT
#include "runner/base/text.hpp"

#include <cstdio>

namespace runner {

std::string duration_text(std::int64_t us) {
  char buf[32];
  if (us < 10000)
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
  else if (us < 10000000)
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(us / 1000));
  else
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(us) / 1e6);
  return buf;
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  if (what.empty()) return text;
  for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += with.size())
    text.replace(at, what.size(), with);
  return text;
}

}  // namespace runner
