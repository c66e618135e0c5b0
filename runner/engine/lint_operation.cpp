// SPDX-License-Identifier: MIT
#include "runner/engine/lint_operation.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/migration_name.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/db/connection_reader.hpp"
#include "runner/engine/database.hpp"

#include <algorithm>
#include <memory>
#include <system_error>

namespace runner {

bool is_down_file(const std::filesystem::path& file) {
  MigrationFileName name;
  std::string why;
  if (parse_migration_file_name(file.filename().string(), &name, &why)) return name.direction == Direction::down;
  return file.filename().string().find(".down.") != std::string::npos;
}

LintRun lint_migrations(const Dialect& dialect, const MigrationSet& set, const DatabaseInfo* target,
                        const LintRequest& request) {
  for (const auto& f : request.files) {
    std::error_code ec;
    const auto st = std::filesystem::status(f, ec);
    if (std::filesystem::is_directory(st))
      throw UsageError(f.generic_string() + ": a folder; name its files (runner lint " + f.generic_string() +
                       "/*.sql), or -s " + f.generic_string() + " to lint it as the migration folder");
    if (!std::filesystem::is_regular_file(st)) throw UsageError(f.generic_string() + ": no such file to lint");
  }
  LintRun run;
  LintSettings settings = request.settings;
  std::unique_ptr<Database> db;
  std::unique_ptr<ConnectionReader> reader;
  if (target != nullptr) {
    db = std::make_unique<Database>(dialect, *target, AccessMode::read, request.lock_timeout);
    settings.placeholders.values[k_schema_placeholder] = db->info().schema;
    if (db->connected()) {
      run.database = db->info().display;
      reader = std::make_unique<ConnectionReader>(db->connection());
    }
  }
  std::vector<std::pair<std::filesystem::path, bool>> files;  // the file, and whether it is a down file
  if (!request.files.empty()) {
    for (const auto& f : request.files) {
      const bool seen = std::any_of(files.begin(), files.end(), [&](const auto& g) {
        std::error_code ec;
        return std::filesystem::equivalent(g.first, f, ec);
      });
      if (!seen) files.emplace_back(f, is_down_file(f));
    }
  } else if (db != nullptr) {
    // What upgrade would run: on a database that does not exist yet, every up file.
    for (const Step& step :
         plan_upgrade(set, db->connected() ? db->load_history() : History{}, Target{}, request.out_of_order))
      files.emplace_back(step.migration->up, false);
  } else {
    for (const auto& m : set.migrations) {
      files.emplace_back(m.up, false);
      if (m.down) files.emplace_back(*m.down, true);
    }
  }
  // The pending migrations of a database form one run, in order: a table one of them creates is new
  // to the later ones. Without a database nothing tells what exists already.
  RunTables created;
  RunTables* in_run = request.files.empty() && db != nullptr ? &created : nullptr;
  for (const auto& [path, down] : files) {
    run.files.push_back(path.generic_string());
    for (auto& f : lint_file(dialect, path, down, settings, reader.get(), in_run)) run.findings.push_back(std::move(f));
  }
  return run;
}

}  // namespace runner
