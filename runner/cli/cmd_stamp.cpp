// SPDX-License-Identifier: MIT
// runner stamp TARGET: record the history as if up to TARGET, running no migration SQL.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/core/target.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_stamp(Context& ctx) {
  expect_args(ctx, 1, 1, "stamp head|VERSION|base");
  Target target = parse_target(ctx.settings().args[0], TargetUse::stamp);
  MigrationSet& files = ctx.migrations();
  if (ctx.settings().all_projects)
    return run_all_projects(ctx, migrator_operation(ctx, ProjectCall::stamp, ctx.settings().args[0]));
  const RunReport o = open_migrator(ctx, migrator_options(ctx)).stamp(ctx.settings().args[0]);
  const bool dry = ctx.settings().dry_run;
  if (ctx.settings().json) {
    nlohmann::json j{
        {"database", o.database}, {"recorded", o.recorded}, {"removed", o.removed}, {"to", position_json(o.after)}};
    if (dry) j["dry_run"] = true;
    print(j.dump(2) + "\n");
    return 0;
  }
  std::string out = dry ? "dry run: " + o.database + " is at " + o.before.label + "\n" : "";
  for (std::int64_t v : o.recorded)
    out += std::string(dry ? "  would record " : "  recorded ") + files.label(static_cast<std::uint64_t>(v), "") +
           " (no SQL run)\n";
  for (std::int64_t v : o.removed)
    out += std::string(dry ? "  would remove " : "  removed  ") + files.label(static_cast<std::uint64_t>(v), "") +
           " from the history (no SQL run)\n";
  if (dry)
    out += "Nothing was changed.\n";
  else if (o.recorded.empty() && o.removed.empty())
    out += "nothing to do: already stamped at " + o.before.label + "\n";
  else
    out += "stamped " + o.database + " at " + o.after.label + "\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
