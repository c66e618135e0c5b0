// SPDX-License-Identifier: MIT
// runner current: the applied version and name, or base.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_current(Context& ctx) {
  expect_args(ctx, 0, 0, "current");
  if (ctx.settings().all_projects) return run_all_projects(ctx, inspect_operation(ctx), true);
  // Needs only the history: `current` answers even while the files are being edited.
  const MigrationSet unread;
  Migrator migrator = open_migrator(ctx, migrator_options(ctx), &unread);
  const Position at = migrator.position();
  const std::vector<PartialInfo> partial = migrator.partial();
  if (ctx.settings().json) {
    nlohmann::json j = position_json(at);
    j["partial"] = nlohmann::json::array();
    for (const auto& p : partial) j["partial"].push_back(partial_json(p));
    print(j.dump() + "\n");
    return 0;
  }
  std::string out = at.version == 0 ? std::string("base\n")
                                    : std::to_string(at.version) + (at.name.empty() ? "" : " " + at.name) + "\n";
  for (const auto& p : partial) out += "partial: " + partial_text(p) + "\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
