// SPDX-License-Identifier: MIT
// runner's own command line as a client of runner::Migrator: it resolves the dialect (--dialect,
// the URL), the database (runner.ini's folder, the environment) and the migration files itself,
// once per command, and runs the command through the same Migrator an application uses, so that
// the two cannot behave differently. Not installed.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/migrator.hpp"

#include <functional>

namespace runner {

class Cancellation;
class ConnectionPool;
struct LintRun;
struct MigrationTestResult;
struct SchemaDifference;

struct MigratorAccess {
  // `files()` gives the migration files (read once by the caller, on the first call; what it gives
  // outlives the Migrator); upgrade and downgrade call it while the database opens. The process's
  // own logger is kept: on_log is not needed.
  // `cancel`: the command's own, which its signal watcher requests (null: the Migrator's).
  // `overlap`: open the database on another thread while files() runs (worth it only when files()
  // reads the folder; --all-projects reads it once, before its workers start).
  // `connections`: a fleet run's, shared by its projects (null: the Migrator opens its own).
  static Migrator open(const Dialect& dialect, const DatabaseInfo& target, std::function<const MigrationSet&()> files,
                       MigratorOptions options, bool overlap = true, Cancellation* cancel = nullptr,
                       ConnectionPool* connections = nullptr);
  // What lint() reports, for findings the command line read without a database (no Migrator).
  static LintReport lint_report(const LintRun& run);
  // What test() reports, for a test the command line ran without a database (no Migrator).
  static MigrationTestReport test_report(const MigrationTestResult& result);
  // A difference drift(), test() or diff found, as the API reports it.
  static SchemaDifferenceInfo difference_info(const SchemaDifference& difference);
  // Where `history` leaves a database, labelled as `files` write versions (as RunReport's are).
  static Position position(const History& history, const MigrationSet& files);
};

}  // namespace runner
