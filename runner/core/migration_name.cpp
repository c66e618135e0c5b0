// SPDX-License-Identifier: MIT
#include "runner/core/migration_name.hpp"

#include "runner/base/text.hpp"

#include <limits>

namespace runner {
namespace {

bool is_dialect_tag(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

// Strips ".up"/".down" from the end of `s`; false when neither is there.
bool take_direction(std::string_view& s, Direction* dir) {
  if (ends_with(s, ".up")) {
    *dir = Direction::up;
    s.remove_suffix(3);
    return true;
  }
  if (ends_with(s, ".down")) {
    *dir = Direction::down;
    s.remove_suffix(5);
    return true;
  }
  return false;
}

}  // namespace

bool valid_migration_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.'))
      return false;
  return true;
}

bool parse_migration_file_name(std::string_view file_name, MigrationFileName* out, std::string* why) {
  std::string_view s = file_name;
  if (!ends_with(s, ".sql")) {
    *why = "not a .sql file";
    return false;
  }
  s.remove_suffix(4);

  std::size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 0) {
    *why = "does not start with a version number (expected NNNN_name.up.sql or NNNN_name.down.sql)";
    return false;
  }
  std::uint64_t version = 0;
  constexpr auto k_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (std::size_t i = 0; i < digits; ++i) {
    auto d = static_cast<std::uint64_t>(s[i] - '0');
    if (version > (k_max - d) / 10) {
      *why = "version number is too large (at most 9223372036854775807)";
      return false;
    }
    version = version * 10 + d;
  }
  out->version = version;
  out->version_text = std::string(s.substr(0, digits));
  s.remove_prefix(digits);

  out->dialect.clear();
  if (!take_direction(s, &out->direction)) {
    std::size_t dot = s.rfind('.');
    std::string_view tag = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    std::string_view before = dot == std::string_view::npos ? s : s.substr(0, dot);
    if (!is_dialect_tag(tag) || !take_direction(before, &out->direction)) {
      *why = "does not end in .up.sql or .down.sql (or .up.DIALECT.sql for a dialect variant)";
      return false;
    }
    out->dialect = std::string(tag);
    s = before;
  }

  if (s.empty()) {
    out->name.clear();
    return true;
  }
  if (s[0] != '_') {
    *why = "the version must be followed by '_' and a name, or directly by .up/.down";
    return false;
  }
  s.remove_prefix(1);
  if (!valid_migration_name(s)) {
    *why = s.empty() ? "empty name after '_'"
                     : "name '" + std::string(s) + "' may only hold letters, digits, '_', '-' and '.'";
    return false;
  }
  out->name = std::string(s);
  return true;
}

}  // namespace runner
