// SPDX-License-Identifier: MIT
// The PostgreSQL dialect's lint rules, read from libpg_query's parse tree: squawk's rule set under
// squawk's names (so that a DBA's habits carry over), judged with what runner knows and squawk does
// not: whether the file runs in the runner's transaction, whether --lock-wait bounds lock waits,
// and, with a database, each table's size, each column's current type and the checks already
// validated. A table created earlier in the same file is never a locking finding.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"

#include <cstdint>
#include <string_view>

namespace runner::postgresql {

// The findings of one whole migration file through out (diagnostics, each followed by its fields).
void lint(std::string_view sql, std::uint32_t options, const runner_query* db, const sdk::Sink& out);

}  // namespace runner::postgresql
