// SPDX-License-Identifier: MIT
#include "runner/cli/project_discovery.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/cli/context.hpp"
#include "runner/db/connection.hpp"
#include "runner/fleet/shard.hpp"

#include <glob.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <set>
#include <system_error>
#include <thread>

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
  // A name the glob did not match (it cannot come from the glob itself), or one where '*' matched
  // nothing (project_1*.db over project_1.db), keeps its whole path: an id is never empty.
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return path;
  return name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
}

namespace {

// The files a glob matches. Throws UsageError when it cannot be expanded.
std::vector<std::string> glob_files(const std::string& pattern, const std::string& given_as) {
  std::vector<std::string> paths;
  glob_t found{};
  const int rc = ::glob(pattern.c_str(), 0, nullptr, &found);  // a missing folder: no match
  if (rc != 0 && rc != GLOB_NOMATCH) {
    ::globfree(&found);
    throw UsageError("cannot expand " + given_as + " '" + pattern + "'");
  }
  for (std::size_t i = 0; i < found.gl_pathc; ++i) paths.emplace_back(found.gl_pathv[i]);
  ::globfree(&found);
  return paths;
}

// The server a project of `db` is counted on: its own when the dialect names none.
std::string server_of(const DatabaseInfo& db) { return db.file.empty() && db.server.empty() ? db.display : db.server; }

// The schemas of one database matching `pattern`, in id order. Throws DatabaseError when the
// database cannot be reached.
std::vector<Project> list_schemas(Context& ctx, const std::string& url, const DatabaseInfo& db,
                                  const std::string& pattern) {
  const Dialect& dialect = ctx.dialect();
  std::vector<Project> projects;
  // A plain connection: the base URL's own history schema, if any, is none of this. Names are
  // used only as data. Closed once read: kept for the projects, one per database listed would
  // stay open beside them on the server.
  Connection conn(dialect, db);
  const std::string server = server_of(db);
  for (const auto& name : conn.query_strings(dialect.projects_query(pattern)))
    projects.push_back({name, dialect.project_url(url, name), server, server + "/" + name, "", ""});
  std::sort(projects.begin(), projects.end(), project_id_less);
  return projects;
}

// The projects of one inventory line; one failed Project standing for them all when its database
// cannot be reached.
std::vector<Project> list_entry(Context& ctx, const Inventory& inventory, const InventoryEntry& entry) {
  const Settings& s = ctx.settings();
  const Dialect& dialect = ctx.dialect();
  const std::string where = inventory.file + ":" + std::to_string(entry.line);
  DatabaseInfo db;
  try {
    db = dialect.describe_database(entry.url, s.lock_timeout_s, inventory.base_dir);
  } catch (const UsageError& e) {
    throw UsageError(where + ": " + e.what());
  }
  const std::string pattern = entry.pattern.empty() ? s.schema_pattern : entry.pattern;
  if (dialect.projects_query(pattern).empty()) {
    // Projects are files: the URL's path is their glob.
    if (!entry.pattern.empty())
      throw UsageError(where + ": a schema pattern goes with a database of schemas; " + dialect.name() +
                       " projects are files: put their glob in the URL (" + dialect.name() + ":data/project_*.db)");
    std::vector<Project> projects;
    for (const auto& path : glob_files(db.file, where)) {
      const std::string id = project_id_from_path(db.file, path);
      // Two lines spelling one file differently (relative and absolute) reach one project.
      std::error_code ec;
      const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
      projects.push_back(
          {id, dialect.project_url("", path), "", entry.url + "/" + id, "", ec ? "" : canonical.string()});
    }
    std::sort(projects.begin(), projects.end(), project_id_less);
    return projects;
  }
  if (!db.schema.empty())
    throw UsageError(where + ": the URL names one schema, " + db.schema +
                     ", but a line stands for every project schema where its URL leads matching a pattern: drop "
                     "the schema from the URL and give it as the line's pattern (URL " +
                     db.schema + ")");
  try {
    return list_schemas(ctx, entry.url, db, pattern);
  } catch (const DatabaseError& e) {
    // The other servers go on; this one's projects fail, each run names it.
    return {{pattern, db.display, server_of(db), where,
             std::string("cannot list the projects (") + where + "): " + e.what(), ""}};
  }
}

// Every inventory line listed, several at once (an unreachable server waits for its connect
// timeout), kept in inventory order.
std::vector<Project> list_inventory(Context& ctx, const Inventory& inventory) {
  const std::size_t n = inventory.entries.size();
  std::vector<std::vector<Project>> found(n);
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < n;) {
      try {
        found[i] = list_entry(ctx, inventory, inventory.entries[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const unsigned jobs = static_cast<unsigned>(std::min<std::size_t>(n, std::max(4u, ctx.settings().jobs)));
  std::vector<std::thread> threads;
  try {
    for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
  } catch (const std::system_error&) {
    // Out of threads: those that started, and this one, share the work.
  }
  worker();
  for (auto& t : threads) t.join();
  std::vector<Project> projects;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < n; ++i) {
    if (errors[i]) std::rethrow_exception(errors[i]);
    if (found[i].empty()) log().warn("{}:{}: lists no project", inventory.file, inventory.entries[i].line);
    for (auto& p : found[i]) {
      // Two lines (or two patterns) reaching one project: it runs once.
      if (p.error.empty() && !seen.insert(p.identity.empty() ? p.url : p.identity).second) {
        log().warn("{}:{}: project {} is listed by an earlier line too; it runs once", inventory.file,
                   inventory.entries[i].line, p.id);
        continue;
      }
      projects.push_back(std::move(p));
    }
  }
  return projects;
}

}  // namespace

std::vector<Project> discover_projects(Context& ctx) {
  const Settings& s = ctx.settings();
  const Dialect& dialect = ctx.dialect();
  std::vector<Project> projects;
  if (s.inventory) {
    projects = list_inventory(ctx, *s.inventory);
  } else if (dialect.projects_query(s.schema_pattern).empty()) {
    for (const auto& path : glob_files(s.projects_glob, "--projects")) {
      const std::string id = project_id_from_path(s.projects_glob, path);
      projects.push_back({id, dialect.project_url("", path), "", s.projects_glob + "/" + id, "", ""});
    }
    std::sort(projects.begin(), projects.end(), project_id_less);
  } else {
    if (!ctx.database().schema.empty())
      throw UsageError("the URL names one schema, " + ctx.database().schema +
                       ", but --all-projects runs every schema matching --schema-pattern (" + s.schema_pattern +
                       ") where the URL leads: drop the schema from the URL, or drop --all-projects to run that one");
    projects = list_schemas(ctx, *s.database_url, ctx.database(), s.schema_pattern);
  }
  if (s.shard) {
    // A project that could not be listed fails in every shard: each of them missed its part.
    projects.erase(std::remove_if(projects.begin(), projects.end(),
                                  [&](const Project& p) {
                                    return p.error.empty() && shard_of(p.key, s.shard->count) != s.shard->index;
                                  }),
                   projects.end());
  }
  return projects;
}

}  // namespace runner::cli
