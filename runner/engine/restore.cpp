// SPDX-License-Identifier: MIT
#include "runner/engine/restore.hpp"

#include "runner/base/errors.hpp"
#include "runner/db/history_store.hpp"
#include "runner/engine/database.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace runner {
namespace fs = std::filesystem;

namespace {

// The backup's own history, read as any database's: a file that is not a database runner keeps
// is refused by name.
History read_backup(const Dialect& dialect, const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw UsageError(fmt::format("restore: {} is not a file", file));
  if (!dialect.restores())
    throw UsageError(
        fmt::format("restore: the {} dialect cannot put a backup back itself; restore a pg_dump "
                    "archive with pg_restore --clean --if-exists --single-transaction --dbname=DB {}",
                    dialect.name(), file));
  DatabaseInfo backup;
  try {
    backup = dialect.describe_database(dialect.name() + ":" + fs::absolute(file).string(), 0);
    Database db(dialect, backup, AccessMode::read, std::chrono::seconds(0));
    const History h = db.load_history();
    if (!db.history().tables().history)
      throw UsageError(fmt::format("restore: {} holds no runner_history: it is not a backup runner made", file));
    return h;
  } catch (const UsageError&) {
    throw;
  } catch (const SafetyError&) {
    throw;
  } catch (const Error& e) {
    throw UsageError(
        fmt::format("restore: {} is not a {} database runner recognises: {}", file, dialect.name(), e.what()));
  }
}

}  // namespace

Outcome restore_database(const Dialect& dialect, const DatabaseInfo& target, const std::string& file,
                         const RunOptions& options) {
  const History from_backup = read_backup(dialect, file);
  Outcome outcome;
  Database db(dialect, target, options.dry_run ? AccessMode::read : AccessMode::create, options.lock_timeout,
              options.cancel);
  outcome.display = db.info().display;
  outcome.before = db.load_history();
  outcome.after = from_backup;
  if (options.dry_run) return outcome;
  dialect.restore(db.info(), fs::absolute(file).string());
  outcome.after = db.load_history();
  return outcome;
}

}  // namespace runner
