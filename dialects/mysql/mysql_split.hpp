// SPDX-License-Identifier: MIT
// Splitting a migration file into statements with the mysql client's rules: '...' and "..." strings
// with backslash escapes, `identifiers`, #, -- and /* */ comments, /*! */ executable comments (code
// to the server), DELIMITER lines (honoured and removed, as the mysql client does), and the
// BEGIN ... END bodies of procedures, functions, triggers and events written without DELIMITER
// (a ';' inside a compound statement does not end it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace runner::mysql {

struct Statement {
  std::string_view sql;  // verbatim, without its delimiter
  std::uint32_t line = 0;
  std::uint32_t flags = 0;  // RUNNER_STMT_*
};

// Throws sdk::Failure (RUNNER_ERR_SYNTAX, naming the line) for an unterminated string, identifier or
// comment, a DELIMITER line without a delimiter, and a compound statement whose BEGIN (or IF, CASE,
// LOOP, WHILE, REPEAT) has no END; RUNNER_ERR_USAGE for a mysql client command (source, \.).
// plan: the file is in PostgreSQL's portable DDL (not -- runner:as-written): statements the dialect
// translates are flagged RUNNER_STMT_TRANSLATE, and PostgreSQL's DDL MySQL has no equivalent for is
// refused, naming the line.
std::vector<Statement> split(std::string_view text, bool plan = true);

// What a statement does to the transaction: RUNNER_STMT_TX_* for transaction control, and
// RUNNER_STMT_IMPLICIT_COMMIT for a statement MySQL commits around (DDL, LOCK TABLES, GRANT, and
// CALL and EXECUTE, which may run DDL runner cannot see).
std::uint32_t classify(std::string_view statement);

// Refuses (sdk::Failure naming the line) what would stop runner recording a migration as it runs:
// LOCK TABLES (no other table may be used while tables are locked) and SET autocommit.
void refuse_unrecordable(std::string_view statement, std::uint32_t line);

// The first `count` words of a statement, upper-cased, with comments skipped and the markers of
// executable comments (/*!50003 ... */) left out, so that their code counts.
std::vector<std::string> leading_words(std::string_view statement, std::size_t count);

}  // namespace runner::mysql
