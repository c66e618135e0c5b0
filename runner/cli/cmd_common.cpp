// SPDX-License-Identifier: MIT
#include "runner/cli/cmd_common.hpp"

#include "runner/api/migrator_access.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/replica_report.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/offline_translation.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace runner::cli {
namespace {

// Lists what a run would do, from a history read without the lock. Changes nothing.
int report_dry_run(Context& ctx, const RunReport& r) {
  const bool verbose = ctx.settings().verbosity == Verbosity::verbose;
  if (ctx.settings().json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& p : r.planned) {
      nlohmann::json statements = nlohmann::json::array();
      for (const auto& st : p.statements) statements.push_back({{"line", st.line}, {"sql", st.sql}});
      steps.push_back({{"version", p.version},
                       {"name", p.name},
                       {"direction", p.up ? "up" : "down"},
                       {"file", p.file},
                       {"transaction", p.in_transaction},
                       {"runs", p.transaction},
                       {"statements", statements}});
    }
    nlohmann::json j{{"database", r.database},
                     {"dry_run", true},
                     {"from", position_json(r.before)},
                     {"to", position_json(r.after)},
                     {"steps", steps}};
    if (ctx.settings().atomic) j["atomic"] = true;
    print(j.dump(2) + "\n");
    return 0;
  }
  // --atomic: the steps share the run's one transaction.
  const bool atomic = ctx.settings().atomic && !r.planned.empty() && r.planned.front().up;
  std::string out = "dry run: " + r.database + " is at " + r.before.label + "; ";
  if (r.planned.empty()) {
    print(out + "nothing would run. Nothing was changed.\n");
    return 0;
  }
  out += std::to_string(r.planned.size()) + " migration" + (r.planned.size() == 1 ? "" : "s") + " would run, in order" +
         (atomic ? ", all in one transaction with their history rows (--atomic)" : "") + ":\n";
  for (const auto& p : r.planned) {
    out += std::string(p.up ? "  apply  " : "  revert ") + p.label + "  " + p.file + "  (" +
           std::to_string(p.statements.size()) + " statement" + (p.statements.size() == 1 ? "" : "s") +
           (atomic ? "" : ", " + p.transaction) + ")\n";
    if (verbose)
      for (const auto& st : p.statements) {
        // Printed as it goes: a data file's listing is its size again.
        if (out.size() > (std::size_t{1} << 16)) {
          print(out);
          out.clear();
        }
        out += "    -- " + st.file + ":" + std::to_string(st.line) + "\n    ";
        for (std::size_t at = 0, nl; at <= st.sql.size(); at = nl + 1) {
          nl = st.sql.find('\n', at);
          if (nl == std::string::npos) nl = st.sql.size();
          out.append(st.sql, at, nl - at);
          if (nl < st.sql.size()) out += "\n    ";
        }
        out += st.sql.empty() || st.sql.back() != ';' ? ";\n" : "\n";
      }
  }
  out += "it would end at " + r.after.label + ". Nothing was changed.\n";
  print(out);
  return 0;
}

}  // namespace

nlohmann::json position_json(const Position& position) {
  nlohmann::json j;
  j["version"] = position.version == 0 ? nlohmann::json(nullptr) : nlohmann::json(position.version);
  j["name"] = position.version == 0 ? nlohmann::json(nullptr) : nlohmann::json(position.name);
  return j;
}

std::vector<std::string> schema_list(const Context& ctx) {
  std::vector<std::string> schemas;
  const auto& given = ctx.settings().schema;
  if (!given) return schemas;
  std::string::size_type from = 0;
  while (true) {
    const auto comma = given->find(',', from);
    const std::string name = given->substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (name.empty()) throw UsageError("--schema '" + *given + "': an empty schema name");
    if (std::find(schemas.begin(), schemas.end(), name) != schemas.end())
      throw UsageError("--schema '" + *given + "' names " + name + " twice");
    schemas.push_back(name);
    if (comma == std::string::npos) return schemas;
    from = comma + 1;
  }
}

nlohmann::json difference_json(const SchemaDifferenceInfo& d) {
  return nlohmann::json{
      {"kind", d.kind},       {"object", d.object},
      {"name", d.name},       {"table", d.table.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.table)},
      {"details", d.details}, {"text", d.text}};
}

nlohmann::json partial_json(const PartialInfo& p) {
  auto text = [](const std::string& v) { return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return nlohmann::json{{"version", p.version},
                        {"name", p.name},
                        {"direction", p.up ? "up" : "down"},
                        {"statements", p.statements},
                        {"applied", p.applied},
                        {"error", text(p.error)},
                        {"file", text(p.error_file)},
                        {"line", p.error_line == 0 ? nlohmann::json(nullptr) : nlohmann::json(p.error_line)},
                        {"started_at", p.started_at},
                        {"updated_at", p.updated_at}};
}

std::string partial_text(const PartialInfo& p) {
  std::string out = p.label + ": stopped part-way " + (p.up ? "upgrading" : "downgrading") + ", " +
                    std::to_string(p.applied) + " of " + std::to_string(p.statements) + " statements applied";
  if (p.error.empty())
    return out +
           "; the run that began it ended without recording why (killed, or aborted by a second signal), and a "
           "statement may still be running on the server";
  const std::string where =
      p.error_file.empty() ? "" : p.error_file + (p.error_line ? ":" + std::to_string(p.error_line) : "") + ": ";
  return out + "; " + where + p.error.substr(0, p.error.find('\n'));
}

nlohmann::json position_json(const History& history) {
  nlohmann::json j;
  if (history.empty()) {
    j["version"] = nullptr;
    j["name"] = nullptr;
  } else {
    j["version"] = history.back().version;
    j["name"] = history.back().name;
  }
  return j;
}

void refuse_shadow_url_online(const Context& ctx) {
  const auto& given = ctx.settings().given_command_options;
  if (std::find(given.begin(), given.end(), "shadow-url") != given.end())
    throw UsageError("--shadow-url goes with --sql: a run translates against the database itself");
}

void expect_args(Context& ctx, std::size_t min, std::size_t max, const char* usage) {
  std::size_t n = ctx.settings().args.size();
  if (n < min) throw UsageError(std::string("missing argument; usage: runner ") + usage);
  if (n > max) throw UsageError("unexpected argument '" + ctx.settings().args[max] + "'; usage: runner " + usage);
}

RunOptions run_options(const Context& ctx) {
  RunOptions o;
  o.dry_run = ctx.settings().dry_run;
  o.allow_changed = ctx.settings().allow_changed;
  o.out_of_order = ctx.settings().out_of_order;
  o.lock_timeout = std::chrono::seconds(ctx.settings().lock_timeout_s);
  o.placeholders.values = ctx.settings().placeholders;
  return o;
}

Placeholders placeholders(const Context& ctx, const std::string& schema) {
  Placeholders p;
  p.values = ctx.settings().placeholders;
  p.values[k_schema_placeholder] = schema;
  return p;
}

MigratorOptions migrator_options(const Context& ctx, const char* verb) {
  const Settings& s = ctx.settings();
  MigratorOptions o;
  o.dry_run = s.dry_run;
  o.translate_plan = s.dry_run && (s.json || s.verbosity == Verbosity::verbose);
  o.allow_changed = s.allow_changed;
  o.out_of_order = s.out_of_order;
  o.lock_timeout = std::chrono::seconds(s.lock_timeout_s);
  o.lock_wait = std::chrono::milliseconds(s.lock_wait_ms);
  o.lock_retries = s.lock_retries;
  o.statement_timeout = std::chrono::milliseconds(s.statement_timeout_ms);
  o.backup = s.backup.has_value();
  o.backup_dir = s.backup.value_or("");
  o.backup_keep = s.backup_keep;
  o.lint = s.lint;
  o.atomic = s.atomic;
  // One file holds one database's schema: with --all-projects there is none to name.
  if (s.dump_schema && !s.all_projects) o.dump_schema_file = *s.dump_schema;
  o.shadow_url = s.shadow_url;
  o.placeholders = s.placeholders;
  if (verb == nullptr || s.json || s.verbosity == Verbosity::quiet || s.dry_run) return o;
  const std::string v = verb;
  o.on_plan = [v](const RunReport& r) {
    if (!r.planned.empty()) print(v + " " + r.database + " from " + r.before.label + "\n");
    if (!r.backup.empty()) print("  backed up to " + r.backup + "\n");
  };
  o.on_step = [](const StepInfo& step) {
    print(std::string(step.up ? "  applied  " : "  reverted ") + step.label + " (" + duration_text(step.execution_us) +
          ")\n");
  };
  return o;
}

Migrator open_migrator(Context& ctx, const MigratorOptions& options, const MigrationSet* files) {
  if (files != nullptr)
    return MigratorAccess::open(
        ctx.dialect(), ctx.database(), [files]() -> const MigrationSet& { return *files; }, options, true,
        &ctx.cancellation());
  // Scanned when the command first needs them; upgrade and downgrade open the database meanwhile.
  return MigratorAccess::open(
      ctx.dialect(), ctx.database(), [&ctx]() -> const MigrationSet& { return ctx.migrations(); }, options, true,
      &ctx.cancellation());
}

int wait_after(Context& ctx, int rc) {
  if (rc != k_exit_ok || !ctx.settings().wait_replicas) return rc;
  return wait_for_replicas(ctx, {ctx.database()});
}

int report_run(Context& ctx, const RunReport& r) {
  if (r.dry_run) return report_dry_run(ctx, r);
  if (ctx.settings().json) {
    nlohmann::json applied = nlohmann::json::array();
    for (const auto& step : r.steps)
      applied.push_back({{"version", step.version},
                         {"name", step.name},
                         {"direction", step.up ? "up" : "down"},
                         {"execution_ms", step.execution_us / 1000}});
    nlohmann::json j{{"database", r.database},
                     {"from", position_json(r.before)},
                     {"to", position_json(r.after)},
                     {"applied", applied}};
    if (!r.backup.empty()) j["backup"] = r.backup;
    print(j.dump(2) + "\n");
  } else if (ctx.settings().verbosity != Verbosity::quiet) {
    if (r.steps.empty())
      print("nothing to do: " + r.database + " is at " + r.before.label + "\n");
    else
      print("now at " + r.after.label + " (" + std::to_string(r.steps.size()) + " migration" +
            (r.steps.size() == 1 ? "" : "s") + ")\n");
  }
  return 0;
}

}  // namespace runner::cli
