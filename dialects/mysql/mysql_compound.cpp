// SPDX-License-Identifier: MIT
#include "mysql_compound.hpp"

#include "mysql_lex.hpp"

namespace runner::mysql {

bool if_function(std::string_view t, std::size_t open) {
  bool list = false;
  const std::size_t past = past_parenthesis(t, open, &list);
  if (!list || past == std::string_view::npos) return false;
  std::size_t next = 0;
  const std::string word = peek_word(t, past, &next);
  if (one_of(word, {"THEN", "AND", "OR", "XOR", "IS", "IN", "NOT", "LIKE", "BETWEEN", "REGEXP", "RLIKE"})) return false;
  return next >= t.size() || std::string_view("=<>!").find(t[next]) == std::string_view::npos;
}

bool used_as_name(std::string_view t, std::size_t start, std::size_t end) {
  if (start > 0 && t[start - 1] == '.') return true;
  std::size_t next = 0;
  peek_word(t, end, &next);
  return next < t.size() && std::string_view("=,.)<>!").find(t[next]) != std::string_view::npos;
}

}  // namespace runner::mysql
