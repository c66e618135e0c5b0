// SPDX-License-Identifier: MIT
// SQL text helpers with no tie to the plugin ABI: lines and offsets, comments and keywords,
// quoting. Dialects use them through dialect_sdk.hpp; the host uses them directly, so that both
// sides count lines and quote literals alike.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace runner::sdk {

// The byte offset of character `n` (1-based, as PostgreSQL counts a statement's position) in UTF-8
// `text`; text.size() when it is past the end.
inline std::size_t byte_of_character(std::string_view text, std::size_t n) {
  std::size_t byte = 0;
  for (std::size_t seen = 1; seen < n && byte < text.size(); ++seen) {
    ++byte;
    while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) ++byte;
  }
  return byte;
}

// 1-based line of byte `offset` in `text`.
inline std::uint32_t line_at(std::string_view text, std::size_t offset) {
  std::uint32_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') ++line;
  return line;
}

// Lines of offsets asked in increasing order, counted once: a splitter asks one per statement, and
// counting from the start each time made splitting a large data file quadratic in its size.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  // 1-based line of byte `offset`. Going back restarts the count.
  std::uint32_t at(std::size_t offset) {
    if (offset < offset_) {
      offset_ = 0;
      line_ = 1;
    }
    const std::size_t end = offset < text_.size() ? offset : text_.size();
    const char* p = text_.data() + offset_;
    const char* const stop = text_.data() + end;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(stop - p)))) != nullptr) {
      ++line_;
      ++p;
    }
    offset_ = end;
    return line_;
  }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  std::uint32_t line_ = 1;
};

// Offset of `lower_word` in `text` ignoring ASCII case, as a whole word (no letter, digit or '_'
// on either side) when `whole_word`; npos when absent. Linear: it runs over whole data files.
inline std::size_t find_ignoring_case(std::string_view text, std::string_view lower_word, bool whole_word = false) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (lower_word.empty() || lower_word.size() > text.size()) return std::string_view::npos;
  for (std::size_t i = 0; i + lower_word.size() <= text.size(); ++i) {
    if (lower(text[i]) != lower_word[0]) continue;
    std::size_t k = 1;
    while (k < lower_word.size() && lower(text[i + k]) == lower_word[k]) ++k;
    if (k < lower_word.size()) continue;
    if (whole_word && ((i > 0 && word_char(text[i - 1])) || (i + k < text.size() && word_char(text[i + k])))) continue;
    return i;
  }
  return std::string_view::npos;
}

// Offset of the first character that is neither white space nor inside a -- or /* */ comment,
// starting at `from`; text.size() when there is none. nested_comments: PostgreSQL nests /* */.
inline std::size_t skip_blank(std::string_view text, std::size_t from, bool nested_comments) {
  std::size_t i = from;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      int depth = 1;
      i += 2;
      while (i < text.size() && depth > 0) {
        if (text[i] == '*' && i + 1 < text.size() && text[i + 1] == '/') {
          --depth;
          i += 2;
        } else if (nested_comments && text[i] == '/' && i + 1 < text.size() && text[i + 1] == '*') {
          ++depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else {
      break;
    }
  }
  return i;
}

// `text` without the white space around it (comments are kept: they are part of the statement).
inline std::string_view trim_space(std::string_view text) {
  const char* k_space = " \t\r\n\f\v";
  std::size_t first = text.find_first_not_of(k_space);
  if (first == std::string_view::npos) return text.substr(0, 0);
  std::size_t last = text.find_last_not_of(k_space);
  return text.substr(first, last - first + 1);
}

// The keyword (letters only, upper-cased) starting at `from`, empty when none.
inline std::string keyword_at(std::string_view text, std::size_t from) {
  std::string word;
  for (std::size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
      word.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
    else
      break;
  }
  return word;
}

// Standard SQL identifier quoting: wrap in double quotes, double any inside.
inline std::string double_quote(std::string_view name) {
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q.push_back('"');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

// SQL text as the database reads it, for comparing stored definitions: runs of blanks (spaces,
// tabs, line ends) are one space, none at either end.
inline std::string collapse_blanks(std::string_view sql) {
  std::string out;
  bool blank = false;
  for (char c : sql) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

// A glob (* and ?) as a LIKE pattern whose escape character is `escape`: * is %, ? is _, and LIKE's
// own wildcards and the escape character stand for themselves.
inline std::string like_pattern(std::string_view glob, char escape) {
  std::string like;
  for (char c : glob) {
    if (c == '*')
      like += '%';
    else if (c == '?')
      like += '_';
    else if (c == '%' || c == '_' || c == escape)
      like += std::string(1, escape) + c;
    else
      like += c;
  }
  return like;
}

// Standard SQL string literal: wrap in single quotes, double any inside.
inline std::string single_quote(std::string_view value) {
  std::string q = "'";
  for (char c : value) {
    if (c == '\'') q.push_back('\'');
    q.push_back(c);
  }
  q.push_back('\'');
  return q;
}

}  // namespace runner::sdk
