// SPDX-License-Identifier: MIT
#include "postgresql_split.hpp"

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
  static const char* const k_words[] = {"BEGIN",  "START",  "COMMIT", "END",   "ROLLBACK", "ABORT", "PREPARE",
                                        "VACUUM", "CREATE", "DROP",   "ALTER", "REINDEX",  "SET",   "RESET"};
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
    return has_concurrently_option(body.value("params", nlohmann::json()))
               ? static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION)
               : 0u;
  if (type == "AlterTableStmt") {
    // DETACH PARTITION ... CONCURRENTLY commits part-way, as CREATE INDEX CONCURRENTLY does.
    for (const auto& cmd : body.value("cmds", nlohmann::json::array())) {
      const auto& c = cmd.value("AlterTableCmd", nlohmann::json::object());
      if (c.value("subtype", "") == "AT_DetachPartition" && c.value("def", nlohmann::json::object())
                                                                .value("PartitionCmd", nlohmann::json::object())
                                                                .value("concurrent", false))
        return RUNNER_STMT_NO_TRANSACTION;
    }
    return 0;
  }
  // SET (not LOCAL) and RESET change the session: set again when a migration resumes part-way.
  if (type == "VariableSetStmt") return body.value("is_local", false) ? 0u : static_cast<unsigned>(RUNNER_STMT_SESSION);
  if (type == "VacuumStmt")
    return body.value("is_vacuumcmd", false) ? static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION) : 0u;
  if (type == "CreatedbStmt" || type == "DropdbStmt" || type == "AlterSystemStmt" || type == "CreateTableSpaceStmt" ||
      type == "DropTableSpaceStmt")
    return RUNNER_STMT_NO_TRANSACTION;
  return 0;
}

// The run lock is a session advisory lock. A statement that drops every lock of the session
// would let a second runner in half-way through this one: refused before anything runs. (One
// that unlocks the runner's key by hand is caught before the next history write.)
// The words a statement starts with, up to `count` of them, upper-cased.
std::vector<std::string> leading_keywords(std::string_view statement, std::size_t count) {
  std::vector<std::string> words;
  for (std::size_t at = sdk::skip_blank(statement, 0, true); words.size() < count;) {
    std::string word = sdk::keyword_at(statement, at);
    if (word.empty()) break;
    at = sdk::skip_blank(statement, at + word.size(), true);
    words.push_back(std::move(word));
  }
  return words;
}

// A function or procedure body runs when it is called, not now; a comment is only text.
bool defines_code_or_comment(const std::vector<std::string>& words) {
  if (!words.empty() && words[0] == "COMMENT") return true;
  if (words.empty() || words[0] != "CREATE") return false;
  for (std::size_t i = 1; i < words.size(); ++i)
    if (words[i] == "FUNCTION" || words[i] == "PROCEDURE") return true;
  return false;
}

void refuse_lock_release(std::string_view statement, std::uint32_t line) {
  // Words are read only for the rare statement that may be refused: this runs on every statement
  // of a data file.
  const char* why = nullptr;
  if (sdk::keyword_at(statement, sdk::skip_blank(statement, 0, true)) == "DISCARD") {
    const std::vector<std::string> words = leading_keywords(statement, 2);
    if (words.size() == 2 && words[1] == "ALL") why = "DISCARD ALL";
  } else if (sdk::find_ignoring_case(statement, "pg_advisory_unlock_all", true) != std::string_view::npos &&
             !defines_code_or_comment(leading_keywords(statement, 4))) {
    why = "pg_advisory_unlock_all()";
  }
  if (why == nullptr) return;
  throw sdk::Failure(RUNNER_ERR_USAGE, line,
                     std::string(why) +
                         " would release the runner's run lock (a session advisory lock) while the run goes on, "
                         "letting another runner in: remove it (DISCARD PLANS, DISCARD TEMP or "
                         "DISCARD SEQUENCES keep the lock)");
}

// COPY ... FROM STDIN / TO STDOUT moves rows through the client, which runner is not; COPY with a
// file or a program runs on the server and is fine.
void refuse_copy_through_client(std::string_view statement, std::uint32_t line) {
  if (sdk::keyword_at(statement, sdk::skip_blank(statement, 0, true)) != "COPY") return;
  std::string text(statement);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  bool through_client = false;
  if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
    nlohmann::json tree = nlohmann::json::parse(parsed.parse_tree, nullptr, false);
    if (tree.is_object() && tree.contains("stmts"))
      for (const auto& s : tree["stmts"]) {
        const auto& copy = s.value("stmt", nlohmann::json::object()).value("CopyStmt", nlohmann::json());
        if (copy.is_object() && !copy.contains("filename") && !copy.value("is_program", false)) through_client = true;
      }
  }
  pg_query_free_parse_result(parsed);
  if (through_client)
    throw sdk::Failure(RUNNER_ERR_USAGE, line,
                       "COPY ... FROM STDIN / TO STDOUT moves rows through the client, which runner does not do: "
                       "load the rows with INSERT, or COPY from a file on the database server");
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

// Appends the statements of one split result, found in text starting at `base`; `count` of them.
void take(const PgQuerySplitResult& r, int count, std::size_t base, std::size_t text_size, std::vector<Piece>& pieces) {
  for (int i = 0; i < count; ++i) {
    auto offset = static_cast<std::size_t>(r.stmts[i]->stmt_location);
    auto length = static_cast<std::size_t>(r.stmts[i]->stmt_len);
    if (length == 0) length = text_size - std::min(offset, text_size);  // 0 means "to the end"
    pieces.push_back({base + offset, length});
  }
}

[[noreturn]] void scan_failed(std::string_view sql, std::size_t base, std::string_view chunk, const PgQueryError& e) {
  // The scanner reports unterminated strings, bodies and comments at their start.
  const std::size_t pos = base + sdk::byte_of_character(chunk, static_cast<std::size_t>(e.cursorpos));
  throw sdk::Failure(RUNNER_ERR_SYNTAX, sdk::line_at(sql, pos), e.message != nullptr ? e.message : "syntax error");
}

// True when the text holds BEGIN ATOMIC (a SQL-standard function body, which only the parser can
// tell from a transaction's BEGIN).
bool has_begin_atomic(std::string_view sql) {
  for (std::size_t from = 0;;) {
    const std::size_t at = sdk::find_ignoring_case(sql.substr(from), "atomic", true);
    if (at == std::string_view::npos) return false;
    std::size_t end = from + at;
    while (end > 0 && (sql[end - 1] == ' ' || sql[end - 1] == '\t' || sql[end - 1] == '\n' || sql[end - 1] == '\r'))
      --end;
    if (end >= 5 && sdk::find_ignoring_case(sql.substr(end - 5, 5), "begin") == 0 &&
        (end == 5 || sdk::keyword_at(sql, end - 6).empty()))
      return true;
    from += at + 6;
  }
}

}  // namespace

// The scanner keeps every token of its input until it returns (5 times the input), which a 20 MB
// data file would pay in full. A window starts at a statement; its last statement may be cut and
// is scanned again as the start of the next one. A window that ends inside a string or comment is
// cut before it (the scanner names where it starts), or grown when nothing is whole before it.
std::vector<Piece> scan_pieces(std::string_view sql) {
  constexpr std::size_t k_window = std::size_t{1} << 20;
  std::vector<Piece> pieces;
  std::string chunk;
  std::size_t start = 0;
  std::size_t span = k_window;
  std::size_t end = std::min(sql.size(), start + span);
  while (start < sql.size()) {
    chunk.assign(sql.substr(start, end - start));  // NUL-terminated for libpg_query
    PgQuerySplitResult r = pg_query_split_with_scanner(chunk.c_str());
    const bool last = end == sql.size();
    if (r.error != nullptr) {
      if (last) {
        PgQueryError e = *r.error;
        std::string message = e.message != nullptr ? e.message : "syntax error";
        e.message = const_cast<char*>(message.c_str());
        pg_query_free_split_result(r);
        scan_failed(sql, start, chunk, e);
      }
      const std::size_t at = sdk::byte_of_character(chunk, static_cast<std::size_t>(r.error->cursorpos));
      pg_query_free_split_result(r);
      if (at > 0 && start + at < end) {
        end = start + at;
      } else {
        span *= 2;
        end = std::min(sql.size(), start + span);
      }
      continue;
    }
    const int whole = last ? r.n_stmts : r.n_stmts - 1;
    if (whole <= 0 && !last) {
      pg_query_free_split_result(r);
      span *= 2;
      end = std::min(sql.size(), start + span);
      continue;
    }
    take(r, whole, start, chunk.size(), pieces);
    const std::size_t next = last ? sql.size() : start + static_cast<std::size_t>(r.stmts[whole]->stmt_location);
    pg_query_free_split_result(r);
    start = next;
    span = k_window;
    end = std::min(sql.size(), start + span);
  }
  return pieces;
}

void split(std::string_view sql, const sdk::Sink& out) {
  // The parser knows statement bodies the scanner does not (CREATE FUNCTION ... BEGIN ATOMIC ...
  // END). It rejects a file with any syntax error, and then the scanner splits it: the server
  // reports such a statement's error itself when it runs. The parser holds the whole file's tree
  // in memory (10 times a data file's size), so only files that may hold such a body get it.
  std::vector<Piece> pieces;
  bool parsed = false;
  if (has_begin_atomic(sql)) {
    std::string text(sql);
    PgQuerySplitResult result = pg_query_split_with_parser(text.c_str());
    parsed = result.error == nullptr;
    if (parsed) take(result, result.n_stmts, 0, text.size(), pieces);
    pg_query_free_split_result(result);
  }
  if (!parsed) pieces = scan_pieces(sql);

  // The scanner split leaves out a segment whose first token is not a keyword ("SELCT 1;"). Any
  // text between the pieces other than blanks, comments and ';' is such a segment: it is sent as
  // it stands, so that the server reports it instead of the runner skipping it.
  sdk::LineCounter lines(sql);
  auto emit = [&](std::size_t offset, std::size_t length, bool gap) {
    std::string_view stmt = sql.substr(offset, length);
    std::size_t first = sdk::skip_blank(stmt, 0, true);
    while (gap && first < stmt.size() && stmt[first] == ';') first = sdk::skip_blank(stmt, first + 1, true);
    if (first >= stmt.size()) return;  // only comments
    std::string_view body = sdk::trim_space(stmt.substr(first));
    if (gap)
      while (!body.empty() && (body.back() == ';' || body.back() == ' ' || body.back() == '\n')) body.remove_suffix(1);
    const std::uint32_t line = lines.at(offset + first);
    refuse_lock_release(body, line);
    sdk::refuse_client_commands(body, line);
    refuse_copy_through_client(body, line);
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
