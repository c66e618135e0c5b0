// SPDX-License-Identifier: MIT
// The sqlite dialect's reading of PostgreSQL DDL: which statements it must translate (decided at
// plan time, before anything runs), and what each becomes against the live database.
// Statements PostgreSQL's grammar does not accept are SQLite's own and run as written.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"

#include <cstdint>
#include <string_view>

namespace runner::sqlite {

// RUNNER_STMT_TRANSLATE when the statement needs translating, else 0. Throws
// sdk::Failure(RUNNER_ERR_USAGE, line) naming the construct when SQLite has no equivalent.
unsigned plan_statement(std::string_view statement, std::uint32_t line);

// The statements that run in place of `statement`, through `out`. Throws sdk::Failure.
void translate(std::string_view statement, std::uint32_t line, const runner_query* db, const sdk::Sink& out);

}  // namespace runner::sqlite
