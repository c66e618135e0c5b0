// SPDX-License-Identifier: MIT
// Backups of a PostgreSQL schema with pg_dump's custom format, the password kept off its command line.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string>

namespace runner::postgresql {

// `connect`: the libpq connection string describe_database wrote. Throws sdk::Failure (usage: no
// pg_dump, or it failed, with what it said).
void backup(const std::string& connect, const std::string& schema, const std::string& dest, const sdk::Sink& out);

}  // namespace runner::postgresql
