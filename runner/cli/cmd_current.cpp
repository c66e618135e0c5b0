// SPDX-License-Identifier: MIT
// runner current: the applied version and name, or base.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_current(Context& ctx) {
  expect_args(ctx, 0, 0, "current");
  if (ctx.settings().all_projects)
    return run_all_projects(
        ctx,
        [&](const DatabaseInfo& t, const StepEvents&) { return inspect_database(ctx.dialect(), t, run_options(ctx)); },
        true);
  // Needs only the history: `current` answers even while the files are being edited.
  History history = inspect_database(ctx.dialect(), ctx.database(), run_options(ctx)).before;
  if (ctx.settings().json) {
    print(position_json(history).dump() + "\n");
    return 0;
  }
  if (history.empty()) {
    print("base\n");
    return 0;
  }
  const AppliedMigration& last = history.back();
  print(std::to_string(last.version) + (last.name.empty() ? "" : " " + last.name) + "\n");
  return 0;
}

}  // namespace runner::cli
