// SPDX-License-Identifier: MIT
// runner history (status): every migration known from the files or the history.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/core/plan.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_history(Context& ctx) {
  expect_args(ctx, 0, 0, "history");
  if (ctx.settings().all_projects) return run_all_projects(ctx, inspect_operation(ctx), true);
  ctx.migrations();  // an invalid folder is said before the database is read
  Migrator migrator = open_migrator(ctx, migrator_options(ctx));
  const std::vector<MigrationStatus> rows = migrator.status();
  const MigrationStatus* current = nullptr;
  std::size_t applied = 0;
  for (const auto& r : rows)
    if (r.applied) {
      ++applied;
      current = &r;  // rows are in version order
    }
  if (ctx.settings().json) {
    nlohmann::json j;
    j["current"] = current == nullptr ? nlohmann::json(nullptr) : nlohmann::json(current->version);
    j["migrations"] = nlohmann::json::array();
    for (const auto& r : rows) {
      nlohmann::json row{{"version", r.version},
                         {"name", r.name},
                         {"applied", r.applied},
                         {"state", r.state},
                         {"applied_at", r.applied ? nlohmann::json(r.applied_at) : nlohmann::json(nullptr)},
                         {"checksum", r.applied ? nlohmann::json(r.file_state) : nlohmann::json(nullptr)}};
      if (r.state == "partial") row["partial"] = partial_json(r.partial);
      j["migrations"].push_back(std::move(row));
    }
    print(j.dump(2) + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> table{{"VERSION", "NAME", "STATE", "APPLIED AT", "CHECKSUM"}};
  std::string partial;
  for (const auto& r : rows) {
    const bool stopped = r.state == "partial";
    table.push_back(
        {r.version_text, r.name,
         stopped ? "partial (" + std::to_string(r.partial.applied) + " of " + std::to_string(r.partial.statements) + ")"
                 : r.state,
         r.applied_at, r.file_state});
    if (stopped) partial += "partial: " + partial_text(r.partial) + "\n";
  }
  std::string out = "database: " + migrator.database() + "\n" + format_table(table) + partial;
  out += "current: " + (current == nullptr
                            ? std::string("base")
                            : std::to_string(current->version) + (current->name.empty() ? "" : " " + current->name));
  out += ", " + std::to_string(applied) + " applied, " + std::to_string(rows.size() - applied) + " pending\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
