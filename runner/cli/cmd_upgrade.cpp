// SPDX-License-Identifier: MIT
// runner upgrade [TARGET]: apply pending migrations up to head, a version, or +N.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/engine/step_source.hpp"

namespace runner::cli {

int cmd_upgrade(Context& ctx) {
  expect_args(ctx, 0, 1, "upgrade [head|VERSION|+N]");
  Target target = parse_target(ctx.settings().args.empty() ? "head" : ctx.settings().args[0], TargetUse::upgrade);
  // An invalid set of files stops here, before the database is touched.
  MigrationSet& files = ctx.migrations();
  // Plan under the run lock, and read, split and check every pending file, before anything is
  // created: a refused run leaves the database exactly as it was.
  // A dry run reads without the lock and creates nothing (not even a SQLite file).
  auto db = ctx.open(ctx.settings().dry_run ? AccessMode::read : AccessMode::change);
  History history;
  std::vector<PreparedStep> prepared;
  auto plan = [&] {
    history = db->load_history();
    check_drift(ctx, files, history);
    prepared = prepare_steps(plan_upgrade(files, history, target, ctx.settings().out_of_order), ctx.dialect());
  };
  plan();
  if (!prepared.empty() && !ctx.settings().dry_run) {
    if (!db->connected()) {
      // A SQLite file that does not exist yet: create it, take its lock, and plan again, since
      // another runner may have got there first.
      db.reset();
      db = ctx.open(AccessMode::create);
      plan();
    }
    db->ensure_created();
  }
  return run_steps(ctx, *db, files, history, prepared, "upgrading");
}

}  // namespace runner::cli
