// SPDX-License-Identifier: MIT
// runner renumber [VERSION...]: move pending migrations to the next free versions at the top.
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_discovery.hpp"
#include "runner/core/migration_scanner.hpp"
#include "runner/core/renumber.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/operations.hpp"

#include <memory>

#include <nlohmann/json.hpp>

namespace runner::cli {
namespace {

std::uint64_t version_arg(const std::string& text) {
  std::uint64_t v = 0;
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError("renumber: '" + text + "' is not a version (the digits a migration's file name starts with)");
  for (char c : text) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

// What `db` has applied. Opened with the run lock (unless a dry run), which the caller holds until
// the files are renamed: an upgrade that starts meanwhile waits, then plans from the new names.
AppliedVersions applied_on(Context& ctx, const DatabaseInfo& target, std::vector<std::unique_ptr<Database>>* held) {
  AppliedVersions a;
  a.database = target.display;
  const RunOptions options = run_options(ctx);
  if (options.dry_run) {
    for (const auto& row : inspect_database(ctx.dialect(), target, options).before) a.versions.insert(row.version);
    return a;
  }
  held->push_back(std::make_unique<Database>(ctx.dialect(), target, AccessMode::change, options.lock_timeout));
  for (const auto& row : held->back()->load_history()) a.versions.insert(row.version);
  return a;
}

}  // namespace

int cmd_renumber(Context& ctx) {
  const auto& args = ctx.settings().args;
  std::vector<std::uint64_t> requested;
  for (const auto& a : args) requested.push_back(version_arg(a));
  // The versions are the files', whatever dialect reads them: without a database or --dialect,
  // the first dialect found reads the folder.
  MigrationSet scanned;
  if (!ctx.has_database() && ctx.settings().dialect.empty() && !ctx.settings().all_projects) {
    const auto known = ctx.loader().available_names();
    if (known.empty()) throw UsageError("renumber: no dialect plugin found to read the migration folder with");
    scanned = scan_migrations(ctx.settings().sql_dir, known.front(), known);
  }
  const MigrationSet& files = scanned.dir.empty() ? ctx.migrations() : scanned;

  // Every database given is read (no lock, nothing created): a migration one of them applied keeps
  // its version.
  // Projects in id order, so that two renumbers take the locks in one order.
  std::vector<AppliedVersions> applied;
  std::vector<std::unique_ptr<Database>> held;
  if (ctx.settings().all_projects) {
    for (const Project& p : discover_projects(ctx))
      applied.push_back(applied_on(ctx, ctx.dialect().describe_database(p.url, ctx.settings().lock_timeout_s), &held));
  } else if (ctx.has_database()) {
    applied.push_back(applied_on(ctx, ctx.database(), &held));
  }
  std::vector<std::string> left;
  const std::vector<Renumbering> plan = plan_renumber(files, applied, requested, &left);
  const bool dry = ctx.settings().dry_run;
  if (!dry) apply_renumber(plan);
  held.clear();  // the locks go once the files have their new names

  if (ctx.settings().json) {
    nlohmann::json j{{"sql_dir", files.dir.generic_string()}, {"checked", nlohmann::json::array()}};
    for (const auto& a : applied) j["checked"].push_back(a.database);
    j["renumbered"] = nlohmann::json::array();
    for (const auto& r : plan) {
      nlohmann::json moved{{"from", r.from}, {"to", r.to}, {"migration", r.from_label}, {"now", r.to_label}};
      moved["files"] = nlohmann::json::array();
      for (const auto& [from, to] : r.files)
        moved["files"].push_back({{"from", from.generic_string()}, {"to", to.generic_string()}});
      j["renumbered"].push_back(moved);
    }
    j["left"] = left;
    if (dry) j["dry_run"] = true;
    print(j.dump(2) + "\n");
    return 0;
  }
  std::string out;
  if (plan.empty()) out = "nothing to renumber: no pending migration is below what the databases have applied\n";
  for (const auto& r : plan) {
    out += std::string(dry ? "would move " : "moved ") + r.from_label + " -> " + r.to_label + "\n";
    for (const auto& [from, to] : r.files)
      out += "  " + from.filename().string() + " -> " + to.filename().string() + "\n";
  }
  for (const auto& l : left) out += "left: " + l + "\n";
  if (applied.empty() && !plan.empty())
    out +=
        "no database was checked: a database that applied one of these would find its file gone (give -d URL "
        "or --all-projects to check)\n";
  else if (!applied.empty())
    out += "checked " + std::to_string(applied.size()) + (applied.size() == 1 ? " database" : " databases") + "\n";
  if (dry) out += "dry run: nothing was renamed\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
