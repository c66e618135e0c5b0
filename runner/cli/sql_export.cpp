// SPDX-License-Identifier: MIT
#include "runner/cli/sql_export.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/version.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/project_runner.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/offline_translation.hpp"
#include "runner/engine/operations.hpp"
#include "runner/engine/sql_script.hpp"

#include <cctype>
#include <filesystem>
#include <optional>
#include <set>

namespace runner::cli {
namespace fs = std::filesystem;

namespace {

struct Range {
  std::optional<History> from;  // empty: the database's current version
  Target to;
};

// FROM is base, head or a version; the history a script starts from.
History parse_from(const std::string& text, const MigrationSet& files) {
  if (text == "base") return {};
  if (text == "head") return history_up_to(files, files.migrations.empty() ? 0 : files.migrations.back().version);
  Target v = parse_target(text, TargetUse::stamp);
  if (v.kind != Target::Kind::version)
    throw UsageError("invalid FROM '" + text + "' (expected base, head or a version)");
  return history_up_to(files, v.version);
}

Range parse_range(Context& ctx, Direction direction, const MigrationSet& files) {
  const auto& args = ctx.settings().args;
  std::string text = args.empty() ? (direction == Direction::up ? "head" : "") : args[0];
  if (text.empty()) throw UsageError("downgrade --sql needs FROM:TO, e.g. head:base or 0010:0005");
  Range r;
  std::size_t colon = text.find(':');
  if (colon != std::string::npos) {
    r.from = parse_from(text.substr(0, colon), files);
    text = text.substr(colon + 1);
  }
  r.to = parse_target(text, direction == Direction::up ? TargetUse::upgrade : TargetUse::downgrade);
  return r;
}

// live: the database FROM was read from, whose own schema the statements are translated against.
std::string script_for(Context& ctx, Direction direction, const MigrationSet& files, const History& from,
                       const Target& to, const std::string& schema, const std::string& title, Database* live) {
  std::vector<Step> steps = direction == Direction::up ? plan_upgrade(files, from, to, ctx.settings().out_of_order)
                                                       : plan_downgrade(files, from, to);
  // The schema the script targets: --schema, else the live database's.
  const Placeholders values = placeholders(ctx, !schema.empty() || live == nullptr ? schema : live->info().schema);
  std::vector<PreparedStep> prepared = prepare_steps(steps, ctx.dialect(), values, &files.callbacks);
  translate_offline(ctx.dialect(), files, from, prepared, values,
                    live != nullptr && live->connected() ? &live->connection() : nullptr,
                    live != nullptr ? live->info().schema : std::string());
  return render_script_section(ctx.dialect().runner_sql(schema), prepared,
                               title + ": from " + describe_position(from, files) + " to " +
                                   describe_position(history_after(from, prepared), files));
}

std::string header(Context& ctx) {
  const RunnerSql history = ctx.dialect().runner_sql("");
  std::string out = "-- Written by runner " + std::string(version()) + " (" + ctx.dialect().name() + ") on " +
                    utc_now_iso() + ". Review, then run with:\n--   " + history.script_usage +
                    "\n-- Each migration commits with its runner_history row; a failure stops at the last good one.\n";
  for (const auto& line : history.script_header) out += line + "\n";
  return out + "\n";
}

// The database opened to read FROM, kept open while its script is translated.
std::unique_ptr<Database> open_live(Context& ctx, const DatabaseInfo& target) {
  return std::make_unique<Database>(ctx.dialect(), target, AccessMode::read,
                                    std::chrono::seconds(ctx.settings().lock_timeout_s));
}

// The history of a database, read without the lock; refused like the online run when applied
// files changed.
History current_history(Database& db, const MigrationSet& files, const Context& ctx) {
  const DatabaseInfo& target = db.info();
  History history = db.load_history();
  check_drift(files, history, ctx.settings().allow_changed, target.display, "refusing to write a script for");
  return history;
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
  Range range = parse_range(ctx, direction, files);
  refuse_output_in(files, s.output);
  const std::string verb = direction == Direction::up ? "upgrade" : "downgrade";

  // A configured database of another dialect (runner.ini's SQLite default, with --dialect
  // postgresql) is not the one this script is for: start from base then.
  const bool use_database = ctx.has_database() && dialect_name_from_url(*s.database_url) == ctx.dialect().name();

  if (!s.all_projects) {
    // The schema: --schema, else the URL's (describing the URL does not connect).
    std::string schema = s.schema ? *s.schema : use_database ? ctx.database().schema : std::string();
    History from;
    std::unique_ptr<Database> live;
    if (range.from) {
      from = *range.from;
    } else if (use_database) {
      live = open_live(ctx, ctx.database());
      from = current_history(*live, files, ctx);
    } else if (direction == Direction::down) {
      throw UsageError("downgrade --sql without a database needs FROM:TO, e.g. head:base");
    }
    std::string title = verb + (use_database && !range.from ? " " + ctx.database().display : "");
    emit(header(ctx) + script_for(ctx, direction, files, from, range.to, schema, title, live.get()), s.output);
    return 0;
  }

  // Every project: one script when projects are schemas of one database, one per file in -o DIR.
  std::vector<Project> projects = discover_projects(ctx);
  const bool files_are_projects = ctx.dialect().projects_query(s.schema_pattern).empty();
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
  std::string combined = header(ctx);
  for (const Project& p : projects) {
    DatabaseInfo target = ctx.dialect().describe_database(p.url, s.lock_timeout_s);
    std::unique_ptr<Database> live;
    if (!range.from) live = open_live(ctx, target);
    History from = range.from ? *range.from : current_history(*live, files, ctx);
    std::string section = script_for(ctx, direction, files, from, range.to, target.schema,
                                     verb + " project " + p.id + " (" + target.display + ")", live.get());
    if (files_are_projects) {
      emit(header(ctx) + section, (fs::path(*s.output) / script_name(p.id)).string());
    } else {
      combined += section + "\n";
    }
  }
  if (!files_are_projects) emit(combined, s.output);
  return 0;
}

}  // namespace runner::cli
