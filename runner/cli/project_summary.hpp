// SPDX-License-Identifier: MIT
// What each project of an --all-projects run came to, and the summary printed after it.
#pragma once

#include "runner/cli/project_discovery.hpp"
#include "runner/migrator.hpp"

#include <string>
#include <vector>

namespace runner::cli {

class Context;

enum class ProjectStatus { ok, failed, refused, interrupted, not_run, drifted };

// What one project came to.
struct ProjectReport {
  std::string database;  // as shown, password masked
  Position before, after;
  std::size_t migrations = 0;                     // ran (dry run: would run), or history rows recorded and removed
  std::size_t applied = 0, pending = 0;           // current, history, validate
  std::string note;                               // adopt: what the other tool's history said
  std::string backup;                             // --backup: the file written before the run
  std::vector<PartialInfo> partial;               // current, history: migrations stopped part-way
  bool drift_checked = false;                     // drift: the schema was compared
  std::vector<SchemaDifferenceInfo> differences;  // drift: what differs from what the files build
};

struct ProjectResult {
  Project project;
  ProjectStatus status = ProjectStatus::not_run;
  bool planned = false;  // report.before is known (also when the project failed part-way)
  ProjectReport report;
  std::string error;
  int exit_code = 0;  // the error's: 1 failed, 2 invalid (a standby, a bad file), 3 refused for safety
  double seconds = 0;
};

// Prints the summary table (or the JSON array) on stdout and each failure's full message on
// stderr, naming its project (once for the projects of a server that all failed alike). Returns
// the exit code: 1 when any project failed, else 2 when any was refused as invalid (a standby, a
// migration the plan refuses), else 3 when any was refused for safety or drifted, else 0.
// `inspect`: the current state instead of what ran.
int report_projects(Context& ctx, const std::vector<ProjectResult>& results, double total_seconds, bool inspect);

}  // namespace runner::cli
