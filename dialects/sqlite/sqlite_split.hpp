// SPDX-License-Identifier: MIT
// Statement splitting for SQLite, decided by SQLite's own sqlite3_complete().
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string_view>

namespace runner::sqlite {

// Emits each statement of `sql` (verbatim, with its terminating ';') and its flags.
// Throws sdk::Failure(RUNNER_ERR_SYNTAX) when the text ends inside a string, comment or trigger.
// plan: each statement is planned for translation from the portable PostgreSQL DDL (false: the
// file is SQLite's own SQL, -- runner:as-written, and nothing is translated or refused for it).
void split(std::string_view sql, const sdk::Sink& out, bool plan = true);

// RUNNER_STMT_* flags of one statement: transaction control, and what SQLite refuses or silently
// ignores inside a transaction (VACUUM, PRAGMA foreign_keys / journal_mode).
unsigned classify(std::string_view statement);

}  // namespace runner::sqlite
