// SPDX-License-Identifier: MIT
#include "mysql_lex.hpp"

#include <algorithm>

namespace runner::mysql {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string upper(std::string_view w) {
  std::string u(w);
  for (char& c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return u;
}

bool one_of(const std::string& w, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* x) { return w == x; });
}

// MySQL reads "--" as a comment only when a blank or a control character follows it.
bool dash_comment_at(std::string_view t, std::size_t i) {
  return t.compare(i, 2, "--") == 0 && (i + 2 >= t.size() || static_cast<unsigned char>(t[i + 2]) <= ' ');
}

// The offset past the opening marker of an executable comment (/*!50003, /*M!100301) at i, or 0.
std::size_t executable_comment_body(std::string_view t, std::size_t i) {
  std::size_t j = i + 2;
  if (t.compare(i, 3, "/*!") == 0)
    j = i + 3;
  else if (t.compare(i, 4, "/*M!") == 0)
    j = i + 4;
  else
    return 0;
  while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
  return j;
}

// The offset past the string, identifier or comment starting at i (i itself when none starts
// there). Throws naming the line where an unterminated one opened.
std::size_t skip_quoted(std::string_view t, std::size_t i, sdk::LineCounter& lines) {
  const char q = t[i];
  if (q == '\'' || q == '"' || q == '`') {
    for (std::size_t j = i + 1; j < t.size(); ++j) {
      if (t[j] == '\\' && q != '`') {
        ++j;
        continue;
      }
      if (t[j] != q) continue;
      if (j + 1 < t.size() && t[j + 1] == q) {
        ++j;  // a doubled quote stands for itself
        continue;
      }
      return j + 1;
    }
    throw sdk::Failure(RUNNER_ERR_SYNTAX, lines.at(i),
                       std::string(q == '`' ? "identifier" : "string") + " opened with " + q + " here is never closed");
  }
  if (q == '#' || dash_comment_at(t, i)) {
    const std::size_t nl = t.find('\n', i);
    return nl == std::string_view::npos ? t.size() : nl + 1;
  }
  if (t.compare(i, 2, "/*") == 0 && executable_comment_body(t, i) == 0) {
    const std::size_t end = t.find("*/", i + 2);
    if (end == std::string_view::npos)
      throw sdk::Failure(RUNNER_ERR_SYNTAX, lines.at(i), "comment opened with /* here is never closed");
    return end + 2;
  }
  return i;
}

// The next word after `from`, upper-cased, skipping blanks and comments ("" when something else
// comes first); *at receives its offset.
std::string peek_word(std::string_view t, std::size_t from, std::size_t* at) {
  sdk::LineCounter lines(t);
  std::size_t i = from;
  while (i < t.size()) {
    if (is_blank(t[i])) {
      ++i;
      continue;
    }
    if (t[i] == '#' || dash_comment_at(t, i) || (t.compare(i, 2, "/*") == 0 && executable_comment_body(t, i) == 0)) {
      const std::size_t next = skip_quoted(t, i, lines);
      i = next;
      continue;
    }
    break;
  }
  std::size_t end = i;
  while (end < t.size() && is_word_char(t[end])) ++end;
  if (at != nullptr) *at = i;
  return upper(t.substr(i, end - i));
}

// The offset past the ')' closing the '(' at `open` (npos when none before a ';'), and whether the
// parentheses hold a list (a comma outside nested ones and strings).
std::size_t past_parenthesis(std::string_view t, std::size_t open, bool* list) {
  sdk::LineCounter lines(t);
  int depth = 0;
  *list = false;
  for (std::size_t i = open; i < t.size();) {
    const std::size_t past = skip_quoted(t, i, lines);
    if (past != i) {
      i = past;
      continue;
    }
    if (t[i] == '(') ++depth;
    if (t[i] == ')' && --depth == 0) return i + 1;
    if (t[i] == ',' && depth == 1) *list = true;
    if (t[i] == ';') return std::string_view::npos;  // no list runs past a statement's end: the scan stays short
    ++i;
  }
  return std::string_view::npos;
}

std::vector<std::string> leading_words(std::string_view s, std::size_t count) {
  std::vector<std::string> words;
  sdk::LineCounter lines(s);
  std::size_t i = 0;
  while (i < s.size() && words.size() < count) {
    if (is_blank(s[i])) {
      ++i;
      continue;
    }
    if (const std::size_t body = executable_comment_body(s, i); body != 0) {
      i = body;
      continue;
    }
    if (s.compare(i, 2, "*/") == 0) {
      i += 2;
      continue;
    }
    std::size_t past = i;
    try {
      past = skip_quoted(s, i, lines);
    } catch (const sdk::Failure&) {
      break;
    }
    if (past != i) {
      i = past;
      continue;
    }
    if (is_word_char(s[i])) {
      std::size_t end = i;
      while (end < s.size() && is_word_char(s[end])) ++end;
      words.push_back(upper(s.substr(i, end - i)));
      i = end;
      continue;
    }
    ++i;
  }
  return words;
}

}  // namespace runner::mysql
