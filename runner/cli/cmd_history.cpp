// SPDX-License-Identifier: MIT
// runner history (status): every migration known from the files or the history.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/core/plan.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_history(Context& ctx) {
  expect_args(ctx, 0, 0, "history");
  if (ctx.settings().all_projects)
    return run_all_projects(
        ctx,
        [&](const DatabaseInfo& t, const StepEvents&) { return inspect_database(ctx.dialect(), t, run_options(ctx)); },
        true);
  MigrationSet& files = ctx.migrations();
  Outcome state = inspect_database(ctx.dialect(), ctx.database(), run_options(ctx));
  const History& history = state.before;
  std::vector<StatusRow> rows = build_status(files, history);

  if (ctx.settings().json) {
    nlohmann::json j;
    j["current"] = history.empty() ? nlohmann::json(nullptr) : nlohmann::json(history.back().version);
    j["migrations"] = nlohmann::json::array();
    for (const auto& r : rows) {
      j["migrations"].push_back({{"version", r.version},
                                 {"name", r.name},
                                 {"applied", r.applied},
                                 {"applied_at", r.applied ? nlohmann::json(r.applied_at) : nlohmann::json(nullptr)},
                                 {"checksum", r.applied ? nlohmann::json(r.checksum) : nlohmann::json(nullptr)}});
    }
    print(j.dump(2) + "\n");
    return 0;
  }

  std::vector<std::vector<std::string>> table{{"VERSION", "NAME", "STATE", "APPLIED AT", "CHECKSUM"}};
  std::size_t pending = 0;
  for (const auto& r : rows) {
    if (!r.applied) ++pending;
    table.push_back({r.version_text, r.name, r.applied ? "applied" : "pending", r.applied_at, r.checksum});
  }
  std::string out = "database: " + state.display + "\n" + format_table(table);
  out += "current: " + (history.empty() ? std::string("base")
                                        : std::to_string(history.back().version) +
                                              (history.back().name.empty() ? "" : " " + history.back().name));
  out += ", " + std::to_string(history.size()) + " applied, " + std::to_string(pending) + " pending\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
