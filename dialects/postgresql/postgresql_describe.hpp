// SPDX-License-Identifier: MIT
// The schema of one PostgreSQL schema, read from the catalog into the records of the ABI's
// describe_schema: what drift compares and dump writes out. Every definition is the server's own
// deparsed text (format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef, ...), read with
// search_path set to the schema alone, so that its own objects come out unqualified.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"

#include <string>

namespace runner::postgresql {

// schema: "" for the connection's current schema. Throws sdk::Failure(RUNNER_ERR_USAGE) when the
// schema does not exist or the catalog cannot be read.
void describe_schema(const std::string& schema, const runner_query* db, const sdk::Sink& out);

}  // namespace runner::postgresql
