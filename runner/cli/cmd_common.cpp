// SPDX-License-Identifier: MIT
#include "runner/cli/cmd_common.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/offline_translation.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace runner::cli {
namespace {

// Lists what a run would do, from a history read without the lock. Changes nothing.
int report_dry_run(Context& ctx, const MigrationSet& files, const Outcome& shown) {
  const bool verbose = ctx.settings().verbosity == Verbosity::verbose;
  Outcome outcome = shown;
  // The statements are shown as they would run: translated by the dialect where it must.
  if (verbose || ctx.settings().json)
    translate_offline(ctx.dialect(), files, outcome.before, outcome.planned, outcome.placeholders);
  if (ctx.settings().json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& p : outcome.planned) {
      nlohmann::json statements = nlohmann::json::array();
      for (const auto& st : p.statements) statements.push_back({{"line", st.line}, {"sql", st.sql}});
      steps.push_back({{"version", p.step.version},
                       {"name", p.step.migration->name},
                       {"direction", p.step.direction == Direction::up ? "up" : "down"},
                       {"file", p.file},
                       {"transaction", p.in_transaction},
                       {"statements", statements}});
    }
    print(nlohmann::json{{"database", outcome.display},
                         {"dry_run", true},
                         {"from", position_json(outcome.before)},
                         {"to", position_json(outcome.after)},
                         {"steps", steps}}
              .dump(2) +
          "\n");
    return 0;
  }
  std::string out = "dry run: " + outcome.display + " is at " + describe_position(outcome.before, files) + "; ";
  if (outcome.planned.empty()) {
    print(out + "nothing would run. Nothing was changed.\n");
    return 0;
  }
  out += std::to_string(outcome.planned.size()) + " migration" + (outcome.planned.size() == 1 ? "" : "s") +
         " would run, in order:\n";
  for (const auto& p : outcome.planned) {
    out += std::string(p.step.direction == Direction::up ? "  apply  " : "  revert ") + p.label + "  " + p.file +
           "  (" + std::to_string(p.statements.size()) + " statement" + (p.statements.size() == 1 ? "" : "s") + ", " +
           (p.in_transaction ? "in a transaction" : "without a transaction") + ")\n";
    if (verbose)
      for (const auto& st : p.statements) {
        // Printed as it goes: a data file's listing is its size again.
        if (out.size() > (std::size_t{1} << 16)) {
          print(out);
          out.clear();
        }
        out += "    -- " + statement_file(p, st) + ":" + std::to_string(st.line) + "\n    ";
        for (std::size_t at = 0, nl; at <= st.sql.size(); at = nl + 1) {
          nl = st.sql.find('\n', at);
          if (nl == std::string::npos) nl = st.sql.size();
          out.append(st.sql, at, nl - at);
          if (nl < st.sql.size()) out += "\n    ";
        }
        out += st.sql.empty() || st.sql.back() != ';' ? ";\n" : "\n";
      }
  }
  out += "it would end at " + describe_position(outcome.after, files) + ". Nothing was changed.\n";
  print(out);
  return 0;
}

}  // namespace

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

StepEvents print_steps(Context& ctx, const MigrationSet& files, const char* verb) {
  StepEvents p;
  if (ctx.settings().json || ctx.settings().verbosity == Verbosity::quiet || ctx.settings().dry_run) return p;
  std::string v = verb;
  p.planned = [&files, v](const Outcome& o) {
    if (!o.planned.empty()) print(v + " " + o.display + " from " + describe_position(o.before, files) + "\n");
  };
  p.step_done = [](const StepResult& r) {
    print(std::string(r.direction == Direction::up ? "  applied  " : "  reverted ") + r.label + " (" +
          duration_text(r.execution_us) + ")\n");
  };
  return p;
}

int report_migration(Context& ctx, const MigrationSet& files, const Outcome& outcome) {
  if (ctx.settings().dry_run) return report_dry_run(ctx, files, outcome);
  if (ctx.settings().json) {
    nlohmann::json applied = nlohmann::json::array();
    for (const auto& r : outcome.done)
      applied.push_back({{"version", r.version},
                         {"name", r.name},
                         {"direction", r.direction == Direction::up ? "up" : "down"},
                         {"execution_ms", r.execution_ms}});
    print(nlohmann::json{{"database", outcome.display},
                         {"from", position_json(outcome.before)},
                         {"to", position_json(outcome.after)},
                         {"applied", applied}}
              .dump(2) +
          "\n");
  } else if (ctx.settings().verbosity != Verbosity::quiet) {
    if (outcome.done.empty())
      print("nothing to do: " + outcome.display + " is at " + describe_position(outcome.before, files) + "\n");
    else
      print("now at " + describe_position(outcome.after, files) + " (" + std::to_string(outcome.done.size()) +
            " migration" + (outcome.done.size() == 1 ? "" : "s") + ")\n");
  }
  return 0;
}

}  // namespace runner::cli
