// SPDX-License-Identifier: MIT
#include "runner/import/tool_files.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

namespace fs = std::filesystem;

namespace runner {

std::vector<ToolFile> read_tool_files(const fs::path& dir, const std::string& extension) {
  std::vector<ToolFile> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() < extension.size() || name.compare(name.size() - extension.size(), extension.size(), extension))
      continue;
    if (name[0] == '.') continue;  // hidden: an editor's lock or backup, not a migration
    // Named like one, it must be one: a dangling link or a folder is not skipped in silence.
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec))
      throw SourceError(it->path().generic_string(), 0,
                        it->is_symlink(type_ec) ? "is a symbolic link to nothing that can be read"
                                                : "is not a file that can be read");
    std::ifstream in(it->path(), std::ios::binary);
    if (!in.is_open()) throw SourceError(it->path().generic_string(), 0, "cannot be read");
    std::ostringstream text;
    if (in.peek() != std::ifstream::traits_type::eof()) text << in.rdbuf();
    if (in.bad()) throw SourceError(it->path().generic_string(), 0, "cannot be read");
    files.push_back({it->path(), name, text.str()});
  }
  if (ec) throw UsageError(fmt::format("cannot list {}: {}", dir.generic_string(), ec.message()));
  std::sort(files.begin(), files.end(), [](const ToolFile& a, const ToolFile& b) { return a.name < b.name; });
  return files;
}

namespace {

bool has_line_starting(const std::string& text, const std::string& prefix) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.substr(0, prefix.size()) == prefix) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace

std::string guess_tool_format(const fs::path& dir) {
  std::vector<ToolFile> files;
  try {
    files = read_tool_files(dir, ".sql");
  } catch (const Error&) {
    return "";
  }
  for (const auto& f : files) {
    if (has_line_starting(f.text, "-- +goose")) return "goose";
    if (has_line_starting(f.text, "-- +migrate")) return "sql-migrate";
    if (has_line_starting(f.text, "-- migrate:")) return "dbmate";
  }
  for (const auto& f : files)
    if ((f.name[0] == 'V' || f.name[0] == 'U' || f.name[0] == 'R') && f.name.find("__") != std::string::npos)
      return "flyway";
  for (const auto& f : files)
    if (f.name[0] >= '0' && f.name[0] <= '9' && (ends_with(f.name, ".up.sql") || ends_with(f.name, ".down.sql")))
      return "golang-migrate";
  return files.empty() ? "" : "plain";
}

std::string other_format_hint(const fs::path& dir, const std::string& format) {
  const std::string guess = guess_tool_format(dir);
  if (guess.empty() || guess == format) return "";
  return fmt::format(" (the folder looks like {}'s: runner import {} --from {})", guess, guess, dir.generic_string());
}

std::optional<std::uint64_t> leading_version(const std::string& text, std::string* digits, const std::string& file) {
  std::size_t n = 0;
  while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
  if (n > 18 && !file.empty())
    throw SourceError(file, 0,
                      fmt::format("version {} has {} digits; runner's versions hold 18 at most: renumber it before "
                                  "importing",
                                  text.substr(0, n), n));
  if (n == 0 || n > 18) return std::nullopt;  // 18 digits always fit runner's signed 64-bit versions
  if (digits != nullptr) *digits = text.substr(0, n);
  return std::stoull(text.substr(0, n));
}

void assign_versions(ImportedSet& set, const std::vector<std::optional<std::uint64_t>>& wanted,
                     const std::vector<std::string>& wanted_text) {
  std::uint64_t previous = 0;
  std::size_t width = 4;
  for (const auto& t : wanted_text) width = std::max(width, t.size());
  std::vector<std::string> renumbered;
  for (std::size_t i = 0; i < set.migrations.size(); ++i) {
    ImportedMigration& m = set.migrations[i];
    const bool kept = wanted[i] && *wanted[i] > previous;
    m.version = kept ? *wanted[i] : previous + 1;
    // One width for the folder, as runner's own files have: "1_users" and "12_posts" become
    // 0001_users and 0012_posts, so that the names sort in the order they run.
    m.version_text = fmt::format("{:0{}}", *m.version, width);
    if (!kept)
      renumbered.push_back(fmt::format("{} -> {}", fs::path(m.source_file).filename().string(), m.version_text));
    previous = *m.version;
  }
  if (renumbered.empty()) return;
  std::string report = fmt::format(
      "{} migrations renumbered (a version repeated, out of order or 0; kept in the order {} applies them):",
      renumbered.size(), set.format);
  for (auto& r : renumbered) report += "\n    " + r;
  set.report.push_back(report);
}

}  // namespace runner
