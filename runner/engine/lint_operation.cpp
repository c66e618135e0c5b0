// SPDX-License-Identifier: MIT
#include "runner/engine/lint_operation.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/migration_name.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/db/connection_reader.hpp"
#include "runner/engine/database.hpp"

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
    if (!std::filesystem::is_regular_file(f, ec)) throw UsageError(f.generic_string() + ": no such file to lint");
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
    for (const auto& f : request.files) files.emplace_back(f, is_down_file(f));
  } else if (db != nullptr && db->connected()) {
    for (const Step& step : plan_upgrade(set, db->load_history(), Target{}, request.out_of_order))
      files.emplace_back(step.migration->up, false);
  } else {
    for (const auto& m : set.migrations) {
      files.emplace_back(m.up, false);
      if (m.down) files.emplace_back(*m.down, true);
    }
  }
  for (const auto& [path, down] : files) {
    run.files.push_back(path.generic_string());
    for (auto& f : lint_file(dialect, path, down, settings, reader.get())) run.findings.push_back(std::move(f));
  }
  return run;
}

}  // namespace runner
