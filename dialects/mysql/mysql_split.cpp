// SPDX-License-Identifier: MIT
#include "mysql_split.hpp"

#include "mysql_translate.hpp"
#include "plugins/sdk/dialect_sdk.hpp"

#include <algorithm>
#include <initializer_list>

namespace runner::mysql {
namespace {

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
std::string peek_word(std::string_view t, std::size_t from, std::size_t* at = nullptr) {
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

// Whether IF( at `open` is the IF() function: a list in its parentheses, and after them no comparison
// or THEN (IF (a, b) = (1, 2) THEN is the statement, comparing rows).
bool if_function(std::string_view t, std::size_t open) {
  bool list = false;
  const std::size_t past = past_parenthesis(t, open, &list);
  if (!list || past == std::string_view::npos) return false;
  std::size_t next = 0;
  const std::string word = peek_word(t, past, &next);
  if (one_of(word, {"THEN", "AND", "OR", "XOR", "IS", "IN", "NOT", "LIKE", "BETWEEN", "REGEXP", "RLIKE"})) return false;
  return next >= t.size() || std::string_view("=<>!").find(t[next]) == std::string_view::npos;
}

// Whether the word ending at `end` is a name rather than a keyword: what follows it is an assignment,
// a comparison, a list's comma or its end, or a qualifier's dot (SET end = 1, t.begin).
bool used_as_name(std::string_view t, std::size_t start, std::size_t end) {
  if (start > 0 && t[start - 1] == '.') return true;
  std::size_t next = 0;
  peek_word(t, end, &next);
  return next < t.size() && std::string_view("=,.)<>!").find(t[next]) != std::string_view::npos;
}

// Follows the compound statements (BEGIN ... END, IF ... END IF, CASE ... END, LOOP, WHILE,
// REPEAT) of a stored program written without DELIMITER, so that a ';' inside one does not end it.
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

[[noreturn]] void refuse_postgresql(const std::string& construct, const std::string& instead, std::uint32_t line) {
  throw sdk::Failure(RUNNER_ERR_USAGE, line,
                     construct + " is PostgreSQL's, and the mysql dialect does not translate it: " + instead +
                         ", in a variant of this migration for MySQL (NNNN_name.up.mysql.sql beside it, which the "
                         "mysql dialect runs instead of the plain file)");
}

// PostgreSQL's DDL that MySQL would refuse half-way through a run (or read otherwise), refused when
// the run is planned instead, naming what to write.
void refuse_postgresql_only(std::string_view body, std::uint32_t line) {
  const std::vector<std::string> w = leading_words(body, 3);
  const auto at = [&](std::size_t k) { return k < w.size() ? w[k] : std::string(); };
  if ((at(0) == "CREATE" || at(0) == "ALTER" || at(0) == "DROP") && at(1) == "TYPE")
    refuse_postgresql(at(0) + " TYPE (an enum type)", "write the column's type as ENUM('a', 'b') in the table", line);
  if (at(0) == "CREATE" && at(1) == "EXTENSION")
    refuse_postgresql("CREATE EXTENSION", "leave it out, or use what MySQL has built in", line);
  if (at(0) == "COMMENT" && at(1) == "ON")
    refuse_postgresql("COMMENT ON", "write the comment as COMMENT 'text' in the column or table definition", line);
  sdk::LineCounter lines(body);
  std::vector<std::pair<std::string, std::size_t>> words;  // upper-cased, with their offsets
  for (std::size_t i = 0; i < body.size();) {
    const std::size_t past = skip_quoted(body, i, lines);
    if (past != i) {
      i = past;
      continue;
    }
    if (body.compare(i, 2, "::") == 0)
      refuse_postgresql("The cast operator ::", "write CAST(value AS type)", line + lines.at(i) - 1);
    if (!is_word_char(body[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < body.size() && is_word_char(body[end])) ++end;
    const std::string word = upper(body.substr(i, end - i));
    if (word == "TIMESTAMPTZ")
      refuse_postgresql("TIMESTAMPTZ", "write DATETIME(6) (UTC by convention) or TIMESTAMP", line + lines.at(i) - 1);
    if (word == "BIGSERIAL" || word == "SMALLSERIAL")
      refuse_postgresql(word, "write BIGINT AUTO_INCREMENT (or SMALLINT AUTO_INCREMENT)", line + lines.at(i) - 1);
    if (word.size() >= 2 && word.front() == '$' && word.back() == '$')
      refuse_postgresql("Dollar quoting (" + word + ")", "write the body with BEGIN ... END and '...' strings",
                        line + lines.at(i) - 1);
    words.emplace_back(word, i);
    i = end;
  }
  // ALTER TABLE t ALTER [COLUMN] c SET NOT NULL | DROP NOT NULL | TYPE x | SET DATA TYPE x: MySQL
  // changes a column with MODIFY, which restates it whole.
  if (at(0) == "ALTER" && at(1) == "TABLE")
    for (std::size_t k = 2; k + 2 < words.size(); ++k) {
      if (words[k].first != "ALTER") continue;
      const std::size_t c = words[k + 1].first == "COLUMN" ? k + 2 : k + 1;
      const auto next = [&](std::size_t n) { return c + n < words.size() ? words[c + n].first : std::string(); };
      const bool not_null = (next(1) == "SET" || next(1) == "DROP") && next(2) == "NOT";
      if (not_null || next(1) == "TYPE" || (next(1) == "SET" && next(2) == "DATA"))
        refuse_postgresql("ALTER COLUMN ... " + (not_null ? next(1) + " NOT NULL" : std::string("TYPE")),
                          "write MODIFY COLUMN with the column's whole definition (type, NULL or NOT NULL, "
                          "DEFAULT)",
                          line + lines.at(words[k].second) - 1);
    }
  for (std::size_t k = 0; k + 2 < words.size(); ++k)
    if (words[k].first == "GENERATED" && words[k + 2].first == "AS" && k + 3 < words.size() &&
        words[k + 3].first == "IDENTITY")
      refuse_postgresql("GENERATED ... AS IDENTITY", "write AUTO_INCREMENT", line + lines.at(words[k].second) - 1);
}

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

namespace {

std::uint32_t classify_words(const std::vector<std::string>& w, std::size_t from) {
  if (from >= w.size()) return 0;
  const auto at = [&](std::size_t k) { return from + k < w.size() ? w[from + k] : std::string(); };
  const std::string& first = w[from];
  constexpr std::uint32_t none = 0, implicit_commit = RUNNER_STMT_IMPLICIT_COMMIT;
  if (first == "BEGIN") return at(1) == "NOT" ? implicit_commit : std::uint32_t{RUNNER_STMT_TX_BEGIN};
  if (first == "START") return at(1) == "TRANSACTION" ? std::uint32_t{RUNNER_STMT_TX_BEGIN} : implicit_commit;
  if (first == "STOP" || first == "CHANGE") return implicit_commit;  // replication: START/STOP SLAVE, CHANGE MASTER
  if (first == "COMMIT") return RUNNER_STMT_TX_COMMIT;
  if (first == "ROLLBACK") return at(1) == "TO" || at(2) == "TO" ? none : std::uint32_t{RUNNER_STMT_TX_OTHER};
  if (first == "XA") return RUNNER_STMT_TX_OTHER;
  // Temporary tables live in the session: creating or dropping one commits nothing.
  if (first == "CREATE" || first == "DROP") {
    for (std::size_t k = 1; k < 4; ++k)
      if (at(k) == "TEMPORARY") return 0;
    return RUNNER_STMT_IMPLICIT_COMMIT;
  }
  // SET STATEMENT var = value FOR statement: what the statement does.
  if (first == "SET" && at(1) == "STATEMENT") {
    for (std::size_t k = from + 2; k < w.size(); ++k)
      if (w[k] == "FOR") return classify_words(w, k + 1);
    return implicit_commit;  // not seen whole: taken for one that commits
  }
  if (first == "SET") {
    if (at(1) == "PASSWORD" || at(1) == "ROLE" || (at(1) == "DEFAULT" && at(2) == "ROLE")) return implicit_commit;
    // SET GLOBAL changes the server, SET TRANSACTION the next transaction: not the session's state.
    if (one_of(at(1), {"GLOBAL", "PERSIST", "PERSIST_ONLY", "TRANSACTION"})) return none;
    return RUNNER_STMT_SESSION;
  }
  if (first == "USE") return RUNNER_STMT_SESSION;
  // DDL and the other statements MySQL commits around; CALL and EXECUTE may run any of them, and
  // a compound statement outside a stored program (MariaDB) may hold them.
  if (one_of(first, {"ALTER",   "RENAME", "TRUNCATE", "LOCK",  "UNLOCK",  "GRANT",     "REVOKE", "ANALYZE", "OPTIMIZE",
                     "REPAIR",  "CHECK",  "FLUSH",    "RESET", "INSTALL", "UNINSTALL", "CACHE",  "LOAD",    "CALL",
                     "EXECUTE", "IF",     "WHILE",    "LOOP",  "REPEAT",  "CASE",      "FOR"}))
    return RUNNER_STMT_IMPLICIT_COMMIT;
  return 0;
}

}  // namespace

std::uint32_t classify(std::string_view statement) { return classify_words(leading_words(statement, 256), 0); }

void refuse_unrecordable(std::string_view statement, std::uint32_t line) {
  const std::vector<std::string> w = leading_words(statement, 4);
  const auto at = [&](std::size_t k) { return k < w.size() ? w[k] : std::string(); };
  if ((at(0) == "LOCK" || at(0) == "UNLOCK") && (at(1) == "TABLES" || at(1) == "TABLE"))
    throw sdk::Failure(RUNNER_ERR_USAGE, line,
                       at(0) + " " + at(1) +
                           ": while tables are locked MySQL lets the session use no other table, so runner could not "
                           "record the migration's progress; leave LOCK TABLES and UNLOCK TABLES out (mysqldump "
                           "--skip-add-locks), runner holding its own lock on the database");
  if (at(0) == "FLUSH" && (at(1) == "TABLES" || at(1) == "TABLE") && leading_words(statement, 8).back() == "LOCK")
    throw sdk::Failure(RUNNER_ERR_USAGE, line,
                       "FLUSH TABLES ... WITH READ LOCK stops every write, runner's own records of the migration "
                       "included; leave it out");
  if (at(0) == "SET" && (at(1) == "AUTOCOMMIT" || at(2) == "AUTOCOMMIT"))
    throw sdk::Failure(RUNNER_ERR_USAGE, line,
                       "SET autocommit: runner decides where each migration's transaction begins and ends, and a "
                       "session left without autocommit would hold the next statements and runner's own records in "
                       "a transaction nobody commits; leave it out (mysqldump --no-autocommit writes it)");
}

}  // namespace runner::mysql
