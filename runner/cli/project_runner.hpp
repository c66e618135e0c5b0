// SPDX-License-Identifier: MIT
// --all-projects: finds the projects (files by glob, or schemas from the catalog), runs one
// operation on each in parallel, and prints a progress bar and the summary.
#pragma once

#include "runner/engine/operations.hpp"

#include <functional>
#include <string>
#include <vector>

namespace runner::cli {

class Context;

struct Project {
  std::string id;   // what the glob's * matched, or the schema name
  std::string url;
};

// Throws UsageError/DatabaseError when the projects cannot be listed.
std::vector<Project> discover_projects(Context& ctx);

// The id a file gets from a glob with one '*' in its last component: what the '*' matched.
std::string project_id_from_path(const std::string& glob, const std::string& path);

// Runs `operation` on every project, --jobs at a time, one connection each. A failing project
// never stops the others (unless --fail-fast). Prints the summary table (or a JSON array) and
// returns 0 when all succeeded, 1 when any failed, 3 when any was refused for safety and none
// failed. `inspect`: the summary shows the current state instead of what ran.
// `operation` gets a Progress to report through, so that a project failing part-way still shows
// what it applied.
int run_all_projects(Context& ctx, const std::function<Outcome(const TargetInfo&, const Progress&)>& operation,
                     bool inspect = false);

}  // namespace runner::cli
