// SPDX-License-Identifier: MIT
// runner restore FILE | --all-projects --to-version V: put a --backup copy back.
#include "runner/api/migrator_access.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/engine/backup.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {
namespace {

std::string describe(const Position& p) { return p.version == 0 ? std::string("base") : p.label; }

}  // namespace

int cmd_restore(Context& ctx) {
  const Settings& s = ctx.settings();
  const bool record = s.yes && !s.dry_run;
  MigratorOptions options = migrator_options(ctx);
  options.dry_run = !record;
  if (s.all_projects) {
    expect_args(ctx, 0, 0, "restore --all-projects --to-version VERSION");
    if (!s.to_version) throw UsageError("restore --all-projects needs --to-version VERSION: which backups to put back");
    const std::uint64_t version = *s.to_version;
    const int rc = run_all_projects(ctx, [&ctx, options, version](const DatabaseInfo& t, ProjectReport& progress) {
      BackupOptions where;
      where.dir = ctx.settings().backup.value_or("");
      const std::vector<BackupFile> found = list_backups(t, where);
      const BackupFile* newest = nullptr;
      for (const auto& f : found)
        if (f.version == version) newest = &f;
      if (newest == nullptr)
        throw UsageError("no backup at version " + std::to_string(version) + " in " + backup_folder(t, where).string());
      Migrator m = MigratorAccess::open(
          ctx.dialect(), t,
          []() -> const MigrationSet& {
            static const MigrationSet none;
            return none;
          },
          options, false, &ctx.cancellation());
      const RunReport r = m.restore(newest->path.string());
      progress.database = r.database;
      progress.before = r.before;
      progress.after = r.after;
      progress.note = (r.dry_run ? "would restore " : "restored ") + newest->path.string();
      return progress;
    });
    if (!record && !s.dry_run && rc == k_exit_ok) {
      print("Nothing was changed: add --yes to restore.\n");
      return k_exit_usage;
    }
    return rc;
  }
  expect_args(ctx, 1, 1, "restore FILE");
  const std::string file = s.args[0];
  const MigrationSet unread;
  const RunReport r = open_migrator(ctx, options, &unread).restore(file);
  if (s.json) {
    nlohmann::json j{
        {"database", r.database}, {"file", file}, {"from", position_json(r.before)}, {"to", position_json(r.after)}};
    if (!record) j["dry_run"] = true;
    print(j.dump(2) + "\n");
  } else if (record) {
    print("restored " + r.database + " from " + file + ": was at " + describe(r.before) + ", now at " +
          describe(r.after) + "\n");
  } else {
    print("would restore " + r.database + " (at " + describe(r.before) + ") from " + file + " (at " +
          describe(r.after) + ")\n" +
          (s.dry_run ? "Nothing was changed.\n" : "Nothing was changed: add --yes to restore.\n"));
  }
  return record || s.dry_run ? k_exit_ok : k_exit_usage;
}

}  // namespace runner::cli
