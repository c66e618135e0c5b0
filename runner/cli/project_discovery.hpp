// SPDX-License-Identifier: MIT
// The projects --all-projects covers: files by glob, or schemas listed by the database's catalog,
// each with its id and URL; with an inventory (--databases), those of every database it lists.
// In inventory order, then id order; only this process's shard (--shard).
#pragma once

#include <string>
#include <vector>

namespace runner::cli {

class Context;

struct Project {
  std::string id;  // what the glob's * matched, or the schema name
  std::string url;
  std::string server;  // DatabaseInfo::server of its database ("" for a file)
  // What names it the same on every machine of a sharded run (shard.hpp): the server and the id,
  // or, for a file, the glob as written and the id (a path resolved from another folder would
  // differ).
  std::string key;
  // Set when the project stands for a database of the inventory whose projects could not be
  // listed (an unreachable server): why, and the project fails with it.
  std::string error;
  // What two lines of an inventory reaching one project share, so that it runs once: a file's
  // canonical path ("": the URL).
  std::string identity;
};

// Throws UsageError/DatabaseError when the projects cannot be listed; with an inventory, a
// database that cannot be reached gives one failed Project instead and the others are listed.
std::vector<Project> discover_projects(Context& ctx);

// The id a file gets from a glob with one '*' in its last component: what the '*' matched; the
// whole path when the glob has no single '*' there.
std::string project_id_from_path(const std::string& glob, const std::string& path);

// Projects sort by id, numerically when both are numbers: project_2 before project_10.
bool project_id_less(const Project& a, const Project& b);

}  // namespace runner::cli
