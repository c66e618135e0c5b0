// SPDX-License-Identifier: MIT
#include "runner/cli/context.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/migration_scanner.hpp"
#include "runner/db/connection_pool.hpp"
#include "runner/engine/step_source.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#ifndef RUNNER_DEFAULT_DIALECT
#error "RUNNER_DEFAULT_DIALECT (the dialect of project files) comes from the build"
#endif

namespace runner::cli {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(no dialect plugin found)" : out;
}

}  // namespace

namespace {

// --plugin-dir names folders the user means: a mistyped one must not quietly leave the bundled
// plugins to be used instead.
const Settings& with_existing_plugin_dirs(const Settings& settings) {
  for (const auto& list : settings.plugin_dirs) {
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t colon = list.find(':', start);
      const std::string dir = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      std::error_code ec;
      if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
        throw UsageError(fmt::format("--plugin-dir {}: no such folder", dir));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  return settings;
}

}  // namespace

Context::Context(Settings settings)
    : settings_(std::move(settings)),
      loader_(DialectLoader::search_path(with_existing_plugin_dirs(settings_).plugin_dirs, settings_.plugin_env)),
      connections_(std::make_unique<ConnectionPool>()) {}

Context::~Context() = default;

ConnectionPool& Context::connections() { return *connections_; }

const Dialect& Context::dialect() {
  if (dialect_ != nullptr) return *dialect_;
  std::string name = settings_.dialect;
  if (name.empty() && settings_.inventory) {
    // One dialect per inventory: one migration set is read for the whole run.
    const Inventory& inventory = *settings_.inventory;
    int first_line = 0;
    for (const auto& entry : inventory.entries) {
      const std::string here = dialect_name_from_url(entry.url);
      const std::string where = inventory.file + ":" + std::to_string(entry.line);
      if (here.empty())
        throw UsageError(where +
                         ": cannot tell the database from this URL (expected DIALECT:..., where DIALECT is one of: " +
                         join(loader_.available_names()) + ")");
      if (name.empty()) {
        name = here;
        first_line = entry.line;
      } else if (here != name) {
        throw UsageError(where + ": a " + here + " database, where line " + std::to_string(first_line) + " is " + name +
                         ": one inventory lists databases of one dialect (run each dialect with its own file)");
      }
    }
  }
  if (name.empty() && settings_.database_url) {
    name = dialect_name_from_url(*settings_.database_url);
    if (name.empty()) {
      // Named, but never with what stands before an '@' (a password, in a URL missing its scheme).
      const std::string& url = *settings_.database_url;
      const std::size_t at = url.rfind('@');
      const std::string shown = at == std::string::npos ? url : "..." + url.substr(at);
      throw UsageError("cannot tell the database from the URL '" + shown + "' given by " + settings_.database_origin +
                       " (expected DIALECT:..., where DIALECT is one of: " + join(loader_.available_names()) +
                       "); or name it with --dialect");
    }
  }
  // --all-projects without a database means project files of the embedded default dialect.
  if (name.empty() && settings_.all_projects) name = RUNNER_DEFAULT_DIALECT;
  if (name.empty())
    throw UsageError(
        "no database and no dialect: give -d URL (or RUNNER_DATABASE_URL, DATABASE_URL, "
        "database= in runner.ini), or --dialect NAME");
  dialect_ = &loader_.load(name);
  return *dialect_;
}

const DatabaseInfo& Context::database() {
  if (database_) return *database_;
  if (!settings_.database_url)
    throw UsageError(
        "no database: give -d URL, or set RUNNER_DATABASE_URL or DATABASE_URL, or database= in "
        "runner.ini");
  database_ =
      dialect().describe_database(*settings_.database_url, settings_.lock_timeout_s, settings_.database_base_dir);
  return *database_;
}

MigrationSet& Context::migrations() {
  if (migrations_) return *migrations_;
  MigrationSet set = scan_migrations(settings_.sql_dir, dialect().name(), loader_.available_names());
  load_checksums(set);
  migrations_ = std::move(set);
  return *migrations_;
}

}  // namespace runner::cli
