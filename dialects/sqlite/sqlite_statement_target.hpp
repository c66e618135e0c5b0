// SPDX-License-Identifier: MIT
// What one statement does to which table, read with SQLite's grammar for the statement's head:
// runner_dialect.statement_target, for import's removal of another tool's bookkeeping.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string_view>

namespace runner::sqlite {

// Emits the fields kind, table and schema for `sql` (one statement, as split() gave it).
void describe_statement_target(std::string_view sql, const sdk::Sink& out);

}  // namespace runner::sqlite
