// SPDX-License-Identifier: MIT
// runner drift: does the live schema still match what its applied migrations build? The
// migrations its history lists are replayed into a shadow (runner/engine/shadow.hpp) and the two
// schemas compared. Reads the live database only: no lock, nothing created or changed there (an
// in-place shadow is a schema of its own beside it, removed afterwards).
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/schema/schema_compare.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace runner {

class Cancellation;

struct SchemaDriftOptions {
  std::string shadow_url;            // --shadow-url: a scratch database on that server ("": the dialect's default)
  std::vector<std::string> schemas;  // the schemas compared (empty: the one runner_history is in)
  Placeholders placeholders;
  std::chrono::seconds lock_timeout{60};
  Cancellation* cancel = nullptr;
};

struct SchemaDriftResult {
  std::string database;  // as shown in messages
  std::string position;  // the applied head, "0012_artifacts_sha256_required" or "base"
  std::size_t replayed = 0;
  std::size_t pending = 0;                    // migrations of the folder not applied (not replayed)
  std::string shadow;                         // where the shadow was built; "" when it came from an earlier project's
  std::vector<SchemaDifference> differences;  // expected: the files' schema; found: the live one
  std::vector<std::string> notes;             // files changed since applied, migrations stopped part-way
};

// Throws UsageError when the database does not exist or an applied migration has no file,
// PlanError when a migration cannot be replayed in an in-place shadow, MigrationError when one
// fails in the shadow (or `cancel` stops it).
SchemaDriftResult check_schema_drift(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                                     const SchemaDriftOptions& options);

}  // namespace runner
