// SPDX-License-Identifier: MIT
// Statement splitting for SQLite, decided by SQLite's own sqlite3_complete().
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string_view>

namespace runner::sqlite {

// Emits each statement of `sql` (verbatim, with its terminating ';') and its flags.
// Throws sdk::Failure(RUNNER_ERR_SYNTAX) when the text ends inside a string, comment or trigger.
void split(std::string_view sql, const sdk::Sink& out);

// RUNNER_STMT_* flags of one statement: transaction control, and what SQLite refuses or silently
// ignores inside a transaction (VACUUM, PRAGMA foreign_keys / journal_mode).
unsigned classify(std::string_view statement);

}  // namespace runner::sqlite
