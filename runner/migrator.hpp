// SPDX-License-Identifier: MIT
// runner as a library: a Migrator opened on a database URL and a folder of migrations tells where
// the database stands and brings it up, down, or to a recorded position, exactly as the runner
// command does. Plain structs in and out; no SOCI, Boost or spdlog header. Errors are runner::Error
// (runner/base/errors.hpp): exit_code() is 1 for a database or migration error, 2 for bad usage or
// invalid files, 3 when refused for safety; file() and line() name what to look at.
#pragma once

#include "runner/base/errors.hpp"
#include "runner/embedded.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#if defined(RUNNER_BUILDING_LIBRARY)
#define RUNNER_API __attribute__((visibility("default")))
#else
#define RUNNER_API
#endif

namespace runner {

enum class LogLevel { debug, info, warning, error };

struct MigratorOptions {
  std::string url;                        // sqlite:PATH, sqlite::memory:, postgresql://...?schema=S
  std::filesystem::path sql_dir = "sql";  // NNNN_name.up.sql / .down.sql
  // Migrations compiled in (runner_embed_migrations): read from memory instead of sql_dir, and named
  // embedded:SQL_DIR/FILE in messages.
  const EmbeddedMigrations* embedded = nullptr;
  // Folders searched for dialect plugins before the library's own (lib/runner/dialects beside it).
  std::vector<std::string> plugin_dirs;
  std::chrono::seconds lock_timeout{60};            // waiting for another runner's run lock
  std::map<std::string, std::string> placeholders;  // for files that say -- runner:placeholders
  bool out_of_order = false;                        // upgrade: also apply pending migrations older than the current one
  bool allow_changed = false;                       // warn instead of refusing when an applied file changed
  // Receives runner's log lines (waiting for a lock, warnings); nothing is printed when empty.
  std::function<void(LogLevel, const std::string&)> on_log;
};

struct AppliedInfo {
  std::int64_t version = 0;
  std::string name;
  std::string applied_at;  // UTC, ISO 8601
  std::int64_t execution_ms = 0;
};

struct MigrationStatus {
  std::int64_t version = 0;
  std::string name;
  bool applied = false;
  std::string applied_at;  // "" when pending
  std::string file_state;  // "ok", "changed", "missing-file", or "" when pending
};

struct StepInfo {
  std::int64_t version = 0;
  std::string name;
  bool up = true;
  std::int64_t execution_us = 0;
};

struct RunReport {
  std::int64_t from = 0;        // the version before (0: base)
  std::int64_t to = 0;          // the version after
  std::vector<StepInfo> steps;  // what ran, in order (stamp: none)
};

class RUNNER_API Migrator {
 public:
  // Finds the dialect from the URL and reads the folder's names (nothing connects yet). Throws
  // runner::Error.
  explicit Migrator(MigratorOptions options);
  ~Migrator();
  Migrator(Migrator&&) noexcept;
  Migrator& operator=(Migrator&&) noexcept;

  // The newest applied version; 0 at base.
  std::int64_t current();
  std::vector<AppliedInfo> history();
  std::vector<MigrationStatus> status();
  // "head", a VERSION or "+N".
  RunReport upgrade(const std::string& target = "head");
  // "-N", a VERSION (ends with it applied) or "base".
  RunReport downgrade(const std::string& target);
  // Records the history as if at "head", a VERSION or "base", running no SQL.
  RunReport stamp(const std::string& target);
  // Reads, splits and checks every file, and that applied files are unchanged. Throws when not.
  void validate();
  // The script `runner upgrade --sql RANGE` (up) or `runner downgrade --sql RANGE` writes, as a
  // string, for a DBA to review and run: RANGE is [FROM:]TO, FROM base, head or a version (none:
  // the database's current version, read without the lock), TO as upgrade() or downgrade() take
  // it ("" for an upgrade: head). Changes nothing.
  std::string sql_script(const std::string& range, bool up = true);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
