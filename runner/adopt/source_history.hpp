// SPDX-License-Identifier: MIT
// Reading another tool's history table (alembic_version, schema_migrations, goose_db_version,
// gorp_migrations, flyway_schema_history) as the set of that tool's migrations a database holds.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace runner {

class Connection;

// What a database's history table says, in the keys `runner import` wrote into the files'
// -- runner:imported-from lines.
struct SourcePosition {
  std::set<std::string> applied;  // keys applied (Alembic: the heads; see expand_alembic)
  std::string found;              // for the user: "alembic_version: eee5", "schema_migrations: 42"
  std::string table;              // the table read, for --drop-source
};

// A key as the files and the table both write it: a version's leading zeros dropped.
std::string normal_key(const std::string& format, const std::string& key);

// Reads `format`'s table on `connection`. `keys`: every key the imported files carry, for the
// formats that record a position (golang-migrate's version covers every version up to it,
// Flyway's baseline too). Throws SafetyError (exit 3) when the table is missing, dirty, failed or
// names a migration the files do not carry, UsageError for an unknown format.
SourcePosition read_source_history(const std::string& format, Connection& connection,
                                   const std::set<std::string>& keys);

// The history table `format` keeps ("alembic_version", ...), and whether `connection` can read it.
// Throws UsageError for an unknown format.
std::string source_table(const std::string& format);
bool source_table_readable(const std::string& format, Connection& connection);

}  // namespace runner
