// SPDX-License-Identifier: MIT
// Reads a connected database's schema through its dialect (describe_schema), in a transaction
// rolled back afterwards: a consistent picture, and nothing the dialect set for it outlives it.
#pragma once

#include "runner/schema/schema_model.hpp"

#include <string>

namespace runner {

class Connection;
class Dialect;

// schema: "" for the database's default. Throws UsageError (no such schema), DialectError, and
// DatabaseError when the transaction cannot be opened.
Schema read_schema(const Dialect& dialect, Connection& connection, const std::string& schema);

}  // namespace runner
