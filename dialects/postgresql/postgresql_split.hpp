// SPDX-License-Identifier: MIT
// Statement splitting for PostgreSQL with PostgreSQL's own scanner (libpg_query).
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace runner::postgresql {

// Where one statement stands in a file (its ';' not included).
struct Piece {
  std::size_t offset, length;
};

// The statements PostgreSQL's scanner finds in `sql`, read a window of about 1 MB at a time so
// that memory stays a fraction of a large file's size. Segments the scanner skips (a statement
// whose first word is no keyword) fall between pieces. Throws sdk::Failure(RUNNER_ERR_SYNTAX)
// naming the line of an unterminated string, body or comment.
std::vector<Piece> scan_pieces(std::string_view sql);

// Emits each statement of `sql` verbatim (without its ';') with its flags.
// Throws sdk::Failure(RUNNER_ERR_SYNTAX) naming the line when the scanner rejects the text
// (an unterminated string, dollar-quoted body or comment).
void split(std::string_view sql, const sdk::Sink& out);

// RUNNER_STMT_* flags of one statement, decided by PostgreSQL's parser: transaction control, and
// what the server refuses inside a transaction block (CONCURRENTLY, VACUUM, CREATE DATABASE, ...).
unsigned classify(std::string_view statement);

}  // namespace runner::postgresql
