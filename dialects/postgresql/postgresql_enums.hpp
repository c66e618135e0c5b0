// SPDX-License-Identifier: MIT
// PostgreSQL's enum traps, handled before they bite: ALTER TYPE ... DROP VALUE (which PostgreSQL
// lacks) emulated by swapping in a new type, and ALTER TYPE ... ADD VALUE checked at plan time
// against the server's rules for transactions.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"
#include "plugins/sdk/pg_scan.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace runner::postgresql {

// One DO block doing DROP VALUE: it refuses (naming table, column and row count) while rows hold
// the label, else creates the type without it, converts every column USING the text, drops the
// old type and gives the new one its name, keeping column defaults.
std::string drop_enum_value_sql(const sdk::DropEnumValue& statement);

// Plan-time rules for ADD VALUE in a migration file: before PostgreSQL 12 it cannot run inside a
// transaction block; from 12 on, the new label cannot be used in the transaction that added it.
// db: the server (for its version), or null (offline: the newer rules). Each finding goes to out
// as an error diagnostic.
void review_enum_changes(std::string_view sql, std::uint32_t options, const runner_query* db, const sdk::Sink& out);

}  // namespace runner::postgresql
