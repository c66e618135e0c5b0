// SPDX-License-Identifier: MIT
// runner diff --to FILE [--from-db]: the statements that take the schema the migrations build (or
// the database's) to the one FILE builds. Exit 0 when they are the same, 3 when they differ.
#include "runner/cli/cmd_diff.hpp"

#include "plugins/loader/dialect_loader.hpp"
#include "runner/api/migrator_access.hpp"
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace runner::cli {
namespace {

nlohmann::json differences_json(const std::vector<SchemaDifference>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : list) out.push_back(difference_json(MigratorAccess::difference_info(d)));
  return out;
}

}  // namespace

SchemaDiffResult run_diff(Context& ctx, bool for_new) {
  const Settings& s = ctx.settings();
  auto to = s.import_options.find("to");
  if (to == s.import_options.end()) throw UsageError("--to FILE: the schema to compare with is required");
  SchemaDiffOptions o;
  o.to = to->second;
  o.from_db = s.from_db;
  o.require_head = for_new;
  o.shadow_url = s.shadow_url;
  o.placeholders = placeholders(ctx, "");
  o.lock_timeout = std::chrono::seconds(s.lock_timeout_s);
  o.cancel = &ctx.cancellation();
  // A configured database of the dialect lends its server to the shadows (and is the start with
  // --from-db).
  const bool has_db = ctx.has_database() && dialect_name_from_url(*s.database_url) == ctx.dialect().name();
  if (has_db) o.live = &ctx.database();
  return diff_schemas(ctx.dialect(), ctx.migrations(), o);
}

std::vector<std::string> diff_warnings(const SchemaDiffResult& r, const std::string& file) {
  std::vector<std::string> out;
  for (const auto& n : r.up.not_generated) out.push_back("not generated (write it by hand): " + n);
  if (!r.check_error.empty()) out.push_back("the generated statements failed on a shadow: " + r.check_error);
  for (const auto& d : r.up_left) out.push_back("the generated up does not reach " + file + ": " + d.text());
  for (const auto& d : r.down_left) out.push_back("the generated down does not give back the start: " + d.text());
  return out;
}

int cmd_diff(Context& ctx) {
  expect_args(ctx, 0, 0, "diff --to FILE [--from-db]");
  const SchemaDiffResult r = run_diff(ctx);
  const Settings& s = ctx.settings();
  const std::string file = s.import_options.at("to");
  const std::vector<std::string> warnings = diff_warnings(r, file);
  if (s.json) {
    print(
        nlohmann::json{{"from", r.from},
                       {"to", file},
                       {"same", r.differences.empty()},
                       {"differences", differences_json(r.differences)},
                       {"up", change_file_text(r.up, {})},
                       {"down", change_file_text(r.down, {})},
                       {"destructive", r.up.destructive},
                       {"not_generated", r.up.not_generated},
                       {"up_left", differences_json(r.up_left)},
                       {"down_left", differences_json(r.down_left)},
                       {"check_error", r.check_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.check_error)}}
            .dump(2) +
        "\n");
  } else if (r.differences.empty()) {
    if (s.verbosity != Verbosity::quiet) print("no difference: " + r.from + " is " + file + "'s\n");
  } else {
    std::vector<std::string> header{"from " + r.from, "to " + file + ":"};
    for (const auto& d : r.differences) header.push_back("  " + d.text());
    print(change_file_text(r.up, header));
    for (const auto& w : warnings) std::fprintf(stderr, "runner: warning: %s\n", w.c_str());
  }
  if (ctx.cancellation().requested()) return interrupted_exit_code(ctx.cancellation().signal());
  return r.differences.empty() ? 0 : k_exit_refused;
}

}  // namespace runner::cli
