// SPDX-License-Identifier: MIT
#include "runner/core/placeholders.hpp"

#include "runner/base/errors.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace runner {
namespace {

// Both databases runner speaks so far quote this way: '' inside a string, "" inside a name.
std::string quoted(std::string_view value, char quote) {
  std::string out(1, quote);
  for (char c : value) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

bool is_placeholder_name(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

std::string substitute_placeholders(std::string_view text, const std::string& file, const Placeholders& placeholders) {
  std::string out;
  out.reserve(text.size());
  std::uint32_t line = 1;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") != 0) {
      if (text[i] == '\n') ++line;
      out.push_back(text[i++]);
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    const std::size_t newline = text.find('\n', i);
    if (close == std::string_view::npos || (newline != std::string_view::npos && newline < close))
      throw SourceError(file, line, "a placeholder '${' is not closed with '}' on its line");
    const std::string_view inside = text.substr(i + 2, close - i - 2);
    const std::size_t colon = inside.find(':');
    const std::string_view name = inside.substr(0, colon);
    const std::string_view form = colon == std::string_view::npos ? std::string_view() : inside.substr(colon + 1);
    if (!is_placeholder_name(name))
      throw SourceError(file, line,
                        fmt::format("'${{{}}}' is not a placeholder: a name is letters, digits, '_' and '.'", inside));
    const auto value = placeholders.values.find(std::string(name));
    if (value == placeholders.values.end())
      throw SourceError(file, line,
                        fmt::format("placeholder ${{{}}} has no value: give --set {}=VALUE, the environment variable "
                                    "RUNNER_PLACEHOLDER_{}, or {} = VALUE under [placeholders] in the config",
                                    name, name, name, name));
    const std::string& v = value->second;
    if (form.empty())
      out += v;
    else if (form == "literal")
      out += quoted(v, '\'');
    else if (form == "ident")
      out += quoted(v, '"');
    else if (form == "qualifier")
      out += v.empty() ? std::string() : quoted(v, '"') + ".";
    else
      throw SourceError(
          file, line,
          fmt::format("unknown placeholder form '{}' in ${{{}}} (known: literal, ident, qualifier)", form, inside));
    i = close + 1;
  }
  return out;
}

}  // namespace runner
