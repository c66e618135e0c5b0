// SPDX-License-Identifier: MIT
// The mysql client's lexical rules, shared by the splitter, the compound-statement tracker and the
// statement classification: what a word is, where a string, identifier or comment ends, the next
// word, a parenthesis' end.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace runner::mysql {

bool is_blank(char c);
bool is_word_char(char c);
std::string upper(std::string_view w);
bool one_of(const std::string& w, std::initializer_list<const char*> words);
// MySQL reads "--" as a comment only when a blank or a control character follows it.
bool dash_comment_at(std::string_view t, std::size_t i);
// The offset past the opening marker of an executable comment (/*!50003, /*M!100301) at i, or 0.
std::size_t executable_comment_body(std::string_view t, std::size_t i);
// The offset past the string, identifier or comment starting at i (i itself when none starts
// there). Throws sdk::Failure naming the line where an unterminated one opened.
std::size_t skip_quoted(std::string_view t, std::size_t i, sdk::LineCounter& lines);
// The next word after `from`, upper-cased, skipping blanks and comments ("" when something else
// comes first); *at receives its offset.
std::string peek_word(std::string_view t, std::size_t from, std::size_t* at = nullptr);
// The offset past the ')' closing the '(' at `open` (npos when none before a ';'), and whether the
// parentheses hold a list (a comma outside nested ones and strings).
std::size_t past_parenthesis(std::string_view t, std::size_t open, bool* list);
// The first `count` words of a statement, upper-cased, with comments skipped and the markers of
// executable comments (/*!50003 ... */) left out, so that their code counts.
std::vector<std::string> leading_words(std::string_view statement, std::size_t count);

}  // namespace runner::mysql
