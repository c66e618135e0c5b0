// SPDX-License-Identifier: MIT
// runner adopt FORMAT: record another tool's history in runner_history, running no migration SQL.
#include "runner/adopt/adopt_database.hpp"
#include "runner/adopt/source_history.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/subprocess.hpp"
#include "runner/cli/alembic_options.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_operations.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/import/alembic_graph.hpp"
#include "runner/import/alembic_import.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

namespace runner::cli {
namespace {

// With --from: every revision Alembic knows must be among the imported files, so that a revision
// written after the import is not silently left out of the history.
void check_alembic_complete(Context& ctx, const ImportedIndex& index) {
  const AlembicSource source = alembic_source(ctx);
  std::string missing;
  for (const auto& rev : alembic_revisions(source))
    if (!index.by_key.count(rev.id)) missing += "\n  " + rev.id + " " + rev.message + " (" + rev.path + ")";
  if (!missing.empty())
    throw PlanError("Alembic revisions not imported into " + ctx.migrations().dir.generic_string() +
                    " (run runner import alembic again for them first):" + missing);
}

}  // namespace

int cmd_adopt(Context& ctx) {
  expect_args(ctx, 1, 1, "adopt FORMAT -d URL | --all-projects");
  const std::string format = ctx.settings().args[0];
  MigrationSet& files = ctx.migrations();
  const ImportedIndex index = index_imported(files, format);
  if (ctx.settings().import_options.count("from")) {
    if (format != "alembic")
      throw UsageError("adopt " + format +
                       " maps the history through the imported files alone; --from is for "
                       "alembic (to check that every revision was imported)");
    check_alembic_complete(ctx, index);
  }
  const bool drop = ctx.settings().drop_source;
  if (ctx.settings().all_projects)
    return run_all_projects(ctx, [&](const DatabaseInfo& t, ProjectReport&) {
      return project_report(adopt_database(ctx.dialect(), files, index, t, run_options(ctx), drop), files,
                            ctx.settings().dry_run);
    });
  Outcome o = adopt_database(ctx.dialect(), files, index, ctx.database(), run_options(ctx), drop);
  const bool dry = ctx.settings().dry_run;
  std::vector<const Migration*> pending;
  for (const auto& m : files.migrations)
    if (std::none_of(o.after.begin(), o.after.end(), [&](const AppliedMigration& a) { return a.version == m.version; }))
      pending.push_back(&m);
  if (ctx.settings().json) {
    nlohmann::json recorded = nlohmann::json::array(), left = nlohmann::json::array();
    for (const Migration* m : o.stamped) recorded.push_back(m->version);
    for (const Migration* m : pending) left.push_back(m->version);
    nlohmann::json j{{"database", o.display}, {"format", format}, {"found", o.note},
                     {"recorded", recorded},  {"pending", left},  {"to", position_json(o.after)}};
    if (dry) j["dry_run"] = true;
    print(j.dump(2) + "\n");
    return 0;
  }
  std::string out = o.display + ": " + o.note + "\n";
  for (const Migration* m : o.stamped)
    out += std::string(dry ? "  would record " : "  recorded ") + m->label() + " (no SQL run)\n";
  if (!o.before.empty())
    out += (drop && !dry && o.note.find(" is gone;") == std::string::npos
                ? "already adopted at " + describe_position(o.after, files) + "; " + source_table(format) + " dropped"
                : "nothing to do: already adopted at " + describe_position(o.after, files)) +
           "\n";
  else
    out += std::string(dry ? "dry run: would adopt " : "adopted ") + o.display + " at " +
           describe_position(o.after, files) + (drop ? "; " + format + "'s history table dropped" : "") + "\n";
  if (!pending.empty()) {
    const std::uint64_t current = o.after.empty() ? 0 : o.after.back().version;
    std::string below;
    for (const Migration* m : pending)
      if (m->version < current) below += " " + m->label();
    out += std::to_string(pending.size()) + " pending";
    out += below.empty() ? "\n"
                         : "; older than the current version (from another branch):" + below +
                               " (runner upgrade --out-of-order applies them)\n";
  }
  if (dry) out += "Nothing was changed.\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
