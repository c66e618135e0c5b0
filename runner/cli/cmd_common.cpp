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
