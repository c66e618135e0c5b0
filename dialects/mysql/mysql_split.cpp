// SPDX-License-Identifier: MIT
#include "mysql_split.hpp"

#include "mysql_classify.hpp"
#include "mysql_compound.hpp"
#include "mysql_lex.hpp"
#include "mysql_translate.hpp"
#include "plugins/sdk/dialect_sdk.hpp"

namespace runner::mysql {
namespace {

class Splitter {
 public:
  Splitter(std::string_view text, bool plan) : t_(text), lines_(text), plan_(plan) {}

  std::vector<Statement> run() {
    std::size_t i = 0;
    while (i < t_.size()) {
      const char c = t_[i];
      if (content_ == npos) {
        if (is_blank(c)) {
          ++i;
          continue;
        }
        if (at_line_start(i) && upper(t_.substr(i, 9)) == "DELIMITER" && i + 9 < t_.size() && is_blank(t_[i + 9])) {
          i = set_delimiter(i);
          start_ = i;
          continue;
        }
      }
      if (!executable_ && t_.compare(i, delimiter_.size(), delimiter_) == 0 &&
          !(delimiter_ == ";" && compound_.inside())) {
        emit(i);
        i += delimiter_.size();
        start_ = i;
        continue;
      }
      const std::size_t past = skip_quoted(t_, i, lines_);
      if (past != i) {
        if (c == '\'' || c == '"' || c == '`') {
          mark(i);
          compound_.punctuation(c, '\0');
        }
        i = past;
        continue;
      }
      if (const std::size_t body = executable_comment_body(t_, i); body != 0) {
        // /*!50003 CREATE */: code for the server, read as such.
        mark(i);
        executable_ = true;
        i = body;
        continue;
      }
      if (executable_ && t_.compare(i, 2, "*/") == 0) {
        executable_ = false;
        i += 2;
        continue;
      }
      if (is_word_char(c)) {
        // The mysql client finds its delimiter anywhere outside quotes: SET x = 1$$ ends at the $$.
        std::size_t end = i;
        while (end < t_.size() && is_word_char(t_[end]) &&
               (end == i || delimiter_ == ";" || t_.compare(end, delimiter_.size(), delimiter_) != 0))
          ++end;
        mark(i);
        compound_.word(upper(t_.substr(i, end - i)), t_, end, lines_.at(i));
        i = end;
        continue;
      }
      if (is_blank(c)) {
        ++i;
        continue;
      }
      if (c != ';') mark(i);
      compound_.punctuation(c, i + 1 < t_.size() ? t_[i + 1] : '\0');
      ++i;
    }
    if (executable_)
      throw sdk::Failure(RUNNER_ERR_SYNTAX, lines_.at(t_.size()), "an executable comment /*! is never closed");
    emit(t_.size());
    return std::move(out_);
  }

 private:
  static constexpr std::size_t npos = std::string_view::npos;

  void mark(std::size_t i) {
    if (content_ == npos) content_ = i;
  }

  bool at_line_start(std::size_t i) const {
    for (std::size_t j = i; j > 0; --j) {
      if (t_[j - 1] == '\n') return true;
      if (t_[j - 1] != ' ' && t_[j - 1] != '\t') return false;
    }
    return true;
  }

  // DELIMITER xx: the mysql client's own command, taken off the text. Returns the next line's offset.
  std::size_t set_delimiter(std::size_t i) {
    const std::uint32_t line = lines_.at(i);
    std::size_t end = t_.find('\n', i);
    if (end == npos) end = t_.size();
    const std::string_view rest = sdk::trim_space(t_.substr(i + 9, end - i - 9));
    std::string_view word = rest.substr(0, std::min(rest.find_first_of(" \t\r"), rest.size()));
    if (word.size() >= 2 && (word.front() == '\'' || word.front() == '"' || word.front() == '`') &&
        word.back() == word.front())
      word = word.substr(1, word.size() - 2);
    if (word.empty())
      throw sdk::Failure(RUNNER_ERR_SYNTAX, line, "DELIMITER needs the new delimiter after it, as in DELIMITER //");
    if (word.find('\\') != npos)
      throw sdk::Failure(RUNNER_ERR_SYNTAX, line,
                         "a DELIMITER cannot hold a backslash (the mysql client refuses it too)");
    delimiter_ = std::string(word);
    return end < t_.size() ? end + 1 : end;
  }

  void emit(std::size_t end) {
    if (content_ != npos) {
      if (compound_.inside())
        throw sdk::Failure(RUNNER_ERR_SYNTAX, compound_.open_line(),
                           "'" + compound_.open_word() +
                               "' here has no END before the file ends: a stored program's body must be complete "
                               "(or put DELIMITER // before it and // after it)");
      const std::string_view sql = sdk::trim_space(t_.substr(start_, end - start_));
      const std::uint32_t line = lines_.at(content_);
      const std::string_view body = t_.substr(content_, end - content_);
      if (!body.empty() && body[0] == '\\')
        throw sdk::Failure(RUNNER_ERR_USAGE, line,
                           "'" + std::string(body.substr(0, body.find('\n'))) +
                               "' is a mysql client command, not SQL: runner sends each statement to the server, "
                               "which cannot run it; remove it or write it in SQL");
      const std::string first = sdk::keyword_at(body, 0);
      if (first == "SOURCE")
        throw sdk::Failure(RUNNER_ERR_USAGE, line,
                           "SOURCE is a mysql client command, not SQL: runner sends each statement to the server; "
                           "make the sourced file a migration of its own");
      refuse_unrecordable(body, line);
      std::uint32_t flags = classify(sql);
      if (plan_) {
        flags |= plan_translation(body, line);
        if ((flags & RUNNER_STMT_TRANSLATE) == 0) refuse_postgresql_only(body, line);
      }
      out_.push_back({sql, line, flags});
    }
    content_ = npos;
    executable_ = false;
    compound_.reset();
  }

  std::string_view t_;
  sdk::LineCounter lines_;
  bool plan_;
  std::string delimiter_ = ";";
  std::size_t start_ = 0;
  std::size_t content_ = npos;  // where the statement's first token is; npos while none
  bool executable_ = false;     // inside /*! ... */
  Compound compound_;
  std::vector<Statement> out_;
};

}  // namespace

std::vector<Statement> split(std::string_view text, bool plan) { return Splitter(text, plan).run(); }

}  // namespace runner::mysql
