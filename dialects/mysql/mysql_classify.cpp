// SPDX-License-Identifier: MIT
#include "mysql_classify.hpp"

#include "mysql_lex.hpp"
#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"

#include <string>
#include <vector>

namespace runner::mysql {

namespace {

[[noreturn]] void refuse_postgresql(const std::string& construct, const std::string& instead, std::uint32_t line) {
  throw sdk::Failure(RUNNER_ERR_USAGE, line,
                     construct + " is PostgreSQL's, and the mysql dialect does not translate it: " + instead +
                         ", in a variant of this migration for MySQL (NNNN_name.up.mysql.sql beside it, which the "
                         "mysql dialect runs instead of the plain file)");
}

// PostgreSQL's DDL that MySQL would refuse half-way through a run (or read otherwise), refused when
// the run is planned instead, naming what to write.
}  // namespace

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
