// SPDX-License-Identifier: MIT
#include "runner/cli/project_summary.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/error_report.hpp"
#include "runner/cli/output.hpp"
#include "runner/core/plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

namespace runner::cli {
namespace {

const char* status_name(ProjectStatus s) {
  switch (s) {
    case ProjectStatus::ok: return "ok";
    case ProjectStatus::failed: return "failed";
    case ProjectStatus::refused: return "refused";
    case ProjectStatus::interrupted: return "interrupted";
    case ProjectStatus::not_run: return "not run";
    case ProjectStatus::drifted: return "drift";
  }
  return "?";
}

std::string server_shown(const Project& p) { return p.server.empty() ? "(files)" : p.server; }

// "SERVER: N projects: a ok, b failed..." for each server, in the order they first appear.
std::string server_lines(const std::vector<ProjectResult>& results) {
  std::vector<std::string> order;
  std::map<std::string, std::map<ProjectStatus, std::size_t>> counts;
  for (const auto& r : results) {
    const std::string server = server_shown(r.project);
    if (counts.find(server) == counts.end()) order.push_back(server);
    ++counts[server][r.status];
  }
  std::string out;
  for (const auto& server : order) {
    std::size_t total = 0;
    std::string parts;
    for (const auto& [status, n] : counts[server]) {
      total += n;
      parts += std::string(parts.empty() ? "" : ", ") + std::to_string(n) + " " + status_name(status);
    }
    out += server + ": " + std::to_string(total) + (total == 1 ? " project: " : " projects: ") + parts + "\n";
  }
  return out;
}

// The full message of each failure, after the table, naming its project; once for the projects
// of one server that failed with the same message (a standby turns every one of them away).
void print_errors(const std::vector<ProjectResult>& results, bool by_server) {
  struct Group {
    std::string server, error, first_error;  // error: without the database it names first
    std::vector<std::string> ids;
  };
  std::vector<Group> groups;
  for (const auto& r : results) {
    if (r.status != ProjectStatus::failed && r.status != ProjectStatus::refused &&
        r.status != ProjectStatus::interrupted)
      continue;
    const std::string server = by_server ? r.project.server : "";
    const std::string named = r.report.database + ": ";
    const std::string error =
        !r.report.database.empty() && starts_with(r.error, named) ? r.error.substr(named.size()) : r.error;
    auto same = std::find_if(groups.begin(), groups.end(),
                             [&](const Group& g) { return g.server == server && g.error == error; });
    if (same == groups.end()) same = groups.insert(groups.end(), Group{server, error, r.error, {}});
    same->ids.push_back(r.project.id);
  }
  constexpr std::size_t k_named = 5;
  for (const auto& g : groups) {
    std::string who = g.ids.size() == 1 ? "project " + g.ids[0] : "projects ";
    for (std::size_t i = 0; g.ids.size() > 1 && i < std::min(g.ids.size(), k_named); ++i)
      who += (i > 0 ? ", " : "") + g.ids[i];
    if (g.ids.size() > k_named) who += " and " + std::to_string(g.ids.size() - k_named) + " more";
    if (!g.server.empty()) who += " on " + g.server;
    std::fprintf(stderr, "runner: error: %s: %s\n", who.c_str(), (g.ids.size() == 1 ? g.first_error : g.error).c_str());
  }
}

}  // namespace

int report_projects(Context& ctx, const std::vector<ProjectResult>& results, double total_seconds, bool inspect) {
  const Settings& s = ctx.settings();
  std::size_t ok = 0, failed = 0, refused = 0, interrupted = 0, not_run = 0, migrations = 0, drifted = 0;
  // adopt records migrations; it runs none.
  const bool records = std::any_of(results.begin(), results.end(),
                                   [](const ProjectResult& r) { return r.planned && !r.report.note.empty(); });
  for (const auto& r : results) {
    ok += r.status == ProjectStatus::ok;
    failed += r.status == ProjectStatus::failed;
    refused += r.status == ProjectStatus::refused;
    interrupted += r.status == ProjectStatus::interrupted;
    not_run += r.status == ProjectStatus::not_run;
    drifted += r.status == ProjectStatus::drifted;
    migrations += r.report.migrations;
  }

  if (s.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results) {
      nlohmann::json j{{"project", r.project.id}, {"status", status_name(r.status)}, {"seconds", r.seconds}};
      if (!r.project.server.empty()) j["server"] = r.project.server;
      if (!r.report.database.empty()) j["database"] = r.report.database;
      if (r.planned) {
        j["from"] = position_json(r.report.before);
        j["to"] = position_json(r.report.after);
        if (inspect) {
          j["applied"] = r.report.applied;
          j["pending"] = r.report.pending;
          j["partial"] = nlohmann::json::array();
          for (const auto& p : r.report.partial) j["partial"].push_back(partial_json(p));
        } else {
          j["migrations"] = r.report.migrations;
        }
        if (s.dry_run) j["dry_run"] = true;
        if (!r.report.note.empty()) j["found"] = r.report.note;
        if (!r.report.backup.empty()) j["backup"] = r.report.backup;
        if (r.report.drift_checked) {
          j["differences"] = nlohmann::json::array();
          for (const auto& d : r.report.differences) j["differences"].push_back(difference_json(d));
        }
      }
      if (r.status != ProjectStatus::ok) j["error"] = r.error;
      if (r.exit_code != 0) {
        j["exit_code"] = r.exit_code;
        j["category"] = error_category(r.exit_code);
      }
      out.push_back(j);
    }
    print(out.dump(2) + "\n");
  } else {
    std::vector<std::vector<std::string>> table;
    // A fleet run (--databases) shows each project's server, and a line per server.
    const bool by_server = s.inventory.has_value();
    if (inspect)
      table.push_back({"PROJECT", "CURRENT", "APPLIED", "PENDING", "STATUS"});
    else
      table.push_back({"PROJECT", "FROM", "TO",
                       records ? (s.dry_run ? "WOULD RECORD" : "RECORDED") : (s.dry_run ? "WOULD RUN" : "MIGRATIONS"),
                       "TIME", "STATUS"});
    if (by_server) table.back().insert(table.back().begin(), "SERVER");
    for (const auto& r : results) {
      const bool has = r.planned;
      std::string status = status_name(r.status);
      if (!has && !r.error.empty()) status += ": " + first_line(r.error);
      if (r.status == ProjectStatus::drifted)
        status += ": " + std::to_string(r.report.differences.size()) +
                  (r.report.differences.size() == 1 ? " difference" : " differences");
      if (has && !r.report.note.empty()) status += " (" + r.report.note + ")";
      if (has && !r.report.backup.empty()) status += " (backup: " + r.report.backup + ")";
      for (const auto& p : r.report.partial)
        status += " (partial: " + p.label + ", " + std::to_string(p.applied) + " of " + std::to_string(p.statements) +
                  " statements applied)";
      if (inspect) {
        table.push_back({r.project.id, has ? r.report.after.label : "-", has ? std::to_string(r.report.applied) : "-",
                         has ? std::to_string(r.report.pending) : "-", status});
      } else {
        table.push_back({r.project.id, has ? r.report.before.label : "-", has ? r.report.after.label : "-",
                         has ? std::to_string(r.report.migrations) : "-",
                         duration_text(static_cast<std::int64_t>(r.seconds * 1e6)), status});
      }
      if (by_server) table.back().insert(table.back().begin(), server_shown(r.project));
    }
    std::string out = format_table(table);
    if (by_server) out += server_lines(results);
    out += std::to_string(results.size()) + (results.size() == 1 ? " project: " : " projects: ") + std::to_string(ok) +
           " ok, " + std::to_string(failed) + " failed, " + std::to_string(refused) + " refused" +
           (interrupted ? ", " + std::to_string(interrupted) + " interrupted" : "") +
           (not_run ? ", " + std::to_string(not_run) + " not run" : "") +
           (drifted ? ", " + std::to_string(drifted) + " drifted" : "");
    if (!inspect)
      out += "; " + std::to_string(migrations) +
             (records ? (s.dry_run ? " migrations would be recorded" : " migrations recorded")
                      : (s.dry_run ? " migrations would run" : " migrations"));
    out += " in " + duration_text(static_cast<std::int64_t>(total_seconds * 1e6)) +
           (s.dry_run ? ". Nothing was changed." : "") + "\n";
    // What drifted, project by project: the results, on stdout after the table.
    for (const auto& r : results)
      for (const auto& d : r.report.differences) out += "project " + r.project.id + ": " + d.text + "\n";
    print(out);
  }
  print_errors(results, s.inventory.has_value());

  // Stopped by a signal: the run did not finish, whatever else happened.
  if (ctx.cancellation().requested()) return interrupted_exit_code(ctx.cancellation().signal());
  const auto any_code = [&](int code) {
    return std::any_of(results.begin(), results.end(), [&](const ProjectResult& r) { return r.exit_code == code; });
  };
  if (failed > 0 || any_code(k_exit_failure)) return k_exit_failure;
  if (any_code(k_exit_usage)) return k_exit_usage;
  if (refused > 0 || drifted > 0) return k_exit_refused;
  return k_exit_ok;
}

}  // namespace runner::cli
