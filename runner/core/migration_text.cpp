// SPDX-License-Identifier: MIT
#include "runner/core/migration_text.hpp"

#include "runner/core/migration_source.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/migration.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

namespace runner {

std::string normalize_text(std::string_view raw) {
  if (raw.size() >= 3 && raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
  // Most files have no CR at all: one memchr instead of a copy character by character.
  if (std::memchr(raw.data(), '\r', raw.size()) == nullptr) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

// 1-based line of byte `offset`.
std::size_t line_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset; ++i) line += text[i] == '\n' ? 1 : 0;
  return line;
}

}  // namespace

std::size_t first_invalid_utf8_line(std::string_view text) {
  // RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF. ASCII
  // goes 8 bytes at a time; lines are only counted for the report.
  for (std::size_t i = 0; i < text.size();) {
    if (i + 8 <= text.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return line_of(text, i);
    }
    if (i + len > text.size()) return line_of(text, i);
    auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < lo || second > hi) return line_of(text, i);
    for (std::size_t k = 2; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return line_of(text, i);
    i += len;
  }
  return 0;
}

std::string read_migration_text(const std::filesystem::path& file, FileStamp* stamp) {
  std::string raw = migration_source().read(file, stamp);
  // Without a CR the text is the bytes read, less any BOM: no second copy of a large file.
  std::string text;
  if (std::memchr(raw.data(), '\r', raw.size()) == nullptr) {
    text = std::move(raw);
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  } else {
    text = normalize_text(raw);
  }
  if (std::size_t line = first_invalid_utf8_line(text))
    throw SourceError(file.generic_string(), static_cast<std::uint32_t>(line),
                      "not valid UTF-8 (save the file as UTF-8)");
  // A NUL would end the statement at the database's door, or read as a statement that never ends.
  if (const void* nul = std::memchr(text.data(), '\0', text.size()))
    throw SourceError(file.generic_string(),
                      static_cast<std::uint32_t>(line_of(text, static_cast<const char*>(nul) - text.data())),
                      "holds a NUL byte: not a text file (save it as UTF-8 text)");
  return text;
}

namespace {

// What follows "--" and blanks on a comment line, or npos-sized nothing when the line holds no
// "--" comment at its start.
std::optional<std::string_view> comment_body(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos || line.substr(i, 2) != "--") return std::nullopt;
  std::string_view body = line.substr(i + 2);
  std::size_t b = body.find_first_not_of(" \t");
  return b == std::string_view::npos ? std::string_view() : body.substr(b);
}

// "runner:" in any case, followed by a word ("-- Runner: safe to re-run" is a note, not a directive).
bool names_runner(std::string_view body) {
  static constexpr std::string_view k_prefix = "runner:";
  if (body.size() <= k_prefix.size() || body[k_prefix.size()] == ' ' || body[k_prefix.size()] == '\t') return false;
  for (std::size_t k = 0; k < k_prefix.size(); ++k)
    if ((body[k] >= 'A' && body[k] <= 'Z' ? body[k] + 32 : body[k]) != k_prefix[k]) return false;
  return true;
}

// The words after "runner:imported-from": FORMAT KEY [parents=P1,P2].
Directives::ImportedFrom parse_imported_from(std::string_view rest, const std::string& file, std::uint32_t line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while ((i = rest.find_first_not_of(" \t", i)) != std::string_view::npos) {
    const std::size_t end = rest.find_first_of(" \t", i);
    words.emplace_back(rest.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    i = end == std::string_view::npos ? rest.size() : end;
  }
  Directives::ImportedFrom from;
  if (words.size() < 2 || words.size() > 3 || (words.size() == 3 && words[2].rfind("parents=", 0) != 0))
    throw SourceError(file, line,
                      "malformed directive: expected -- runner:imported-from FORMAT KEY [parents=P1,P2] (written by "
                      "runner import; adopt maps the other tool's history with it)");
  from.format = words[0];
  from.key = words[1];
  if (words.size() == 3) {
    std::string_view list = std::string_view(words[2]).substr(8);
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      if (comma != 0) from.parents.emplace_back(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return from;
}

// The rules of a lint-ignore comment: a comma-separated list, then the reason.
Directives::LintIgnore parse_lint_ignore(std::string_view rest, std::uint32_t line) {
  Directives::LintIgnore ignore;
  ignore.line = line;
  const std::size_t start = rest.find_first_not_of(" \t");
  if (start == std::string_view::npos) return ignore;
  rest = rest.substr(start);
  // "a,b" or "a, b": a word ending in a comma goes on into the next.
  std::size_t end = std::min(rest.find_first_of(" \t"), rest.size());
  while (end < rest.size() && end > 0 && rest[end - 1] == ',') {
    const std::size_t next = rest.find_first_not_of(" \t", end);
    if (next == std::string_view::npos) break;
    end = std::min(rest.find_first_of(" \t", next), rest.size());
  }
  std::string list_text;
  for (char c : rest.substr(0, end))
    if (c != ' ' && c != '\t') list_text += c;
  std::string_view list = list_text;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (comma != 0) ignore.rules.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  std::string_view reason = rest.substr(end);
  const std::size_t r = reason.find_first_not_of(" \t");
  reason = r == std::string_view::npos ? std::string_view() : reason.substr(r);
  while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\t' || reason.back() == '\r'))
    reason.remove_suffix(1);
  ignore.reason = std::string(reason);
  return ignore;
}

}  // namespace

Directives parse_directives(std::string_view text, const std::string& file) {
  Directives d;
  std::uint32_t line_no = 0;
  std::size_t pos = 0;
  bool in_header = true;  // blank and comment lines before the first SQL
  bool in_block = false;  // inside a /* */ comment of the header
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (in_header) {
      // A /* */ block at the top is header too, as long as nothing but blanks follows its end.
      std::size_t i = line.find_first_not_of(" \t");
      if (in_block || (i != std::string_view::npos && line.substr(i, 2) == "/*")) {
        const std::size_t close = line.find("*/", in_block ? 0 : i + 2);
        in_block = close == std::string_view::npos;
        if (in_block || line.find_first_not_of(" \t", close + 2) == std::string_view::npos) continue;
        in_header = false;
        continue;
      }
    }
    const auto body = comment_body(line);
    if (!body) {
      if (line.find_first_not_of(" \t") != std::string_view::npos) in_header = false;
      continue;
    }
    if (body->substr(0, 14) == "squawk-ignore ") {
      Directives::LintIgnore ignore = parse_lint_ignore(body->substr(14), line_no);
      if (ignore.reason.empty()) ignore.reason = "squawk-ignore";
      if (!ignore.rules.empty()) d.lint_ignores.push_back(std::move(ignore));
      continue;
    }
    if (!names_runner(*body)) continue;
    // A directive that would be ignored must not change how a migration runs without a word.
    if (body->substr(0, 7) != "runner:") {
      const std::string written(body->substr(0, body->find_first_of(" \t")));
      std::string lower = written;
      for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      throw SourceError(file, line_no, "'" + written + "' is written in lower case: -- " + lower);
    }
    if (body->substr(0, 18) == "runner:lint-ignore" &&
        (body->size() == 18 || (*body)[18] == ' ' || (*body)[18] == '\t')) {
      // Above the statement it silences, wherever that is.
      Directives::LintIgnore ignore = parse_lint_ignore(body->substr(18), line_no);
      if (ignore.rules.empty() || ignore.reason.empty())
        throw SourceError(file, line_no,
                          "malformed directive: expected -- runner:lint-ignore RULE[,RULE...] REASON, the reason "
                          "the statement below is safe (runner lint shows it with the finding)");
      d.lint_ignores.push_back(std::move(ignore));
      continue;
    }
    const std::string_view head = body->substr(7, body->find_first_of(" \t") - 7);
    if (!in_header &&
        (head == "no-transaction" || head == "as-written" || head == "placeholders" || head == "imported-from"))
      throw SourceError(file, line_no,
                        "directive after the first statement: -- runner: lines belong above the first statement "
                        "(move it to the top of the file)");
    std::string_view word = body->substr(7);
    word = word.substr(0, word.find_first_of(" \t"));
    if (word == "no-transaction")
      d.no_transaction = true;
    else if (word == "as-written")
      d.as_written = true;
    else if (word == "placeholders")
      d.placeholders = true;
    else if (word == "imported-from")
      d.imported_from = parse_imported_from(body->substr(7 + word.size()), file, line_no);
    else
      throw SourceError(file, line_no,
                        "unknown directive 'runner:" + std::string(word) +
                            "' (known: -- runner:no-transaction, -- runner:as-written, -- runner:placeholders, "
                            "-- runner:imported-from, -- runner:lint-ignore)");
  }
  return d;
}

}  // namespace runner
