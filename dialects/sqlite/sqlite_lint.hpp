// SPDX-License-Identifier: MIT
// The sqlite dialect's lint rules. SQLite has no lock waits or concurrent index builds to judge;
// what hurts there is a table rebuild, which the translation plan makes for each ALTER TABLE that
// SQLite cannot do in place (and for each enum change, in every table using the type): every row
// copied inside the migration's transaction, while writers wait on the whole database. Those are
// found exactly as the plan decides them, with the table's row count when a database is given;
// the rules PostgreSQL shares (destructive statements, renames) apply as they are.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"

#include <cstdint>
#include <string_view>

namespace runner::sqlite {

// The findings of one whole migration file through out (diagnostics, each followed by its fields).
void lint(std::string_view sql, std::uint32_t options, const runner_query* db, const sdk::Sink& out);

}  // namespace runner::sqlite
