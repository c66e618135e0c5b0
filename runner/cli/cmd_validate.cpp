// SPDX-License-Identifier: MIT
// runner validate: check the files (names, pairs, every statement split, transaction rules) and,
// with a database, that every applied migration's file exists unchanged.
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/core/plan.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/offline_translation.hpp"
#include "runner/engine/round_trip.hpp"
#include "runner/engine/step_source.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_validate(Context& ctx) {
  expect_args(ctx, 0, 0, "validate");
  MigrationSet& files = ctx.migrations();
  // Files that opt in to placeholders are checked with the values given, runner.schema unknown ("").
  const Placeholders values = placeholders(ctx, ctx.settings().schema.value_or(""));
  RoundTrip round_trip = prepare_round_trip(ctx.dialect(), files, values);
  std::vector<PreparedStep>& prepared = round_trip.steps;
  const std::size_t statements = round_trip.statements;
  // Against the schema the files build, as --sql and explain translate without a database. With a
  // database that exists, its own schema is the judge instead (below): it may hold what no file
  // built (a database adopted with stamp).
  std::unique_ptr<Database> db;
  if (ctx.has_database() && !ctx.settings().all_projects)
    db = std::make_unique<Database>(ctx.dialect(), ctx.database(), AccessMode::read,
                                    std::chrono::seconds(ctx.settings().lock_timeout_s));
  if (db == nullptr || !db->connected()) check_translation(ctx.dialect(), files, {}, prepared, values);

  nlohmann::json j{{"dialect", ctx.dialect().name()},
                   {"sql_dir", files.dir.generic_string()},
                   {"migrations", files.migrations.size()},
                   {"statements", statements}};
  if (ctx.settings().all_projects) {
    // The files were checked once above; each project is checked for drift.
    return run_all_projects(
        ctx,
        [&](const DatabaseInfo& t, const StepEvents&) {
          Outcome o = inspect_database(ctx.dialect(), t, run_options(ctx));
          std::vector<Drift> drift = find_drift(files, o.before);
          if (!drift.empty()) throw SafetyError("applied migrations changed since they ran:\n" + describe_drift(drift));
          return o;
        },
        true);
  }
  std::string out = std::to_string(files.migrations.size()) + " migrations in " + files.dir.generic_string() +
                    " are valid for " + ctx.dialect().name() + " (" + std::to_string(statements) + " statements)\n";
  int code = 0;
  if (db != nullptr) {
    const History history = db->load_history();
    std::vector<Drift> drift = find_drift(files, history);
    // What upgrade would run next, checked against this database's own schema as upgrade would.
    if (drift.empty() && db->connected()) {
      const Placeholders live = placeholders(ctx, db->info().schema);
      check_translation(ctx.dialect(), files, history,
                        prepare_steps(plan_upgrade(files, history, Target{}, ctx.settings().out_of_order),
                                      ctx.dialect(), live, &files.callbacks),
                        live, &db->connection(), db->info().schema);
    }
    j["database"] = db->info().display;
    j["current"] = position_json(history);
    j["drift"] = nlohmann::json::array();
    for (const auto& d : drift)
      j["drift"].push_back({{"version", d.version},
                            {"migration", d.label},
                            {"problem", d.kind == Drift::Kind::changed ? "changed" : "missing-file"}});
    out += db->info().display + " is at " + describe_position(history, files) + " with " +
           std::to_string(history.size()) + " applied";
    if (drift.empty()) {
      out += "; every applied file is unchanged\n";
    } else {
      out += "; applied migrations changed since they ran:\n" + describe_drift(drift) + "\n";
      code = k_exit_refused;
    }
  }
  if (ctx.settings().json)
    print(j.dump(2) + "\n");
  else
    print(out);
  return code;
}

}  // namespace runner::cli
