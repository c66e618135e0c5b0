// SPDX-License-Identifier: MIT
#include "runner/cli/sql_export.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/script_export.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>
#include <optional>
#include <set>

namespace runner::cli {
namespace fs = std::filesystem;

namespace {

ScriptOptions script_options(const Context& ctx) {
  const Settings& s = ctx.settings();
  ScriptOptions o;
  o.out_of_order = s.out_of_order;
  o.allow_changed = s.allow_changed;
  o.lock_timeout = std::chrono::seconds(s.lock_timeout_s);
  o.placeholders.values = s.placeholders;
  o.atomic = s.atomic;
  o.scratch_server = s.shadow_url;
  return o;
}

// A file name for a project's script: its id, with anything but [A-Za-z0-9._-] replaced.
std::string script_name(const std::string& id) {
  std::string out;
  for (char c : id) out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '_';
  return "project_" + out + ".sql";
}

void emit(const std::string& text, const std::optional<std::string>& file) {
  if (!file)
    print(text);
  else
    write_file_whole(*file, text, true);
}

// A script written into the migration folder would replace a migration, or be read as one.
void refuse_output_in(const MigrationSet& files, const std::optional<std::string>& output) {
  if (!output) return;
  std::error_code ec;
  const fs::path dir = fs::weakly_canonical(files.dir, ec);
  fs::path target = fs::weakly_canonical(fs::absolute(*output, ec), ec);
  for (fs::path p = target; !dir.empty(); p = p.parent_path()) {
    if (p == dir)
      throw UsageError("-o " + *output + " is inside the migration folder " + files.dir.generic_string() +
                       ": a script there would replace a migration or be read as one; write it elsewhere");
    if (p == p.parent_path()) break;
  }
}

}  // namespace

int export_sql(Context& ctx, Direction direction) {
  const Settings& s = ctx.settings();
  MigrationSet& files = ctx.migrations();
  const ScriptRange range = parse_script_range(s.args.empty() ? std::string() : s.args[0], direction, files);
  const ScriptOptions options = script_options(ctx);
  refuse_output_in(files, s.output);
  const std::string verb = direction == Direction::up ? "upgrade" : "downgrade";
  if (s.lint)
    log().warn(
        "lint = true in {}: a --sql script runs nothing, so nothing was linted; `runner lint FILE...` reads "
        "the files it holds",
        s.config_file ? s.config_file->string() : std::string("the config"));

  // A configured database of another dialect (runner.ini's SQLite default, with --dialect
  // postgresql) is not the one this script is for: start from base then.
  const bool use_database = ctx.has_database() && dialect_name_from_url(*s.database_url) == ctx.dialect().name();

  if (!s.all_projects) {
    // The schema: --schema, else the URL's (describing the URL does not connect).
    const std::string schema = s.schema ? *s.schema : use_database ? ctx.database().schema : std::string();
    emit(database_script(ctx.dialect(), files, direction, range, use_database ? &ctx.database() : nullptr, schema,
                         options),
         s.output);
    return 0;
  }

  // Every project: one script when projects are schemas of one database, one per file in -o DIR.
  const bool files_are_projects = ctx.dialect().projects_query(s.schema_pattern).empty();
  // One script runs against one database: an inventory of several is written database by database.
  if (s.inventory && s.inventory->entries.size() > 1 && !files_are_projects)
    throw UsageError("--sql writes one script for one database's projects, and " + s.inventory->file + " lists " +
                     std::to_string(s.inventory->entries.size()) +
                     " databases: write each one's with -d URL --all-projects --sql");
  std::vector<Project> projects = discover_projects(ctx);
  for (const Project& p : projects)
    if (!p.error.empty()) throw DatabaseError(p.error);
  if (files_are_projects && !s.output)
    throw UsageError("--sql --all-projects writes one script per project when projects are files (" +
                     ctx.dialect().name() + "): give -o DIR");
  if (files_are_projects) {
    // Checked before any script is written: a refused run leaves no partial set behind.
    std::set<std::string> names;
    for (const Project& p : projects)
      if (!names.insert(script_name(p.id)).second)
        throw UsageError("two projects would both write " + script_name(p.id) +
                         "; use a --projects glob with one '*' in the file name");
    fs::create_directories(*s.output);
  }
  std::string combined = script_header(ctx.dialect(), s.atomic && direction == Direction::up);
  for (const Project& p : projects) {
    DatabaseInfo target = ctx.dialect().describe_database(p.url, s.lock_timeout_s);
    std::unique_ptr<Database> live;
    if (!range.from) live = open_for_script(ctx.dialect(), target, options);
    History from = range.from ? *range.from : script_start(*live, files, options);
    std::string section = script_section(ctx.dialect(), direction, files, from, range.to, target.schema,
                                         verb + " project " + p.id + " (" + target.display + ")", live.get(), options);
    if (files_are_projects) {
      emit(script_header(ctx.dialect(), s.atomic && direction == Direction::up) + section,
           (fs::path(*s.output) / script_name(p.id)).string());
    } else {
      combined += section + "\n";
    }
  }
  if (!files_are_projects) emit(combined, s.output);
  return 0;
}

}  // namespace runner::cli
