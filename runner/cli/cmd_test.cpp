// SPDX-License-Identifier: MIT
// runner test [--from V] [--to V]: does every down undo its up? Checked on a shadow, never on the
// database. Exit 0 when every round trip holds, 1 at the first that does not.
#include "plugins/loader/dialect_loader.hpp"
#include "runner/api/migrator_access.hpp"
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/engine/migration_test.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace runner::cli {
namespace {

std::int64_t version_option(const Context& ctx, const char* name) {
  const auto& options = ctx.settings().import_options;
  auto it = options.find(name);
  if (it == options.end()) return 0;
  const std::string& v = it->second;
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(std::string("--") + name + " must be a migration version (digits), not '" + v + "'");
  return std::stoll(v);
}

nlohmann::json report_json(const MigrationTestReport& r) {
  nlohmann::json failure = nullptr;
  if (r.failed_version != 0) {
    nlohmann::json differences = nlohmann::json::array();
    for (const auto& d : r.differences) differences.push_back(difference_json(d));
    failure = {
        {"version", r.failed_version}, {"label", r.failed_label}, {"phase", r.phase}, {"differences", differences}};
  }
  return nlohmann::json{{"shadow", r.shadow}, {"checked", r.checked}, {"irreversible", r.irreversible},
                        {"failure", failure}, {"seconds", r.seconds}, {"passed", r.failed_version == 0}};
}

std::string report_text(const MigrationTestReport& r, Verbosity verbosity) {
  std::string out;
  if (r.failed_version != 0) {
    out += r.failed_label + ": " +
           (r.phase == "down" ? "its down does not give back the schema before its up"
                              : "its up, run again after its down, builds another schema than the first time") +
           ":\n";
    for (const auto& d : r.differences) out += "  " + d.text + "\n";
  }
  if (verbosity == Verbosity::quiet) return out;
  for (const auto& label : r.irreversible) out += label + ": irreversible (no down file): applied, not checked\n";
  out += std::to_string(r.checked) + (r.checked == 1 ? " migration's" : " migrations'") + " round trip held";
  if (!r.irreversible.empty()) out += ", " + std::to_string(r.irreversible.size()) + " irreversible";
  if (r.failed_version != 0) out += ", then " + r.failed_label + " did not";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", r.seconds);
  out += " (in " + r.shadow + ", " + seconds + ")\n";
  return out;
}

}  // namespace

int cmd_test(Context& ctx) {
  expect_args(ctx, 0, 0, "test [--from VERSION] [--to VERSION]");
  const std::int64_t from = version_option(ctx, "from"), to = version_option(ctx, "to");
  MigrationTestReport report;
  const Settings& s = ctx.settings();
  // A configured database of the dialect lends its server to a shadow schema; else memory, or
  // --shadow-url's server.
  if (ctx.has_database() && dialect_name_from_url(*s.database_url) == ctx.dialect().name()) {
    report = open_migrator(ctx, migrator_options(ctx)).test(from, to, schema_list(ctx));
  } else {
    MigrationTestOptions o;
    o.from = static_cast<std::uint64_t>(from);
    o.to = static_cast<std::uint64_t>(to);
    o.shadow_url = s.shadow_url;
    o.schemas = schema_list(ctx);
    o.placeholders = placeholders(ctx, "");
    o.lock_timeout = std::chrono::seconds(s.lock_timeout_s);
    o.cancel = &ctx.cancellation();
    report = MigratorAccess::test_report(test_migrations(ctx.dialect(), ctx.migrations(), o));
  }
  if (s.json)
    print(report_json(report).dump(2) + "\n");
  else
    print(report_text(report, s.verbosity));
  if (ctx.cancellation().requested()) return interrupted_exit_code(ctx.cancellation().signal());
  return report.failed_version == 0 ? 0 : k_exit_failure;
}

}  // namespace runner::cli
