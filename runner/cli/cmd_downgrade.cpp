// SPDX-License-Identifier: MIT
// runner downgrade TARGET: run down files newest first, to -N, a version, or base.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/cli/sql_export.hpp"
#include "runner/core/target.hpp"

namespace runner::cli {

int cmd_downgrade(Context& ctx) {
  expect_args(ctx, ctx.settings().sql ? 0 : 1, 1, "downgrade -N|VERSION|base   (with --sql: FROM:TO)");
  if (ctx.settings().sql) return export_sql(ctx, Direction::down);
  refuse_shadow_url_online(ctx);
  // A bad target stops here, before any database is touched; the files are read while the database
  // opens, and what is wrong with them is said before anything is written.
  parse_target(ctx.settings().args[0], TargetUse::downgrade);
  if (ctx.settings().all_projects)
    return run_all_projects(ctx, migrator_operation(ctx, ProjectCall::downgrade, ctx.settings().args[0]));
  Migrator migrator = open_migrator(ctx, migrator_options(ctx, "downgrading"));
  return wait_after(ctx, report_run(ctx, migrator.downgrade(ctx.settings().args[0])));
}

}  // namespace runner::cli
