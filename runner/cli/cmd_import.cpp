// SPDX-License-Identifier: MIT
// runner import FORMAT --from DIR: rewrite another tool's migrations into runner's files.
#include "runner/adopt/adopt_database.hpp"
#include "runner/adopt/source_history.hpp"
#include "runner/base/errors.hpp"
#include "runner/cli/alembic_options.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/core/migration_scanner.hpp"
#include "runner/core/migration_text.hpp"
#include "runner/import/alembic_import.hpp"
#include "runner/import/import_writer.hpp"
#include "runner/import/tool_formats.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace runner::cli {
namespace {

ImportedSet read_alembic(Context& ctx, std::vector<const Dialect*>* check) {
  AlembicSource source = alembic_source(ctx);
  // PostgreSQL's rendering is the portable set (the sqlite plugin translates it); --dialect sqlite
  // adds Alembic's own SQLite rendering as .sqlite.sql variants instead of translating.
  const Dialect& postgresql = ctx.loader().load("postgresql");
  const Dialect& sqlite = ctx.loader().load("sqlite");
  const bool variants = ctx.settings().dialect == "sqlite";
  *check = {&postgresql, &sqlite};
  return import_alembic(source, postgresql, variants ? &sqlite : nullptr);
}

}  // namespace

int cmd_import(Context& ctx) {
  expect_args(ctx, 1, 1, "import FORMAT --from DIR");
  const std::string format = ctx.settings().args[0];
  const auto& opt = ctx.settings().import_options;
  if (!opt.count("from")) throw UsageError("import " + format + ": say where the migrations are with --from DIR");
  const std::filesystem::path from = opt.at("from");
  std::error_code ec;
  if (!std::filesystem::is_directory(from, ec)) throw UsageError("--from " + from.generic_string() + ": not a folder");

  std::vector<const Dialect*> check;
  ImportedSet set;
  if (format == "alembic") {
    set = read_alembic(ctx, &check);
  } else {
    const Dialect* dialect = ctx.has_database() || !ctx.settings().dialect.empty() ? &ctx.dialect() : nullptr;
    if (dialect == nullptr) dialect = &ctx.loader().load("postgresql");
    set = read_tool_folder(format, from, *dialect);
    check = {dialect};
  }
  if (set.migrations.empty()) throw SourceError(from.generic_string(), 0, "holds no " + format + " migration");
  const std::filesystem::path dir = ctx.settings().sql_dir;
  // Importing again brings only what was added since: a migration whose key a file already
  // carries stays as it is.
  std::size_t already = 0;
  if (std::filesystem::is_directory(dir, ec)) {
    MigrationSet existing = scan_migrations(dir, check.front()->name(), ctx.loader().available_names());
    ImportedIndex index;
    try {
      index = index_imported(existing, format);
    } catch (const PlanError&) {
    }
    auto& ms = set.migrations;
    const std::size_t before = ms.size();
    // One imported before whose source changed since is kept as it is (import never overwrites),
    // and said.
    for (const auto& m : ms) {
      auto it = index.by_key.find(normal_key(format, m.key));
      if (it != index.by_key.end() && read_migration_text(it->second->up) != imported_text(m, true, format))
        set.report.push_back(m.source_file + " changed since it was imported as " + it->second->up.generic_string() +
                             ", which is kept (import never overwrites: edit it there, or move it away and import "
                             "again)");
    }
    ms.erase(std::remove_if(ms.begin(), ms.end(),
                            [&](const ImportedMigration& m) { return index.by_key.count(normal_key(format, m.key)); }),
             ms.end());
    already = before - ms.size();
    if (ms.empty()) {
      std::string out = "nothing to do: all " + std::to_string(before) + " " + format + " migrations of " +
                        from.generic_string() + " are already imported into " + dir.generic_string() + "\n";
      for (const auto& r : set.report)
        if (r.find(" changed since it was imported as ") != std::string::npos) out += "  note: " + r + "\n";
      print(out);
      return 0;
    }
  }
  ImportPlan plan = plan_import(set, dir);
  check_import(plan, check, ctx.loader().available_names(), placeholders(ctx, ctx.settings().schema.value_or("")));
  if (!ctx.settings().dry_run) write_import(plan);

  const bool dry = ctx.settings().dry_run;
  if (ctx.settings().json) {
    nlohmann::json j{{"format", format}, {"from", from.generic_string()}, {"sql_dir", dir.generic_string()}};
    j["migrations"] = nlohmann::json::array();
    for (const auto& e : plan.entries)
      j["migrations"].push_back({{"version", e.version},
                                 {"migration", e.label},
                                 {"key", e.source->key},
                                 {"origin", e.source->origin},
                                 {"no_transaction", e.source->no_transaction},
                                 {"down", e.source->down.has_value()}});
    j["files"] = nlohmann::json::array();
    for (const auto& f : plan.files) j["files"].push_back(f.path.generic_string());
    j["report"] = set.report;
    if (dry) j["dry_run"] = true;
    print(j.dump(2) + "\n");
    return 0;
  }
  std::string out = std::to_string(set.migrations.size()) + " " + format + " migrations from " + from.generic_string() +
                    ", in the order runner applies them:\n";
  for (const auto& e : plan.entries) {
    std::string after;
    for (const auto& p : e.source->parents) after += (after.empty() ? " (after " : ", ") + p;
    out += "  " + e.label + "  <- " + e.source->origin + (after.empty() ? "" : after + ")") +
           (e.source->no_transaction ? " [no-transaction]" : "") + (e.source->down ? "" : " [no down]") + "\n";
  }
  for (const auto& r : set.report) out += "  note: " + r + "\n";
  if (already > 0) out += "  (" + std::to_string(already) + " already imported before, left as they are)\n";
  out += dry ? "dry run: would write " + std::to_string(plan.files.size()) + " files into " + dir.generic_string() +
                   "; nothing was written\n"
             : "wrote " + std::to_string(plan.files.size()) + " files into " + dir.generic_string() + "; checked for " +
                   [&] {
                     std::string names;
                     for (const Dialect* d : check) names += (names.empty() ? "" : " and ") + d->name();
                     return names;
                   }() +
                   "\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
