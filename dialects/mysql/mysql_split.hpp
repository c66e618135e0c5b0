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

}  // namespace runner::mysql
