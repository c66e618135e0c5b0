// SPDX-License-Identifier: MIT
// runner diff --to FILE and new NAME --to FILE: the schema the migration files build at head (or
// the live database's, --from-db) against the one FILE builds, each in a shadow; the statements
// taking the first to the second and back (runner/schema/change_writer); and a check of both on a
// shadow, so that what the generated SQL does not reach is said, never left to be found in
// production.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/schema/change_writer.hpp"
#include "runner/schema/schema_compare.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace runner {

class Cancellation;

struct SchemaDiffOptions {
  std::filesystem::path to;            // the desired schema, SQL (a dump, or written by hand)
  const DatabaseInfo* live = nullptr;  // the configured database: lends its server to shadow schemas
  bool from_db = false;                // start from the live database's schema instead of the files' head
  // with from_db: the database must have every migration applied (new --to writes the next one)
  bool require_head = false;
  std::string shadow_url;  // --shadow-url
  Placeholders placeholders;
  std::chrono::seconds lock_timeout{60};
  Cancellation* cancel = nullptr;
};

struct SchemaDiffResult {
  std::string from;                           // "the schema the migrations build at 0012_x", "the database sqlite:a.db"
  std::vector<SchemaDifference> differences;  // expected: FILE's schema; found: the starting one
  ChangeScript up, down;
  // What the generated statements did not reach, as a shadow showed: applying `up` to the starting
  // schema, then `down` (each expected to give the other side).
  std::vector<SchemaDifference> up_left, down_left;
  std::string check_error;  // a generated statement failed in the shadow: the database's message
};

// Throws UsageError (FILE missing, --from-db without a database), SourceError for a file that does
// not read, MigrationError when FILE or a migration fails in its shadow (naming file and line).
SchemaDiffResult diff_schemas(const Dialect& dialect, const MigrationSet& files, const SchemaDiffOptions& options);

}  // namespace runner
