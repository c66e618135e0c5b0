// SPDX-License-Identifier: MIT
#include "sqlite_split.hpp"

#include "sqlite_translate.hpp"

#include <sqlite3.h>

#include <array>
#include <string>

namespace runner::sqlite {
namespace {

bool is_blank(std::string_view text) { return sdk::skip_blank(text, 0, false) == text.size(); }

// The identifier after `from` (skipping blanks), upper-cased; advances `from` past it.
std::string next_word(std::string_view text, std::size_t& from) {
  from = sdk::skip_blank(text, from, false);
  std::string word = sdk::keyword_at(text, from);
  from += word.size();
  return word;
}

// PostgreSQL's DO blocks hold semicolons SQLite's tokenizer does not know to skip: the block would
// be cut into pieces, and its END read as the end of a transaction. SQLite has no DO at all.
void refuse_do_block(std::string_view body, std::uint32_t line) {
  if (sdk::keyword_at(body, 0) != "DO") return;
  throw sdk::Failure(RUNNER_ERR_USAGE, line,
                     "SQLite has no DO blocks (PostgreSQL's procedural code): write what this migration does for "
                     "SQLite in a NNNN_name.up.sqlite.sql variant file, which runs instead of this one on SQLite");
}

// A BEGIN that wraps a file opens the migration's transaction with its options: SQLite's own
// parser checks it now, so that `BEGIN SOMETIMES` stops the run before anything runs.
void check_begin(std::string_view statement, std::uint32_t line) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw sdk::Failure(RUNNER_ERR_INTERNAL, line, "cannot open an in-memory database to check a BEGIN");
  }
  sqlite3_stmt* prepared = nullptr;
  const std::string text(statement);
  const int rc = sqlite3_prepare_v2(db, text.c_str(), -1, &prepared, nullptr);
  const std::string message = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(prepared);
  sqlite3_close(db);
  if (rc != SQLITE_OK)
    throw sdk::Failure(RUNNER_ERR_SYNTAX, line,
                       "SQLite cannot begin a transaction with '" + std::string(sdk::trim_space(statement)) +
                           "': " + message + " (SQLite knows BEGIN [DEFERRED | IMMEDIATE | EXCLUSIVE] [TRANSACTION])");
}

}  // namespace

unsigned classify(std::string_view statement) {
  std::size_t pos = 0;
  const std::string first = next_word(statement, pos);
  if (first == "BEGIN") return RUNNER_STMT_TX_BEGIN;
  if (first == "COMMIT" || first == "END") return RUNNER_STMT_TX_COMMIT;
  if (first == "ROLLBACK") {
    // ROLLBACK [TRANSACTION] TO [SAVEPOINT] x stays inside the transaction.
    std::string next = next_word(statement, pos);
    if (next == "TRANSACTION") next = next_word(statement, pos);
    return next == "TO" ? 0u : static_cast<unsigned>(RUNNER_STMT_TX_OTHER);
  }
  if (first == "VACUUM") return RUNNER_STMT_NO_TRANSACTION;
  if (first == "PRAGMA") {
    // Inside a transaction SQLite ignores foreign_keys without a word and refuses journal_mode=WAL:
    // either way the statement would not do what its author meant.
    std::string name = next_word(statement, pos);
    std::size_t after = sdk::skip_blank(statement, pos, false);
    if (after < statement.size() && statement[after] == '.') {
      pos = after + 1;
      name = next_word(statement, pos);
    }
    if (name == "FOREIGN_KEYS" || name == "JOURNAL_MODE") return RUNNER_STMT_NO_TRANSACTION;
  }
  return 0;
}

// Offset just past the string, quoted identifier or comment that opens at `i` (SQLite's quoting:
// '' "" `` doubled to escape, [ ] without escape, -- to the line's end, /* */ not nested), or `i`
// itself when none opens there.
std::size_t skip_quoted(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  if (c == '\'' || c == '"' || c == '`' || c == '[') {
    const char close = c == '[' ? ']' : c;
    for (std::size_t j = i + 1; j < sql.size(); ++j) {
      if (sql[j] != close) continue;
      if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
        ++j;  // a doubled quote stands for itself
        continue;
      }
      return j + 1;
    }
    return sql.size();
  }
  if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
    const std::size_t nl = sql.find('\n', i);
    return nl == std::string_view::npos ? sql.size() : nl;
  }
  if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
    const std::size_t end = sql.find("*/", i + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  return i;
}

void split(std::string_view sql, const sdk::Sink& out, bool plan) {
  sdk::LineCounter lines(sql);
  std::size_t start = 0;
  std::string candidate;
  // The bytes that can open a string or comment, or end a statement; all others are passed by in
  // one tight loop.
  static const auto k_stop = [] {
    std::array<bool, 256> stop{};
    for (unsigned char c : std::string_view("'\"`[-/;")) stop[c] = true;
    return stop;
  }();
  for (std::size_t i = 0; i < sql.size(); ++i) {
    while (i < sql.size() && !k_stop[static_cast<unsigned char>(sql[i])]) ++i;
    if (i >= sql.size()) break;
    // A ';' inside a string or comment ends nothing: skipping them here keeps a data file whose
    // values hold many ';' linear (sqlite3_complete reads the statement from its start each time).
    if (std::size_t past = skip_quoted(sql, i); past != i) {
      i = past - 1;
      continue;
    }
    if (sql[i] != ';') continue;
    // sqlite3_complete is SQLite's tokenizer: it says whether text up to this ';' ends a statement,
    // which a ';' inside a string, identifier, comment or trigger body does not.
    candidate.assign(sql.substr(start, i + 1 - start));
    if (!sqlite3_complete(candidate.c_str())) continue;
    std::string_view stmt = sql.substr(start, i + 1 - start);
    std::size_t first = sdk::skip_blank(stmt, 0, false);
    if (first < stmt.size() && stmt[first] != ';') {
      const std::uint32_t line = lines.at(start + first);
      sdk::refuse_client_commands(stmt.substr(first), line);
      refuse_do_block(stmt.substr(first), line);
      const unsigned flags = classify(stmt) | (plan ? plan_statement(stmt, line) : 0u);
      if (flags & RUNNER_STMT_TX_BEGIN) check_begin(stmt.substr(first), line);
      out.statement(sdk::trim_space(stmt), line, flags);
    }
    start = i + 1;
  }
  std::string_view rest = sql.substr(start);
  if (is_blank(rest)) return;
  // The last statement may lack its ';'. If adding one does not complete it, the file ends inside
  // a string, a comment or a trigger body.
  candidate.assign(rest);
  candidate += "\n;";
  std::size_t first = sdk::skip_blank(rest, 0, false);
  const std::uint32_t line = lines.at(start + first);
  if (!sqlite3_complete(candidate.c_str()))
    throw sdk::Failure(RUNNER_ERR_SYNTAX, line,
                       "statement never ends: an unterminated string, quoted identifier, comment "
                       "or CREATE TRIGGER ... BEGIN without END;");
  sdk::refuse_client_commands(rest.substr(first), line);
  refuse_do_block(rest.substr(first), line);
  const unsigned flags = classify(rest) | (plan ? plan_statement(rest, line) : 0u);
  if (flags & RUNNER_STMT_TX_BEGIN) check_begin(rest.substr(first), line);
  out.statement(sdk::trim_space(rest), line, flags);
}

}  // namespace runner::sqlite
