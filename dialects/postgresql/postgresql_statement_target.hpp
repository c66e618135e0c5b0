// SPDX-License-Identifier: MIT
// What one statement does to which table, read from PostgreSQL's own parse tree (libpg_query):
// runner_dialect.statement_target, for import's removal of another tool's bookkeeping.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string_view>

namespace runner::postgresql {

// Emits the fields kind, table and schema for `sql` (one statement); "other" when it does not parse.
void describe_statement_target(std::string_view sql, const sdk::Sink& out);

}  // namespace runner::postgresql
