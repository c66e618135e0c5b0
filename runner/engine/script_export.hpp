// SPDX-License-Identifier: MIT
// The --sql script, planned: what range it covers, where it starts (a given FROM, or a database's
// history read without the lock), and its text. The CLI writes it to a file or standard output;
// the library (runner::Migrator::sql_script) returns it as a string: the same text either way.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/core/target.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace runner {

class Database;

// [FROM:]TO. FROM is base, head or a version (empty: the database's current version).
struct ScriptRange {
  std::optional<History> from;
  Target to;
};

// "" means head for an upgrade and is refused for a downgrade (which needs FROM:TO).
ScriptRange parse_script_range(const std::string& text, Direction direction, const MigrationSet& files);

struct ScriptOptions {
  bool out_of_order = false;
  bool allow_changed = false;  // warn instead of refusing when a database's applied files changed
  std::chrono::seconds lock_timeout{60};
  Placeholders placeholders;   // the user's values; runner.schema is set per script
  bool atomic = false;         // upgrade --atomic: each database's section is one transaction
  std::string scratch_server;  // --shadow-url: where translations replay earlier migrations (no in-memory scratch)
};

// The comment block a script opens with: who wrote it, when, and how to run it (`atomic`: each
// database's migrations commit together).
std::string script_header(const Dialect& dialect, bool atomic = false);

// The database opened to read FROM, kept open while its script is translated.
std::unique_ptr<Database> open_for_script(const Dialect& dialect, const DatabaseInfo& target,
                                          const ScriptOptions& options);

// A database's history, read without the lock; refused like an online run when applied files changed.
History script_start(Database& db, const MigrationSet& files, const ScriptOptions& options);

// One database's section, from `from` to `to`. `schema` is the one the script targets ("" = the
// connection's default); `live`, when given, is the database FROM was read from, whose own
// schema the statements are translated against.
std::string script_section(const Dialect& dialect, Direction direction, const MigrationSet& files, const History& from,
                           const Target& to, const std::string& schema, const std::string& title, Database* live,
                           const ScriptOptions& options);

// A whole script for one database: header and section. Without a FROM the history is read from
// `target` (null: base, for an upgrade; refused for a downgrade).
std::string database_script(const Dialect& dialect, const MigrationSet& files, Direction direction,
                            const ScriptRange& range, const DatabaseInfo* target, const std::string& schema,
                            const ScriptOptions& options);

}  // namespace runner
