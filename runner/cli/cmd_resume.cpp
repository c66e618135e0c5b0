// SPDX-License-Identifier: MIT
// runner resume: run the rest of the no-transaction migration that stopped part-way.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"

namespace runner::cli {

int cmd_resume(Context& ctx) {
  expect_args(ctx, 0, 0, "resume");
  if (ctx.settings().all_projects) return run_all_projects(ctx, migrator_operation(ctx, ProjectCall::resume, ""));
  ctx.migrations();  // an invalid folder is said before the database is touched
  Migrator migrator = open_migrator(ctx, migrator_options(ctx, "resuming"));
  const RunReport r = migrator.resume();
  if (r.planned.empty()) {
    if (ctx.settings().json) return report_run(ctx, r);
    if (ctx.settings().verbosity != Verbosity::quiet)
      print("nothing to resume: no migration stopped part-way on " + r.database + "\n");
    return k_exit_ok;
  }
  return report_run(ctx, r);
}

}  // namespace runner::cli
