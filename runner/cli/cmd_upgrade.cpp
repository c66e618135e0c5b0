// SPDX-License-Identifier: MIT
// runner upgrade [TARGET]: apply pending migrations up to head, a version, or +N.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"

namespace runner::cli {

int cmd_upgrade(Context& ctx) {
  expect_args(ctx, 0, 1, "upgrade [head|VERSION|+N]");
  Target target = parse_target(ctx.settings().args.empty() ? "head" : ctx.settings().args[0], TargetUse::upgrade);
  // An invalid set of files stops here, before the database is touched.
  MigrationSet& files = ctx.migrations();
  auto db = ctx.open(AccessMode::create);
  History history = db->load_history();
  check_drift(ctx, files, history);
  std::vector<Step> steps = plan_upgrade(files, history, target, ctx.settings().out_of_order);
  return run_steps(ctx, *db, files, history, steps, "upgrading");
}

}  // namespace runner::cli
