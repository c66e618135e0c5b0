// SPDX-License-Identifier: MIT
// The schema of a SQLite database, read from sqlite_schema, its PRAGMAs and the enum catalog into
// the records of the ABI's describe_schema: what drift compares and dump writes out. SQLite keeps
// each object's CREATE statement as written: that text is the object's definition, and its dump.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"

namespace runner::sqlite {

void describe_schema(const runner_query* db, const sdk::Sink& out);

}  // namespace runner::sqlite
