// SPDX-License-Identifier: MIT
// Statement splitting for PostgreSQL with PostgreSQL's own scanner (libpg_query).
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string_view>

namespace runner::postgresql {

// Emits each statement of `sql` verbatim (without its ';') with its flags.
// Throws sdk::Failure(RUNNER_ERR_SYNTAX) naming the line when the scanner rejects the text
// (an unterminated string, dollar-quoted body or comment).
void split(std::string_view sql, const sdk::Sink& out);

// RUNNER_STMT_* flags of one statement, decided by PostgreSQL's parser: transaction control, and
// what the server refuses inside a transaction block (CONCURRENTLY, VACUUM, CREATE DATABASE, ...).
unsigned classify(std::string_view statement);

}  // namespace runner::postgresql
