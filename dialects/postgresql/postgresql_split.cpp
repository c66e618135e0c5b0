// SPDX-License-Identifier: MIT
#include "dialects/postgresql/postgresql_split.hpp"

#include "plugins/sdk/pg_scan.hpp"

#include <pg_query.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

namespace runner::postgresql {
namespace {

// Only statements starting with one of these words can be transaction control or refused inside a
// transaction block; anything else skips the (comparatively costly) parse.
bool worth_parsing(std::string_view statement) {
  std::size_t at = sdk::skip_blank(statement, 0, true);
  const std::string first = sdk::keyword_at(statement, at);
  static const char* const k_words[] = {"BEGIN", "START",  "COMMIT", "END",     "ROLLBACK", "ABORT",
                                        "PREPARE", "VACUUM", "CREATE", "DROP", "ALTER",  "REINDEX"};
  return std::any_of(std::begin(k_words), std::end(k_words), [&](const char* w) { return first == w; });
}

bool has_concurrently_option(const nlohmann::json& params) {
  if (!params.is_array()) return false;
  for (const auto& p : params) {
    const auto& def = p.value("DefElem", nlohmann::json::object());
    if (def.value("defname", "") == "concurrently") return true;
  }
  return false;
}

unsigned classify_node(const nlohmann::json& node) {
  if (!node.is_object() || node.empty()) return 0;
  const std::string& type = node.begin().key();
  const nlohmann::json& body = node.begin().value();
  if (type == "TransactionStmt") {
    const std::string kind = body.value("kind", "");
    if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") return RUNNER_STMT_TX_BEGIN;
    if (kind == "TRANS_STMT_COMMIT") return RUNNER_STMT_TX_COMMIT;
    if (kind == "TRANS_STMT_COMMIT_PREPARED" || kind == "TRANS_STMT_ROLLBACK_PREPARED")
      return RUNNER_STMT_NO_TRANSACTION;
    if (kind == "TRANS_STMT_ROLLBACK" || kind == "TRANS_STMT_PREPARE") return RUNNER_STMT_TX_OTHER;
    return 0;  // SAVEPOINT, RELEASE, ROLLBACK TO work inside a transaction
  }
  if (type == "IndexStmt" || type == "DropStmt")
    return body.value("concurrent", false) ? static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION) : 0u;
  if (type == "ReindexStmt")
    return has_concurrently_option(body.value("params", nlohmann::json())) ? static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION) : 0u;
  if (type == "VacuumStmt") return body.value("is_vacuumcmd", false) ? static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION) : 0u;
  if (type == "CreatedbStmt" || type == "DropdbStmt" || type == "AlterSystemStmt" ||
      type == "CreateTableSpaceStmt" || type == "DropTableSpaceStmt")
    return RUNNER_STMT_NO_TRANSACTION;
  return 0;
}

bool contains_ignoring_case(std::string_view text, std::string_view lower_needle) {
  if (lower_needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + lower_needle.size() <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < lower_needle.size() && (text[i + k] >= 'A' && text[i + k] <= 'Z' ? text[i + k] + 32 : text[i + k]) ==
                                          lower_needle[k])
      ++k;
    if (k == lower_needle.size()) return true;
  }
  return false;
}

// The run lock is a session advisory lock. A statement that drops every lock of the session
// would let a second runner in half-way through this one: refused before anything runs. (One
// that unlocks the runner's key by hand is caught before the next history write.)
void refuse_lock_release(std::string_view statement, std::uint32_t line) {
  const char* why = nullptr;
  std::size_t at = sdk::skip_blank(statement, 0, true);
  if (sdk::keyword_at(statement, at) == "DISCARD" &&
      sdk::keyword_at(statement, sdk::skip_blank(statement, at + 7, true)) == "ALL")
    why = "DISCARD ALL";
  else if (contains_ignoring_case(statement, "pg_advisory_unlock_all"))
    why = "pg_advisory_unlock_all()";
  if (why == nullptr) return;
  throw sdk::Failure(RUNNER_ERR_USAGE, line,
                     std::string(why) +
                         " would release the runner's run lock (a session advisory lock) while the run goes on, "
                         "letting another runner in: remove it (DISCARD PLANS, DISCARD TEMP or "
                         "DISCARD SEQUENCES keep the lock)");
}

}  // namespace

unsigned classify(std::string_view statement) {
  if (!worth_parsing(statement)) return 0;
  // PostgreSQL has no DROP VALUE; the dialect runs its emulation in place of the statement.
  if (sdk::parse_drop_enum_value(statement)) return RUNNER_STMT_TRANSLATE;
  std::string text(statement);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  unsigned flags = 0;
  if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
    nlohmann::json tree = nlohmann::json::parse(parsed.parse_tree, nullptr, false);
    if (tree.is_object() && tree.contains("stmts"))
      for (const auto& s : tree["stmts"]) flags |= classify_node(s.value("stmt", nlohmann::json::object()));
  }
  // A statement the parser rejects gets no flags: the server reports its own error when it runs.
  pg_query_free_parse_result(parsed);
  return flags;
}

namespace {

// Byte offset of the 1-based character position `chars` (libpg_query counts UTF-8 characters).
std::size_t byte_of_char(std::string_view text, int chars) {
  std::size_t byte = 0;
  for (int seen = 1; seen < chars && byte < text.size(); ++seen) {
    ++byte;
    while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) ++byte;
  }
  return byte;
}

}  // namespace

void split(std::string_view sql, const sdk::Sink& out) {
  std::string text(sql);  // libpg_query needs a NUL-terminated string
  // The parser knows statement bodies the scanner does not (CREATE FUNCTION ... BEGIN ATOMIC ...
  // END). It rejects a file with any syntax error, and then the scanner splits it: the server
  // reports such a statement's error itself when it runs.
  PgQuerySplitResult result = pg_query_split_with_parser(text.c_str());
  if (result.error != nullptr) {
    pg_query_free_split_result(result);
    result = pg_query_split_with_scanner(text.c_str());
  }
  if (result.error != nullptr) {
    // The scanner reports unterminated strings, bodies and comments at their start.
    std::size_t pos = byte_of_char(sql, result.error->cursorpos);
    std::string message = result.error->message != nullptr ? result.error->message : "syntax error";
    std::uint32_t line = sdk::line_at(sql, pos);
    pg_query_free_split_result(result);
    throw sdk::Failure(RUNNER_ERR_SYNTAX, line, message);
  }
  struct Piece {
    std::size_t offset, length;
  };
  std::vector<Piece> pieces;
  pieces.reserve(static_cast<std::size_t>(result.n_stmts));
  for (int i = 0; i < result.n_stmts; ++i) {
    auto offset = static_cast<std::size_t>(result.stmts[i]->stmt_location);
    auto length = static_cast<std::size_t>(result.stmts[i]->stmt_len);
    if (length == 0) length = sql.size() - std::min(offset, sql.size());  // 0 means "to the end"
    pieces.push_back({offset, length});
  }
  pg_query_free_split_result(result);

  // The scanner split leaves out a segment whose first token is not a keyword ("SELCT 1;"). Any
  // text between the pieces other than blanks, comments and ';' is such a segment: it is sent as
  // it stands, so that the server reports it instead of the runner skipping it.
  auto emit = [&](std::size_t offset, std::size_t length, bool gap) {
    std::string_view stmt = sql.substr(offset, length);
    std::size_t first = sdk::skip_blank(stmt, 0, true);
    while (gap && first < stmt.size() && stmt[first] == ';') first = sdk::skip_blank(stmt, first + 1, true);
    if (first >= stmt.size()) return;  // only comments
    std::string_view body = sdk::trim_space(stmt.substr(first));
    if (gap)
      while (!body.empty() && (body.back() == ';' || body.back() == ' ' || body.back() == '\n')) body.remove_suffix(1);
    const std::uint32_t line = sdk::line_at(sql, offset + first);
    refuse_lock_release(body, line);
    out.statement(gap ? body : sdk::trim_space(stmt), line, gap ? 0u : classify(stmt));
  };
  std::size_t cursor = 0;
  for (const Piece& p : pieces) {
    if (p.offset > cursor) emit(cursor, p.offset - cursor, true);
    emit(p.offset, p.length, false);
    cursor = std::max(cursor, p.offset + p.length);
  }
  if (cursor < sql.size()) emit(cursor, sql.size() - cursor, true);
}

}  // namespace runner::postgresql
