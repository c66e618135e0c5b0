// SPDX-License-Identifier: MIT
// runner stamp TARGET: record the history as if up to TARGET, running no migration SQL.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/core/target.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_stamp(Context& ctx) {
  expect_args(ctx, 1, 1, "stamp head|VERSION|base");
  Target target = parse_target(ctx.settings().args[0], TargetUse::stamp);
  MigrationSet& files = ctx.migrations();
  if (ctx.settings().all_projects)
    return run_all_projects(ctx, [&](const DatabaseInfo& t, const StepEvents&) {
      return stamp_database(ctx.dialect(), files, t, target, run_options(ctx));
    });
  Outcome o = stamp_database(ctx.dialect(), files, ctx.database(), target, run_options(ctx));
  const bool dry = ctx.settings().dry_run;

  if (ctx.settings().json) {
    nlohmann::json added = nlohmann::json::array();
    nlohmann::json removed = nlohmann::json::array();
    for (const Migration* m : o.stamped) added.push_back(m->version);
    for (std::uint64_t v : o.unstamped) removed.push_back(v);
    nlohmann::json j{
        {"database", o.display}, {"recorded", added}, {"removed", removed}, {"to", position_json(o.after)}};
    if (dry) j["dry_run"] = true;
    print(j.dump(2) + "\n");
    return 0;
  }
  std::string out = dry ? "dry run: " + o.display + " is at " + describe_position(o.before, files) + "\n" : "";
  for (const Migration* m : o.stamped)
    out += std::string(dry ? "  would record " : "  recorded ") + m->label() + " (no SQL run)\n";
  for (std::uint64_t v : o.unstamped)
    out +=
        std::string(dry ? "  would remove " : "  removed  ") + files.label(v, "") + " from the history (no SQL run)\n";
  if (dry)
    out += "Nothing was changed.\n";
  else if (o.stamped.empty() && o.unstamped.empty())
    out += "nothing to do: already stamped at " + describe_position(o.before, files) + "\n";
  else
    out += "stamped " + o.display + " at " + describe_position(o.after, files) + "\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
