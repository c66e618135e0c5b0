// SPDX-License-Identifier: MIT
// runner drift: does the live schema still match what its applied migrations build? Exit 0 without
// drift, 3 with drift.
#include "runner/api/migrator_access.hpp"
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {
namespace {

nlohmann::json report_json(const DriftReport& r) {
  nlohmann::json differences = nlohmann::json::array();
  for (const auto& d : r.differences) differences.push_back(difference_json(d));
  return nlohmann::json{{"database", r.database},
                        {"position", r.position},
                        {"replayed", r.replayed},
                        {"pending", r.pending},
                        {"shadow", r.shadow.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.shadow)},
                        {"drift", !r.differences.empty()},
                        {"differences", differences},
                        {"notes", r.notes}};
}

std::string report_text(const DriftReport& r, Verbosity verbosity) {
  std::string out;
  for (const auto& d : r.differences) out += d.text + "\n";
  for (const auto& n : r.notes) out += "note: " + n + "\n";
  if (verbosity == Verbosity::quiet) return out;
  const std::string against =
      " the schema its " + std::to_string(r.replayed) + " applied migrations build (at " + r.position + ")";
  if (r.differences.empty())
    out += "no drift: " + r.database + " matches" + against + "\n";
  else
    out += std::to_string(r.differences.size()) + (r.differences.size() == 1 ? " difference" : " differences") +
           " between " + r.database + " and" + against + "\n";
  return out;
}

}  // namespace

int cmd_drift(Context& ctx) {
  expect_args(ctx, 0, 0, "drift");
  if (ctx.settings().all_projects)
    return run_all_projects(
        ctx,
        [&ctx](const DatabaseInfo& t, ProjectReport& progress) {
          Migrator m = MigratorAccess::open(
              ctx.dialect(), t, [&ctx]() -> const MigrationSet& { return ctx.migrations(); }, migrator_options(ctx),
              false, &ctx.cancellation());
          progress.database = m.database();
          const DriftReport r = m.drift(schema_list(ctx));
          ProjectReport out;
          out.database = r.database;
          out.after.label = r.position;
          out.applied = r.replayed;
          out.pending = r.pending;
          out.drift_checked = true;
          out.differences = r.differences;
          return out;
        },
        true);
  Migrator migrator = open_migrator(ctx, migrator_options(ctx));
  const DriftReport r = migrator.drift(schema_list(ctx));
  if (ctx.settings().json)
    print(report_json(r).dump(2) + "\n");
  else
    print(report_text(r, ctx.settings().verbosity));
  if (ctx.cancellation().requested()) return interrupted_exit_code(ctx.cancellation().signal());
  return r.differences.empty() ? 0 : k_exit_refused;
}

}  // namespace runner::cli
