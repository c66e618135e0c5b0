// SPDX-License-Identifier: MIT
// runner repair VERSION --mark-applied|--forget: record how a migration that stopped part-way ended.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/core/target.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_repair(Context& ctx) {
  expect_args(ctx, 1, 1, "repair VERSION --mark-applied|--forget [--yes]");
  const Settings& s = ctx.settings();
  if (s.all_projects) throw UsageError("repair resolves one database's migration: give it with -d, not --all-projects");
  if (s.mark_applied && s.forget) throw UsageError("repair takes one of --mark-applied and --forget, not both");
  if (!s.mark_applied && !s.forget)
    throw UsageError("repair needs --mark-applied (you finished the migration by hand) or --forget (you undid it)");
  const Target t = parse_target(s.args[0], TargetUse::stamp);
  if (t.kind != Target::Kind::version)
    throw UsageError("repair: '" + s.args[0] + "' is not a migration version (repair VERSION)");
  MigratorOptions options = migrator_options(ctx);
  // Without --yes, only say what it would record.
  const bool record = s.yes && !s.dry_run;
  options.dry_run = !record;
  const RunReport r = open_migrator(ctx, options).repair(static_cast<std::int64_t>(t.version), s.mark_applied);
  if (s.json) {
    nlohmann::json j{{"database", r.database},
                     {"recorded", r.recorded},
                     {"removed", r.removed},
                     {"change", r.note},
                     {"to", position_json(r.after)}};
    if (!record) j["dry_run"] = true;
    print(j.dump(2) + "\n");
  } else {
    print((record ? "repaired " + r.database + ": " : "would, on " + r.database + ": ") + r.note + "\n" +
          (record      ? ""
           : s.dry_run ? "Nothing was changed.\n"
                       : "Nothing was changed: add --yes to record it.\n"));
  }
  return record || s.dry_run ? k_exit_ok : k_exit_usage;
}

}  // namespace runner::cli
