// SPDX-License-Identifier: MIT
// Everything a command needs to know from the command line, the environment and runner.ini,
// resolved once. Nothing else in the runner reads getenv.
#pragma once

#include "runner/base/log.hpp"
#include "runner/fleet/inventory.hpp"
#include "runner/fleet/shard.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace runner::cli {

struct Settings {
  std::string command;
  std::vector<std::string> args;  // the command's positional arguments

  std::optional<std::string> database_url;
  std::string database_origin;    // "--database", "RUNNER_DATABASE_URL", "DATABASE_URL", "runner.ini"
  std::string database_base_dir;  // relative paths in the URL: the config file's folder, "" = cwd
  std::filesystem::path sql_dir = "sql";
  std::string dialect;  // --dialect or dialect= (else from the URL)
  std::vector<std::string> plugin_dirs;
  std::string plugin_env;  // RUNNER_PLUGIN_PATH
  std::uint32_t lock_timeout_s = 60;
  std::uint32_t lock_wait_ms = 0;          // --lock-wait (0: off)
  unsigned lock_retries = 3;               // --lock-retries
  std::uint32_t statement_timeout_ms = 0;  // --statement-timeout (0: off)
  std::optional<std::filesystem::path> config_file;

  // --all-projects
  bool all_projects = false;
  std::string projects_glob = "data/project_*.db";  // file projects (SQLite); relative to the config when from it
  std::string schema_pattern = "project_*";         // schema projects (PostgreSQL)
  unsigned jobs = 0;                                // 0: one per core
  bool fail_fast = false;
  // Fleets (docs/fleet.md): --databases FILE (databases= in the config), read; --jobs-per-server;
  // --canary N or names; --max-failures (--fail-fast: 1); --shard K/N.
  std::optional<Inventory> inventory;
  unsigned jobs_per_server = 0;  // 0: the default (4 with an inventory, else no cap)
  std::size_t canary_count = 0;
  std::vector<std::string> canary_projects;
  std::size_t max_failures = 0;  // 0: no limit
  std::optional<Shard> shard;

  bool json = false;
  Verbosity verbosity = Verbosity::normal;
  bool help = false;
  bool version = false;
  bool man = false;  // --man: the manual page

  // Command options.
  bool dry_run = false;
  bool sql = false;                   // --sql: print the script instead of running it
  std::optional<std::string> output;  // -o FILE (or DIR for SQLite projects)
  std::optional<std::string> schema;  // --schema S for --sql on PostgreSQL
  // Placeholder values: --set NAME=VALUE over RUNNER_PLACEHOLDER_NAME over [placeholders] in the config.
  std::map<std::string, std::string> placeholders;
  bool allow_changed = false;
  bool out_of_order = false;
  std::optional<std::string> message;  // -m (revision)
  // import and adopt: --from, --alembic, --alembic-config by name; --url-env; --drop-source.
  std::map<std::string, std::string> import_options;
  std::vector<std::string> url_variables;
  bool drop_source = false;
  // --backup[=DIR] (backup = DIR in the config; "" for the default folder) and --keep N.
  std::optional<std::string> backup;
  unsigned backup_keep = 0;
  // --lint (lint = true in the config): upgrade lints its pending migrations first.
  bool lint = false;
  // --atomic (atomic = true in the config): upgrade runs a database's pending migrations in one transaction.
  bool atomic = false;
  // --dump-schema FILE (dump-schema = in the config, relative to it): upgrade and downgrade write
  // the schema there after a run that succeeded.
  std::optional<std::string> dump_schema;
  bool dump_schema_from_config = false;
  bool from_db = false;  // --from-db (diff, new --to)
  // --wait-replicas[=SECONDS]: after a run, wait for the replicas of each server written to.
  std::optional<std::chrono::milliseconds> wait_replicas;
  std::string shadow_url;                   // --shadow-url (shadow-url = in the config): where shadows are built
  std::optional<std::uint64_t> to_version;  // restore --all-projects --to-version V
  // repair: --mark-applied or --forget, and --yes to record it.
  bool mark_applied = false;
  bool forget = false;
  bool yes = false;

  std::vector<std::string> given_command_options;  // for checking they fit the command
};

// Parses argv, then fills what the command line left open from the environment and the config
// file. Throws UsageError with the option or file at fault.
Settings resolve_settings(int argc, const char* const* argv);

// The option list for --help.
std::string global_options_help();
// The global options' switches ("--database", "-d", ...), for shell completion.
std::vector<std::string> global_option_switches();
// Global options that take a value, by long name ("database", "sql-dir", ...).
std::vector<std::string> global_options_with_values();
std::string command_options_help(const std::vector<std::string>& names);

}  // namespace runner::cli
