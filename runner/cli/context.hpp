// SPDX-License-Identifier: MIT
// What a command works with, made on first use: the dialect, the database target, the
// migrations on disk, an open database.
#pragma once

#include "plugins/loader/dialect_loader.hpp"
#include "runner/base/cancellation.hpp"
#include "runner/cli/settings.hpp"
#include "runner/core/migration.hpp"

#include <memory>
#include <optional>
#include <string>

namespace runner {
class ConnectionPool;
}

namespace runner::cli {

class Context {
 public:
  explicit Context(Settings settings);
  ~Context();

  const Settings& settings() const { return settings_; }
  bool has_database() const { return settings_.database_url.has_value(); }

  // The dialect from --dialect, else from the URL's scheme. Throws UsageError when neither says.
  const Dialect& dialect();
  // Throws UsageError when no database is configured.
  const DatabaseInfo& database();
  // Scanned for the dialect, with checksums. Throws SourceError for an invalid set.
  MigrationSet& migrations();

  DialectLoader& loader() { return loader_; }
  // The connections projects of an --all-projects run hand on to each other (connection_pool.hpp).
  ConnectionPool& connections();
  // Requested by the signal watcher: every run of this command stops at its next safe point.
  Cancellation& cancellation() { return cancellation_; }

 private:
  Settings settings_;
  DialectLoader loader_;
  const Dialect* dialect_ = nullptr;
  std::optional<DatabaseInfo> database_;
  std::optional<MigrationSet> migrations_;
  std::unique_ptr<ConnectionPool> connections_;  // shared by the projects' threads
  Cancellation cancellation_;
};

}  // namespace runner::cli
