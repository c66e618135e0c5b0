// SPDX-License-Identifier: MIT
// --all-projects: runs one operation on every project in parallel, with a progress bar, then the
// summary (project_discovery finds them, project_summary reports).
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/cli/project_discovery.hpp"
#include "runner/cli/project_summary.hpp"

#include <functional>

namespace runner::cli {

class Context;

// What runs on one project: gets its target, and `progress`, which it keeps at what the project
// reached as it goes, so that a project failing part-way still shows what it applied.
using ProjectOperation = std::function<ProjectReport(const DatabaseInfo&, ProjectReport& progress)>;

// Runs `operation` on every project, --jobs at a time, one connection each. A failing project
// never stops the others (unless --fail-fast). Prints the summary table (or a JSON array) and
// returns 0 when all succeeded, 1 when any failed, 3 when any was refused for safety and none
// failed. `inspect`: the summary shows the current state instead of what ran.
int run_all_projects(Context& ctx, const ProjectOperation& operation, bool inspect = false);

}  // namespace runner::cli
