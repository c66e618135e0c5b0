// SPDX-License-Identifier: MIT
#include "runner/cli/project_operations.hpp"

#include "runner/api/migrator_access.hpp"
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/context.hpp"
#include "runner/core/plan.hpp"

#include <memory>

namespace runner::cli {
namespace {

// Keeps `progress` at what the project reached, step by step, so that a project failing part-way
// shows what it applied or reverted.
void track(MigratorOptions& options, ProjectReport& progress) {
  auto plan = std::make_shared<RunReport>();
  options.on_plan = [&progress, plan](const RunReport& r) {
    *plan = r;
    progress.database = r.database;
    progress.before = progress.after = r.before;
  };
  options.on_step = [&progress, plan](const StepInfo& step) {
    ++progress.migrations;
    if (step.up) {
      progress.after = {step.version, step.name, step.label};
      return;
    }
    // Reverted: the next migration the plan reverts is the newest applied now; after the last
    // one, the database is where the plan ends.
    for (std::size_t i = 0; i < plan->planned.size(); ++i)
      if (plan->planned[i].version == step.version) {
        if (i + 1 < plan->planned.size()) {
          const PlannedStep& next = plan->planned[i + 1];
          progress.after = {next.version, next.name, next.label};
        } else {
          progress.after = plan->after;
        }
        return;
      }
  };
}

}  // namespace

ProjectOperation migrator_operation(Context& ctx, ProjectCall call, const std::string& target) {
  return [&ctx, call, target](const DatabaseInfo& t, ProjectReport& progress) {
    MigratorOptions options = migrator_options(ctx);
    track(options, progress);
    Migrator m = MigratorAccess::open(
        ctx.dialect(), t, [&ctx]() -> const MigrationSet& { return ctx.migrations(); }, options, false,
        &ctx.cancellation(), &ctx.connections());
    const RunReport r = call == ProjectCall::upgrade     ? m.upgrade(target)
                        : call == ProjectCall::downgrade ? m.downgrade(target)
                        : call == ProjectCall::resume    ? m.resume()
                                                         : m.stamp(target);
    ProjectReport out;
    out.database = r.database;
    out.before = r.before;
    out.after = r.after;
    out.migrations = (r.dry_run ? r.planned.size() : r.steps.size()) + r.recorded.size() + r.removed.size();
    out.backup = r.backup;
    return out;
  };
}

ProjectOperation inspect_operation(Context& ctx, bool check_files) {
  return [&ctx, check_files](const DatabaseInfo& t, ProjectReport& progress) {
    const MigrationSet& files = ctx.migrations();
    Migrator m = MigratorAccess::open(
        ctx.dialect(), t, [&files]() -> const MigrationSet& { return files; }, migrator_options(ctx), false,
        &ctx.cancellation(), &ctx.connections());
    std::vector<Drift> drift;
    History applied;
    const std::vector<MigrationStatus> rows = m.status();
    progress.database = m.database();
    for (const auto& row : rows) {
      if (row.state == "partial") progress.partial.push_back(row.partial);
      if (!row.applied) {
        ++progress.pending;
        continue;
      }
      ++progress.applied;
      applied.push_back({static_cast<std::uint64_t>(row.version), row.name, "", row.applied_at, 0});
      if (row.file_state == "changed" || row.file_state == "missing-file")
        drift.push_back({static_cast<std::uint64_t>(row.version),
                         files.label(static_cast<std::uint64_t>(row.version), row.name),
                         row.file_state == "changed" ? Drift::Kind::changed : Drift::Kind::missing_file});
    }
    progress.before = progress.after = MigratorAccess::position(applied, files);
    if (check_files && !drift.empty())
      throw SafetyError("applied migrations changed since they ran:\n" + describe_drift(drift));
    return progress;
  };
}

ProjectReport project_report(const Outcome& o, const MigrationSet& files, bool dry_run) {
  ProjectReport r;
  r.database = o.display;
  r.before = MigratorAccess::position(o.before, files);
  r.after = MigratorAccess::position(o.after, files);
  r.migrations = (dry_run ? o.planned.size() : o.done.size()) + o.stamped.size() + o.unstamped.size();
  r.note = o.note;
  return r;
}

}  // namespace runner::cli
