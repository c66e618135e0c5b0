// SPDX-License-Identifier: MIT
#include "runner/cli/cmd_common.hpp"

#include "runner/cli/context.hpp"
#include "runner/core/errors.hpp"
#include "runner/core/log.hpp"
#include "runner/core/plan.hpp"
#include "runner/cli/output.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/step_source.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace runner::cli {
namespace {

// "0.4 ms", "12 ms", "3.2 s"
std::string format_ms(std::int64_t us) {
  char buf[32];
  if (us < 10000)
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
  else if (us < 10000000)
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(us / 1000));
  else
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(us) / 1e6);
  return buf;
}

// Lists what a run would do, from a history read without the lock. Changes nothing.
int report_dry_run(Context& ctx, Database& db, const MigrationSet& files, const History& history,
                   const std::vector<PreparedStep>& prepared) {
  // Where the database would end, without touching it.
  History after = history;
  for (const auto& p : prepared) {
    if (p.step.direction == Direction::up) {
      AppliedMigration row{p.step.version, p.step.migration->name, p.checksum, "", 0};
      after.insert(std::upper_bound(after.begin(), after.end(), row,
                                    [](const AppliedMigration& a, const AppliedMigration& b) { return a.version < b.version; }),
                   row);
    } else {
      after.erase(std::remove_if(after.begin(), after.end(),
                                 [&](const AppliedMigration& r) { return r.version == p.step.version; }),
                  after.end());
    }
  }
  if (ctx.settings().json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& p : prepared) {
      nlohmann::json statements = nlohmann::json::array();
      for (const auto& st : p.statements) statements.push_back({{"line", st.line}, {"sql", st.sql}});
      steps.push_back({{"version", p.step.version},
                       {"name", p.step.migration->name},
                       {"direction", p.step.direction == Direction::up ? "up" : "down"},
                       {"file", p.file},
                       {"transaction", p.in_transaction},
                       {"statements", statements}});
    }
    print(nlohmann::json{{"database", db.target().display}, {"dry_run", true}, {"from", position_json(history)},
                         {"to", position_json(after)}, {"steps", steps}}
              .dump(2) +
          "\n");
    return 0;
  }
  std::string out = "dry run: " + db.target().display + " is at " + describe_position(history, files) + "; ";
  if (prepared.empty()) {
    print(out + "nothing would run. Nothing was changed.\n");
    return 0;
  }
  out += std::to_string(prepared.size()) + " migration" + (prepared.size() == 1 ? "" : "s") + " would run, in order:\n";
  const bool verbose = ctx.settings().verbosity == Verbosity::verbose;
  for (const auto& p : prepared) {
    out += std::string(p.step.direction == Direction::up ? "  apply  " : "  revert ") + p.label + "  " + p.file + "  (" +
           std::to_string(p.statements.size()) + " statement" + (p.statements.size() == 1 ? "" : "s") + ", " +
           (p.in_transaction ? "in a transaction" : "without a transaction") + ")\n";
    if (verbose)
      for (const auto& st : p.statements) {
        out += "    -- " + p.file + ":" + std::to_string(st.line) + "\n    ";
        for (char c : st.sql) out += c == '\n' ? std::string("\n    ") : std::string(1, c);
        out += st.sql.empty() || st.sql.back() != ';' ? ";\n" : "\n";
      }
  }
  out += "it would end at " + describe_position(after, files) + ". Nothing was changed.\n";
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

void check_drift(Context& ctx, const MigrationSet& files, const History& history) {
  std::vector<Drift> drift = find_drift(files, history);
  if (drift.empty()) return;
  if (ctx.settings().allow_changed) {
    log().warn("proceeding despite applied migrations that changed (--allow-changed):\n{}", describe_drift(drift));
    return;
  }
  throw SafetyError("refusing to run: applied migrations changed since they ran:\n" + describe_drift(drift) +
                    "\nrestore the files as they were applied, or pass --allow-changed to proceed anyway");
}

void expect_args(Context& ctx, std::size_t min, std::size_t max, const char* usage) {
  std::size_t n = ctx.settings().args.size();
  if (n < min) throw UsageError(std::string("missing argument; usage: runner ") + usage);
  if (n > max) throw UsageError("unexpected argument '" + ctx.settings().args[max] + "'; usage: runner " + usage);
}

}  // namespace runner::cli

namespace runner::cli {

int run_steps(Context& ctx, Database& db, const MigrationSet& files, History& history,
              const std::vector<PreparedStep>& prepared, const char* verb) {
  const bool json = ctx.settings().json;
  const bool quiet = ctx.settings().verbosity == Verbosity::quiet;
  const std::string from = describe_position(history, files);
  const nlohmann::json from_json = position_json(history);

  if (ctx.settings().dry_run) return report_dry_run(ctx, db, files, history, prepared);
  if (prepared.empty()) {
    if (json)
      print(nlohmann::json{{"database", db.target().display}, {"from", from_json}, {"to", from_json},
                           {"applied", nlohmann::json::array()}}
                .dump(2) +
            "\n");
    else if (!quiet)
      print("nothing to do: " + db.target().display + " is at " + from + "\n");
    return 0;
  }
  if (!json && !quiet) print(std::string(verb) + " " + db.target().display + " from " + from + "\n");

  auto on_done = [&](const StepResult& r) {
    if (!json && !quiet)
      print(std::string(r.direction == Direction::up ? "  applied  " : "  reverted ") + r.label + " (" +
            format_ms(r.execution_us) + ")\n");
  };
  std::vector<StepResult> done = execute_steps(db, files, history, prepared, on_done);

  if (json) {
    nlohmann::json applied = nlohmann::json::array();
    for (const auto& r : done)
      applied.push_back({{"version", r.version},
                         {"name", r.name},
                         {"direction", r.direction == Direction::up ? "up" : "down"},
                         {"execution_ms", r.execution_ms}});
    print(nlohmann::json{{"database", db.target().display}, {"from", from_json}, {"to", position_json(history)},
                         {"applied", applied}}
              .dump(2) +
          "\n");
  } else if (!quiet) {
    print("now at " + describe_position(history, files) + " (" + std::to_string(done.size()) + " migration" +
          (done.size() == 1 ? "" : "s") + ")\n");
  }
  return 0;
}

}  // namespace runner::cli
