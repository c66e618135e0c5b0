// SPDX-License-Identifier: MIT
// PostgreSQL's DDL on MySQL, where MySQL has a direct equivalent: enum types become the columns'
// ENUM(...) (the labels kept in runner_enums), TIMESTAMPTZ and TIMESTAMP DATETIME(6), serial and
// identity AUTO_INCREMENT, unnamed constraints PostgreSQL's default names, ALTER COLUMN ... SET/DROP
// NOT NULL and TYPE a MODIFY COLUMN restating the column, DROP INDEX name the table's index.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <cstdint>
#include <string_view>

namespace runner::mysql {

// The flags split() gives a statement written in PostgreSQL's DDL that the dialect translates
// (RUNNER_STMT_TRANSLATE | RUNNER_STMT_READS_SCHEMA), 0 for one that runs as written. Throws
// sdk::Failure naming the line for PostgreSQL's DDL MySQL has no equivalent for.
std::uint32_t plan_translation(std::string_view statement, std::uint32_t line);

// The statements that run in place of `sql` (flagged by plan_translation). db: the database as the
// statement will find it; null offline, where a statement needing the catalog is refused.
void translate(std::string_view sql, std::uint32_t line, const runner_query* db, const sdk::Sink& out);

}  // namespace runner::mysql
