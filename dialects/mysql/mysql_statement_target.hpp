// SPDX-License-Identifier: MIT
// What one statement does to which table, read with MySQL's lexical rules, for `runner import`
// (which drops another tool's bookkeeping from its output).
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string_view>

namespace runner::mysql {

// Fields kind, table and schema as runner_dialect.statement_target describes them.
void describe_statement_target(std::string_view sql, const sdk::Sink& out);

}  // namespace runner::mysql
