// SPDX-License-Identifier: MIT
// The projects --all-projects covers: files by glob, or schemas listed by the database's catalog,
// each with its id and URL, in id order.
#pragma once

#include <string>
#include <vector>

namespace runner::cli {

class Context;

struct Project {
  std::string id;  // what the glob's * matched, or the schema name
  std::string url;
};

// Throws UsageError/DatabaseError when the projects cannot be listed.
std::vector<Project> discover_projects(Context& ctx);

// The id a file gets from a glob with one '*' in its last component: what the '*' matched; the
// whole path when the glob has no single '*' there.
std::string project_id_from_path(const std::string& glob, const std::string& path);

// Projects sort by id, numerically when both are numbers: project_2 before project_10.
bool project_id_less(const Project& a, const Project& b);

}  // namespace runner::cli
