// SPDX-License-Identifier: MIT
// Follows the compound statements (BEGIN ... END, IF ... END IF, CASE ... END, LOOP, WHILE, REPEAT,
// MariaDB's FOR) of a stored program written without DELIMITER, so that a ';' inside one does not
// end it. The splitter feeds it each word and punctuation mark of a statement.
#pragma once

#include "mysql_lex.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace runner::mysql {

// Whether IF( at `open` is the IF() function: a list in its parentheses, and after them no comparison
// or THEN (IF (a, b) = (1, 2) THEN is the statement, comparing rows).
bool if_function(std::string_view t, std::size_t open);
// Whether the word from `start` to `end` is a name rather than a keyword: what follows it is an
// assignment, a comparison, a list's comma or its end, or a qualifier's dot (SET end = 1, t.begin).
bool used_as_name(std::string_view t, std::size_t start, std::size_t end);

class Compound {
 public:
  void reset() { *this = Compound(); }
  bool inside() const { return !open_.empty(); }
  // The line of the innermost block still open, and the word that opened it.
  std::uint32_t open_line() const { return open_.back().line; }
  const std::string& open_word() const { return open_.back().word; }

  void word(const std::string& w, std::string_view t, std::size_t end, std::uint32_t line) {
    if (mode_ == Mode::first) {
      decide_first(w, t, end, line);
      return;
    }
    if (mode_ == Mode::undecided) {
      ++seen_;
      if (one_of(w, {"PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE"}))
        mode_ = Mode::program;
      else if (seen_ > 12 || one_of(w, {"TABLE", "VIEW", "INDEX", "DATABASE", "SCHEMA", "USER", "ROLE", "SERVER",
                                        "TABLESPACE", "SEQUENCE", "TEMPORARY", "UNIQUE", "FULLTEXT", "SPATIAL"}))
        mode_ = Mode::plain;
      return;
    }
    if (mode_ != Mode::program) return;
    if (close_next_ && one_of(w, {"IF", "CASE", "LOOP", "WHILE", "REPEAT", "FOR"})) {
      close_next_ = false;  // END IF: the IF is the END's
      start_ = false;
      return;
    }
    close_next_ = false;
    // END after an open CASE closes it, whatever follows: (CASE WHEN a THEN 1 END), CASE ... END, x.
    const bool closes_case = w == "END" && !open_.empty() && open_.back().word == "CASE";
    if ((w == "END" || w == "BEGIN") && !closes_case && used_as_name(t, end - w.size(), end)) {
      start_ = false;
      return;
    }
    if (w == "END") {
      if (!open_.empty()) open_.pop_back();
      close_next_ = true;
      start_ = false;
      return;
    }
    if (w == "BEGIN" || w == "CASE") {
      open_.push_back({w, line});
      start_ = w == "BEGIN";
      return;
    }
    // MariaDB's FOR i IN 1..3 DO ... END FOR too; FOR EACH ROW and FOR UPDATE come mid-statement.
    if (start_ && (w == "IF" || w == "WHILE" || w == "LOOP" || w == "REPEAT" || w == "FOR")) {
      std::size_t next = 0;
      peek_word(t, end, &next);
      const bool call = next < t.size() && t[next] == '(' && (w == "REPEAT" || (w == "IF" && if_function(t, next)));
      if (!call) {
        open_.push_back({w, line});
        start_ = w == "LOOP" || w == "REPEAT";
        return;
      }
    }
    start_ = one_of(w, {"THEN", "ELSE", "DO", "ROW", "ATOMIC"});
  }
  // ';' inside a body, and a label's ':' (not ':='), start a statement; anything else does not.
  void punctuation(char c, char next) {
    if (mode_ == Mode::first) mode_ = Mode::plain;
    start_ = c == ';' || (c == ':' && next != '=');
    close_next_ = false;
  }

 private:
  enum class Mode { first, undecided, program, plain };
  struct Open {
    std::string word;
    std::uint32_t line;
  };

  void decide_first(const std::string& w, std::string_view t, std::size_t end, std::uint32_t line) {
    if (one_of(w, {"CREATE", "ALTER"})) {
      mode_ = Mode::undecided;
    } else if (w == "BEGIN" && peek_word(t, end) == "NOT") {
      mode_ = Mode::program;  // MariaDB's BEGIN NOT ATOMIC ... END: a block, not a transaction
    } else if (one_of(w, {"IF", "WHILE", "LOOP", "REPEAT", "CASE"})) {
      mode_ = Mode::program;  // MariaDB runs compound statements outside stored programs too
    } else {
      mode_ = Mode::plain;
      return;
    }
    if (mode_ == Mode::program) {
      start_ = true;
      word(w, t, end, line);
    }
  }

  Mode mode_ = Mode::first;
  int seen_ = 0;
  bool start_ = false;
  bool close_next_ = false;
  std::vector<Open> open_;
};

}  // namespace runner::mysql
