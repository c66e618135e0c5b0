// SPDX-License-Identifier: MIT
// runner validate: check the files (names, pairs, every statement split, transaction rules) and,
// with a database, that every applied migration's file exists unchanged.
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/core/plan.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/offline_translation.hpp"
#include "runner/engine/round_trip.hpp"
#include "runner/engine/step_source.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

namespace {

// With a database: through the library's check(), which also judges what upgrade runs next
// against the database's own schema.
int validate_database(Context& ctx) {
  const ValidationReport r = open_migrator(ctx, migrator_options(ctx)).check();
  const MigrationSet& files = ctx.migrations();
  std::vector<Drift> drift;
  for (const auto& d : r.drift)
    drift.push_back({static_cast<std::uint64_t>(d.version), d.label,
                     d.problem == "changed" ? Drift::Kind::changed : Drift::Kind::missing_file});
  if (ctx.settings().json) {
    nlohmann::json j{{"dialect", ctx.dialect().name()}, {"sql_dir", files.dir.generic_string()},
                     {"migrations", r.migrations},      {"statements", r.statements},
                     {"database", r.database},          {"current", position_json(r.current)},
                     {"drift", nlohmann::json::array()}};
    for (const auto& d : r.drift)
      j["drift"].push_back({{"version", d.version}, {"migration", d.label}, {"problem", d.problem}});
    j["partial"] = nlohmann::json::array();
    for (const auto& p : r.partial) j["partial"].push_back(partial_json(p));
    print(j.dump(2) + "\n");
  } else {
    std::string out = std::to_string(r.migrations) + " migrations in " + files.dir.generic_string() +
                      " are valid for " + ctx.dialect().name() + " (" + std::to_string(r.statements) +
                      " statements)\n" + r.database + " is at " + r.current.label + " with " +
                      std::to_string(r.applied) + " applied";
    out += drift.empty() ? "; every applied file is unchanged\n"
                         : "; applied migrations changed since they ran:\n" + describe_drift(drift) + "\n";
    for (const auto& p : r.partial)
      out +=
          "partial: " + partial_text(p) + "\n  upgrade refuses the database until `runner resume` or `runner repair`\n";
    print(out);
  }
  return drift.empty() && r.partial.empty() ? 0 : k_exit_refused;
}

}  // namespace

int cmd_validate(Context& ctx) {
  expect_args(ctx, 0, 0, "validate");
  MigrationSet& files = ctx.migrations();
  if (ctx.has_database() && !ctx.settings().all_projects) return validate_database(ctx);
  // Files that opt in to placeholders are checked with the values given, runner.schema unknown ("").
  const Placeholders values = placeholders(ctx, ctx.settings().schema.value_or(""));
  RoundTrip round_trip = prepare_round_trip(ctx.dialect(), files, values);
  // Against the schema the files build, as --sql and explain translate without a database.
  check_translation(ctx.dialect(), files, {}, round_trip.steps, values);
  if (ctx.settings().all_projects) {
    // The files were checked once above; each project is checked for drift.
    return run_all_projects(ctx, inspect_operation(ctx, true), true);
  }
  if (ctx.settings().json)
    print(nlohmann::json{{"dialect", ctx.dialect().name()},
                         {"sql_dir", files.dir.generic_string()},
                         {"migrations", files.migrations.size()},
                         {"statements", round_trip.statements}}
              .dump(2) +
          "\n");
  else
    print(std::to_string(files.migrations.size()) + " migrations in " + files.dir.generic_string() + " are valid for " +
          ctx.dialect().name() + " (" + std::to_string(round_trip.statements) + " statements)\n");
  return 0;
}

}  // namespace runner::cli
