// SPDX-License-Identifier: MIT
#include "runner/cli/project_discovery.hpp"

#include "runner/base/errors.hpp"
#include "runner/cli/context.hpp"
#include "runner/db/connection.hpp"

#include <glob.h>

#include <algorithm>

namespace runner::cli {

bool project_id_less(const Project& a, const Project& b) {
  auto numeric = [](const std::string& s) {
    return !s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (numeric(a.id) && numeric(b.id)) return std::stoll(a.id) < std::stoll(b.id);
  return a.id < b.id;
}

std::string project_id_from_path(const std::string& glob, const std::string& path) {
  std::string pattern_name = glob.substr(glob.rfind('/') == std::string::npos ? 0 : glob.rfind('/') + 1);
  std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  std::size_t star = pattern_name.find('*');
  if (star == std::string::npos || pattern_name.find('*', star + 1) != std::string::npos ||
      pattern_name.find_first_of("?[", 0) != std::string::npos)
    return path;
  const std::string prefix = pattern_name.substr(0, star);
  const std::string suffix = pattern_name.substr(star + 1);
  // A name the glob did not match (it cannot come from the glob itself) keeps its whole path.
  if (name.size() < prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return path;
  return name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
}

std::vector<Project> discover_projects(Context& ctx) {
  const Settings& s = ctx.settings();
  const Dialect& dialect = ctx.dialect();
  std::vector<Project> projects;
  const std::string query = dialect.projects_query(s.schema_pattern);
  if (query.empty()) {
    // Projects are files.
    glob_t found{};
    int rc = ::glob(s.projects_glob.c_str(), 0, nullptr, &found);  // a missing folder: no match
    if (rc != 0 && rc != GLOB_NOMATCH) {
      ::globfree(&found);
      throw UsageError("cannot expand --projects '" + s.projects_glob + "'");
    }
    for (std::size_t i = 0; i < found.gl_pathc; ++i) {
      std::string path = found.gl_pathv[i];
      projects.push_back({project_id_from_path(s.projects_glob, path), dialect.project_url("", path)});
    }
    ::globfree(&found);
  } else {
    // Projects live in one database: its catalog lists them, and names are used only as data. A
    // plain connection: the base URL's own history schema, if any, is none of this.
    Connection conn(dialect, ctx.database());
    for (const auto& name : conn.query_strings(query))
      projects.push_back({name, dialect.project_url(*s.database_url, name)});
  }
  std::sort(projects.begin(), projects.end(), project_id_less);
  return projects;
}

}  // namespace runner::cli
