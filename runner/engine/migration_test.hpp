// SPDX-License-Identifier: MIT
// runner test: does every down undo its up? Each migration in turn, on a shadow (never the live
// database): read the schema, apply up, read, apply down, compare with the schema before the up,
// apply up again, compare with the schema after the first up. The first migration whose down
// leaves something behind (or whose up does not build the same twice) stops the test, with the
// difference.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/schema/schema_compare.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace runner {

class Cancellation;

struct MigrationTestOptions {
  std::uint64_t from = 0;            // the first migration checked (earlier ones are applied unchecked); 0: the first
  std::uint64_t to = 0;              // the last one checked; 0: the newest
  std::string live_url;              // a database to build the shadow schema in ("": none, then shadow_url or memory)
  std::string live_display;          // as messages name it
  std::string shadow_url;            // --shadow-url
  std::vector<std::string> schemas;  // compared (empty: the one the migrations run in)
  Placeholders placeholders;
  std::chrono::seconds lock_timeout{60};
  Cancellation* cancel = nullptr;
  std::function<void(const std::string& label, const std::string& verdict)> on_checked;  // as each ends
};

struct MigrationTestFailure {
  std::uint64_t version = 0;
  std::string label;
  // "down": its down left the schema other than before its up; "up again": its up, run after its
  // down, built another schema than the first time.
  std::string phase;
  std::vector<SchemaDifference> differences;  // expected: before the up (down), after it (up again)
};

struct MigrationTestResult {
  std::string shadow;                          // where it ran
  std::size_t checked = 0;                     // migrations whose round trip was checked and held
  std::vector<std::string> irreversible;       // labels of migrations without a down file (skipped)
  std::vector<MigrationTestFailure> failures;  // the first one, when any
  double seconds = 0;
};

// Throws UsageError for --from/--to naming no migration, SourceError for a file that does not
// read, MigrationError when a statement fails in the shadow (the failure is the test's finding:
// its message names the file and line).
MigrationTestResult test_migrations(const Dialect& dialect, const MigrationSet& files,
                                    const MigrationTestOptions& options);

}  // namespace runner
