// SPDX-License-Identifier: MIT
// runner downgrade TARGET: run down files newest first, to -N, a version, or base.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/engine/step_source.hpp"

namespace runner::cli {

int cmd_downgrade(Context& ctx) {
  expect_args(ctx, 1, 1, "downgrade -N|VERSION|base");
  Target target = parse_target(ctx.settings().args[0], TargetUse::downgrade);
  MigrationSet& files = ctx.migrations();
  auto db = ctx.open(ctx.settings().dry_run ? AccessMode::read : AccessMode::change);
  History history = db->load_history();
  check_drift(ctx, files, history);
  std::vector<PreparedStep> prepared = prepare_steps(plan_downgrade(files, history, target), ctx.dialect());
  return run_steps(ctx, *db, files, history, prepared, "downgrading");
}

}  // namespace runner::cli
