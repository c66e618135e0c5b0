// SPDX-License-Identifier: MIT
#include "runner/import/sectioned_formats.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/import/tool_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

namespace fs = std::filesystem;

namespace runner {
namespace {

enum class Marker { none, up, down, block_begin, block_end, no_transaction };

struct MarkerLine {
  Marker marker = Marker::none;
  bool no_transaction = false;  // an option on the up or down marker
};

// Reads one line: a marker of the format, or none. Throws SourceError for a marker the format
// does not know (the tool itself would refuse it).
using MarkerReader = std::function<MarkerLine(std::string_view line, const std::string& file, std::uint32_t no)>;

struct Sections {
  std::string up;
  std::optional<std::string> down;
  bool up_no_transaction = false;
  bool down_no_transaction = false;
  bool file_no_transaction = false;  // goose's NO TRANSACTION, for both directions
  std::uint32_t up_first = 0;        // the file's line where each section's text starts
  std::uint32_t down_first = 0;
};

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool blank_or_comment(std::string_view line) {
  line = trimmed(line);
  return line.empty() || starts_with(line, "--");
}

// The tool sends a StatementBegin...StatementEnd block to the database as one query; runner
// splits it into statements instead, which runs the same SQL only when the block ends where a
// statement ends. Probe: a statement appended after the block must be read as a statement of its
// own, not swallowed by an unterminated statement, quote or body. Only asked when SQL follows the
// block in its section. The lines before are blanked, so the splitter's line numbers are the file's.
void check_block(const Dialect& dialect, const ToolFile& file, const std::string& tool, std::uint32_t first,
                 std::uint32_t last, const std::string& block) {
  const std::string padded = std::string(first - 1, '\n') + block;
  const std::string name = file.path.generic_string();
  const std::size_t alone = dialect.split(padded, name).size();
  std::size_t probed = 0;
  try {
    probed = dialect.split(padded + "\nSELECT 1;\n", name).size();
  } catch (const SourceError&) {
  }
  if (probed == alone + 1) return;
  throw SourceError(name, first,
                    fmt::format("{} sends lines {}-{} as one query, but runner's {} splitter reads the block's last "
                                "statement as going on past line {} (no ';' ends it, or a quote or body is left "
                                "open): end it with ';' inside the block",
                                tool, first, last, dialect.name(), last));
}

// Cuts `file` into its up and down sections at the markers `read` recognises.
Sections cut_sections(const ToolFile& file, const std::string& tool, const std::string& up_marker,
                      const MarkerReader& read, const Dialect& dialect) {
  Sections s;
  enum { before, in_up, in_down } where = before;
  std::uint32_t up_line = 0, down_line = 0, block_line = 0;
  std::string block;
  // The last block closed in this section, checked once SQL follows it there.
  struct Closed {
    std::uint32_t first = 0, last = 0;
    std::string text;
  } closed;
  const std::string& text = file.text;
  const std::string name = file.path.generic_string();
  std::uint32_t no = 0;
  // Marker lines inside a section (blocks, NO TRANSACTION) are SQL comments: kept, so that the
  // section's lines are the file's.
  const auto keep = [&](std::string_view whole) {
    if (where != before) (where == in_up ? s.up : *s.down) += whole;
  };
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    const std::size_t next = end == std::string::npos ? text.size() : end + 1;
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + at, end - at);
    const std::string_view whole(text.data() + at, next - at);
    ++no;
    at = next;
    const MarkerLine m = read(line, name, no);
    switch (m.marker) {
      case Marker::up:
        if (where != before)
          throw SourceError(name, no,
                            fmt::format("a second {} marker (the first is at line {}): the up and down sections cannot "
                                        "be told apart",
                                        up_marker, where == in_up ? up_line : down_line));
        where = in_up;
        up_line = no;
        s.up_first = no + 1;
        closed = {};
        s.up_no_transaction = m.no_transaction;
        continue;
      case Marker::down:
        if (where == before)
          throw SourceError(
              name, no, fmt::format("a down marker before the {} marker: the up section must come first", up_marker));
        if (where == in_down)
          throw SourceError(name, no, fmt::format("a second down marker (the first is at line {})", down_line));
        if (block_line)
          throw SourceError(
              name, block_line,
              "a statement block opened here is not closed before the down marker at line " + std::to_string(no));
        where = in_down;
        down_line = no;
        s.down_first = no + 1;
        closed = {};
        s.down = std::string();
        s.down_no_transaction = m.no_transaction;
        continue;
      case Marker::no_transaction:
        s.file_no_transaction = true;
        keep(whole);
        continue;
      case Marker::block_begin:
        if (where == before)
          throw SourceError(name, no, fmt::format("a statement block before the {} marker", up_marker));
        if (block_line)
          throw SourceError(name, no,
                            fmt::format("a statement block opened inside the one opened at line {}", block_line));
        block_line = no;
        block.clear();
        keep(whole);
        continue;
      case Marker::block_end:
        if (!block_line) throw SourceError(name, no, "a statement block closed that was never opened");
        closed = {block_line + 1, no - 1, block};
        block_line = 0;
        keep(whole);
        continue;
      case Marker::none: break;
    }
    if (block_line) block += whole;
    if (closed.first && !blank_or_comment(line)) {
      check_block(dialect, file, tool, closed.first, closed.last, closed.text);
      closed = {};
    }
    if (where == before) {
      if (!blank_or_comment(line))
        throw SourceError(
            name, no,
            fmt::format("SQL before the {} marker: {} would not know which direction it belongs to", up_marker, tool));
      continue;
    }
    (where == in_up ? s.up : *s.down) += whole;
  }
  if (block_line) throw SourceError(name, block_line, "a statement block opened here is never closed");
  if (where == before)
    throw SourceError(name, 0,
                      fmt::format("has no {} marker: the up and down sections cannot be told apart{}", up_marker,
                                  other_format_hint(file.path.parent_path(), tool)));
  return s;
}

ImportedMigration migration_from(const ToolFile& file, const Sections& s, const std::string& key,
                                 const std::string& origin, const std::string& name) {
  ImportedMigration m;
  m.key = key;
  m.origin = origin;
  m.source_file = file.path.generic_string();
  m.down_source_file = m.source_file;
  m.up_line = s.up_first;
  m.down_line = s.down_first;
  m.name = name_from_text(name);
  m.up = s.up;
  m.down = s.down;
  m.no_transaction = s.up_no_transaction || s.file_no_transaction;
  m.down_no_transaction = s.down_no_transaction || s.file_no_transaction;
  return m;
}

// The words of a marker line after its prefix ("-- +goose"), or none when the line is no marker.
std::optional<std::string_view> marker_words(std::string_view line, std::string_view prefix) {
  line = trimmed(line);
  if (!starts_with(line, prefix)) return std::nullopt;
  return trimmed(line.substr(prefix.size()));
}

// Throws for two files with one version: the tool itself refuses them.
void refuse_duplicates(const std::vector<std::pair<std::uint64_t, const ToolFile*>>& versions,
                       const std::string& tool) {
  std::map<std::uint64_t, const ToolFile*> seen;
  for (const auto& [v, f] : versions)
    if (auto [it, fresh] = seen.emplace(v, f); !fresh)
      throw SourceError(f->path.generic_string(), 0,
                        fmt::format("has version {}, as {} has: {} refuses two migrations with one version{}", v,
                                    it->second->name, tool, other_format_hint(f->path.parent_path(), tool)));
}

// The tools that number files and keep the number in their history (dbmate, goose): every .sql
// file of `dir` by version, its number the key; two files of one version refused, as the tool
// refuses them. underscore: the tool wants a '_' right after the number.
ImportedSet read_numbered(const fs::path& dir, ImportedSet set, const char* layout, bool underscore,
                          const std::string& up_marker, const MarkerReader& read, const Dialect& dialect) {
  const std::vector<ToolFile> files = read_tool_files(dir, ".sql");
  std::vector<std::pair<std::uint64_t, const ToolFile*>> versions;
  for (const auto& f : files) {
    std::string digits;
    const auto v = leading_version(f.name, &digits, f.path.generic_string());
    if (!v || (underscore && (f.name.size() <= digits.size() || f.name[digits.size()] != '_')))
      throw SourceError(
          f.path.generic_string(), 0,
          fmt::format("is not a {} file name ({}){}", set.format, layout, other_format_hint(dir, set.format)));
    versions.emplace_back(*v, &f);
  }
  refuse_duplicates(versions, set.format);
  std::sort(versions.begin(), versions.end());
  std::vector<std::optional<std::uint64_t>> wanted;
  std::vector<std::string> wanted_text;
  for (const auto& [v, f] : versions) {
    std::string digits;
    leading_version(f->name, &digits);
    const std::string name = f->name.substr(digits.size(), f->name.size() - digits.size() - 4);
    set.migrations.push_back(migration_from(*f, cut_sections(*f, set.format, up_marker, read, dialect), digits,
                                            set.format + " migration " + f->name, name));
    wanted.push_back(v);
    wanted_text.push_back(digits);
  }
  assign_versions(set, wanted, wanted_text);
  return set;
}

}  // namespace

ImportedSet read_dbmate(const fs::path& dir, const Dialect& dialect) {
  ImportedSet set;
  set.format = "dbmate";
  const MarkerReader read = [](std::string_view line, const std::string& file, std::uint32_t no) -> MarkerLine {
    // dbmate: "-- migrate:up" and "-- migrate:down", each with options such as transaction:false.
    line = trimmed(line);
    if (!starts_with(line, "--")) return {};
    std::string_view rest = trimmed(line.substr(2));
    MarkerLine m;
    if (starts_with(rest, "migrate:up"))
      m.marker = Marker::up, rest.remove_prefix(10);
    else if (starts_with(rest, "migrate:down"))
      m.marker = Marker::down, rest.remove_prefix(12);
    else
      return {};
    if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') return {};
    for (std::string_view opts = trimmed(rest); !opts.empty();) {
      const std::size_t sp = opts.find_first_of(" \t");
      const std::string_view opt = opts.substr(0, sp);
      if (opt == "transaction:false")
        m.no_transaction = true;
      else if (opt != "transaction:true")
        throw SourceError(file, no, fmt::format("unknown dbmate option '{}' (runner reads transaction:false)", opt));
      opts = sp == std::string_view::npos ? std::string_view() : trimmed(opts.substr(sp));
    }
    return m;
  };
  return read_numbered(dir, set, "VERSION_name.sql", false, "-- migrate:up", read, dialect);
}

ImportedSet read_goose(const fs::path& dir, const Dialect& dialect) {
  ImportedSet set;
  set.format = "goose";
  const MarkerReader read = [](std::string_view line, const std::string& file, std::uint32_t no) -> MarkerLine {
    const auto words = marker_words(line, "-- +goose");
    if (!words) return {};
    std::string w(*words);
    for (char& c : w) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    if (w == "UP") return {Marker::up};
    if (w == "DOWN") return {Marker::down};
    if (w == "STATEMENTBEGIN") return {Marker::block_begin};
    if (w == "STATEMENTEND") return {Marker::block_end};
    if (w == "NO TRANSACTION") return {Marker::no_transaction};
    if (starts_with(w, "ENVSUB"))
      throw SourceError(file, no,
                        "goose's ENVSUB (environment variables substituted into the SQL) is not imported: write "
                        "the values into the file, or use runner's placeholders");
    throw SourceError(file, no, fmt::format("unknown goose annotation '-- +goose {}'", *words));
  };
  for (const auto& f : read_tool_files(dir, ".go"))
    if (leading_version(f.name))
      throw SourceError(f.path.generic_string(), 0,
                        "is a goose migration written in Go: runner imports SQL files only; rewrite it as SQL first");
  return read_numbered(dir, set, "VERSION_name.sql", true, "-- +goose Up", read, dialect);
}

ImportedSet read_sql_migrate(const fs::path& dir, const Dialect& dialect) {
  ImportedSet set;
  set.format = "sql-migrate";
  const MarkerReader read = [](std::string_view line, const std::string& file, std::uint32_t no) -> MarkerLine {
    const auto words = marker_words(line, "-- +migrate");
    if (!words) return {};
    const std::size_t sp = words->find_first_of(" \t");
    const std::string_view word = words->substr(0, sp);
    const std::string_view option = sp == std::string_view::npos ? std::string_view() : trimmed(words->substr(sp));
    MarkerLine m;
    if (word == "Up")
      m.marker = Marker::up;
    else if (word == "Down")
      m.marker = Marker::down;
    else if (word == "StatementBegin")
      return {Marker::block_begin};
    else if (word == "StatementEnd")
      return {Marker::block_end};
    else
      throw SourceError(file, no, fmt::format("unknown sql-migrate command '-- +migrate {}'", *words));
    if (option == "notransaction")
      m.no_transaction = true;
    else if (!option.empty())
      throw SourceError(file, no, fmt::format("unknown sql-migrate option '{}' (it knows notransaction)", option));
    return m;
  };
  std::vector<ToolFile> files = read_tool_files(dir, ".sql");
  // sql-migrate's order: by the number a file name starts with, then by the whole name.
  std::vector<std::pair<std::optional<std::uint64_t>, const ToolFile*>> order;
  for (const auto& f : files) order.emplace_back(leading_version(f.name, nullptr, f.path.generic_string()), &f);
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first && b.first && *a.first != *b.first) return *a.first < *b.first;
    return a.second->name < b.second->name;
  });
  std::vector<std::optional<std::uint64_t>> wanted;
  std::vector<std::string> wanted_text;
  for (const auto& [v, f] : order) {
    std::string digits;
    leading_version(f->name, &digits);
    std::string name = f->name.substr(digits.size(), f->name.size() - digits.size() - 4);
    // sql-migrate records the file name: that is the key adopt maps.
    set.migrations.push_back(migration_from(*f, cut_sections(*f, "sql-migrate", "-- +migrate Up", read, dialect),
                                            f->name, "sql-migrate migration " + f->name, name));
    wanted.push_back(v);
    wanted_text.push_back(digits);
  }
  assign_versions(set, wanted, wanted_text);
  return set;
}

}  // namespace runner
