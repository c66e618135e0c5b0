// SPDX-License-Identifier: MIT
#include "mysql_statement_target.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace runner::mysql {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

struct Token {
  std::string text;  // a word as written, or an identifier without its quotes
  bool word = false;
  bool quoted = false;
  char punct = '\0';
};

// The statement's tokens up to `limit`, comments skipped; a string or a quoted identifier is one
// token (MySQL reads "x" as a string unless ANSI_QUOTES: a table name in either reading).
std::vector<Token> tokens(std::string_view s, std::size_t limit) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < limit) {
    const char c = s[i];
    if (is_blank(c)) {
      ++i;
    } else if (c == '#' || (s.compare(i, 2, "--") == 0 && (i + 2 >= s.size() || is_blank(s[i + 2])))) {
      const std::size_t nl = s.find('\n', i);
      i = nl == std::string_view::npos ? s.size() : nl + 1;
    } else if (s.compare(i, 2, "/*") == 0) {
      const std::size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else if (c == '`' || c == '"' || c == '\'') {
      Token t;
      t.quoted = true;
      std::size_t j = i + 1;
      for (; j < s.size(); ++j) {
        if (s[j] == '\\' && c != '`' && j + 1 < s.size()) {
          t.text += s[++j];
          continue;
        }
        if (s[j] == c) {
          if (j + 1 < s.size() && s[j + 1] == c) {
            t.text += c;
            ++j;
            continue;
          }
          break;
        }
        t.text += s[j];
      }
      out.push_back(t);
      i = j + 1;
    } else if (is_word_char(c)) {
      std::size_t j = i;
      while (j < s.size() && is_word_char(s[j])) ++j;
      Token t;
      t.word = true;
      t.text = std::string(s.substr(i, j - i));
      out.push_back(t);
      i = j;
    } else {
      Token t;
      t.punct = c;
      out.push_back(t);
      ++i;
    }
  }
  return out;
}

std::string upper(std::string w) {
  for (char& c : w)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return w;
}

}  // namespace

// What reaches beyond the database the session is in: USE (where unqualified names go), a name
// qualified with a database after the words that name objects, and what the whole server shares.
void describe_reach(std::string_view sql, const sdk::Sink& out) {
  const std::vector<Token> t = tokens(sql, 4096);
  const auto word = [&](std::size_t at) { return at < t.size() && t[at].word ? upper(t[at].text) : std::string(); };
  if (word(0) == "USE") out.field("search_path", "1");
  const std::string first = word(0), second = word(1);
  if (first == "GRANT" || first == "REVOKE" || first == "INSTALL" || first == "UNINSTALL" ||
      ((first == "CREATE" || first == "DROP" || first == "ALTER") &&
       (second == "DATABASE" || second == "SCHEMA" || second == "USER" || second == "ROLE" || second == "SERVER")) ||
      (first == "SET" && (second == "GLOBAL" || second == "PERSIST")))
    out.field("database_wide", "1");
  static const char* const k_naming[] = {"TABLE", "INTO",      "UPDATE",   "FROM",     "JOIN",  "ON",     "REFERENCES",
                                         "VIEW",  "PROCEDURE", "FUNCTION", "TRIGGER",  "EVENT", "TABLES", "EXISTS",
                                         "LIKE",  "CALL",      "TO",       "SEQUENCE", "INDEX"};
  for (std::size_t i = 0; i + 3 < t.size(); ++i) {
    const std::string w = word(i);
    if (std::none_of(std::begin(k_naming), std::end(k_naming), [&](const char* n) { return w == n; })) continue;
    if ((t[i + 1].word || t[i + 1].quoted) && t[i + 2].punct == '.' && (t[i + 3].word || t[i + 3].quoted))
      out.field("names_schema", t[i + 1].text);
  }
}

void describe_statement_target(std::string_view sql, const sdk::Sink& out) {
  describe_reach(sql, out);
  const std::vector<Token> t = tokens(sql, 16);
  std::size_t k = 0;
  const auto word = [&](std::size_t at) { return at < t.size() && t[at].word ? upper(t[at].text) : std::string(); };
  const auto skip = [&](std::initializer_list<const char*> words) {
    while (true) {
      const std::string w = word(k);
      bool matched = false;
      for (const char* x : words) matched = matched || w == x;
      if (!matched) return;
      ++k;
    }
  };
  std::string kind = "other";
  const std::string first = word(k++);
  if (first == "BEGIN" || (first == "START" && word(k) == "TRANSACTION")) {
    out.field("kind", "begin");
    return;
  }
  if (first == "COMMIT") {
    out.field("kind", "commit");
    return;
  }
  if (first == "ROLLBACK") {
    skip({"WORK"});
    out.field("kind", word(k) == "TO" ? "other" : "rollback");
    return;
  }
  if (first == "CREATE" || first == "DROP") {
    skip({"TEMPORARY"});
    if (word(k++) == "TABLE") {
      skip({"IF", "NOT", "EXISTS"});
      kind = first == "CREATE" ? "create_table" : "drop_table";
    }
  } else if (first == "INSERT" || first == "REPLACE") {
    skip({"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"});
    kind = "insert";
  } else if (first == "UPDATE") {
    skip({"LOW_PRIORITY", "IGNORE"});
    kind = "update";
  } else if (first == "DELETE") {
    skip({"LOW_PRIORITY", "QUICK", "IGNORE"});
    if (word(k++) == "FROM") kind = "delete";
  }
  if (kind == "other" || k >= t.size() || (!t[k].word && !t[k].quoted)) {
    out.field("kind", "other");
    return;
  }
  std::string schema, table = t[k].text;
  if (k + 2 < t.size() && t[k + 1].punct == '.' && (t[k + 2].word || t[k + 2].quoted)) {
    schema = table;
    table = t[k + 2].text;
  }
  out.field("kind", kind);
  out.field("table", table);
  if (!schema.empty()) out.field("schema", schema);
}

}  // namespace runner::mysql
