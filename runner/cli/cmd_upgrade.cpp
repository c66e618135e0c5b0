// SPDX-License-Identifier: MIT
// runner upgrade [TARGET]: apply pending migrations up to head, a version, or +N.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/cli/sql_export.hpp"
#include "runner/core/target.hpp"

namespace runner::cli {

int cmd_upgrade(Context& ctx) {
  expect_args(ctx, 0, 1, "upgrade [head|VERSION|+N]   (with --sql: [FROM:]TO)");
  if (ctx.settings().sql) return export_sql(ctx, Direction::up);
  refuse_shadow_url_online(ctx);
  const std::string target = ctx.settings().args.empty() ? "head" : ctx.settings().args[0];
  // A bad target stops here, before any database is touched; the files are read while the database
  // opens, and what is wrong with them is said before anything is written.
  parse_target(target, TargetUse::upgrade);
  if (ctx.settings().all_projects) return run_all_projects(ctx, migrator_operation(ctx, ProjectCall::upgrade, target));
  Migrator migrator = open_migrator(ctx, migrator_options(ctx, "upgrading"));
  return wait_after(ctx, report_run(ctx, migrator.upgrade(target)));
}

}  // namespace runner::cli
