// SPDX-License-Identifier: MIT
#include "runner/cli/project_runner.hpp"

#include "runner/cli/cmd_common.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/base/text.hpp"
#include "runner/core/plan.hpp"
#include "runner/db/connection.hpp"
#include "runner/engine/database.hpp"

#include <glob.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <system_error>
#include <thread>

namespace runner::cli {
namespace {

using Clock = std::chrono::steady_clock;

enum class Status { ok, failed, refused, not_run };

struct Result {
  Project project;
  Status status = Status::not_run;
  bool planned = false;  // outcome.before is known (also when the project failed part-way)
  Outcome outcome;
  std::string error;
  double seconds = 0;
};

const char* status_name(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::failed: return "failed";
    case Status::refused: return "refused";
    case Status::not_run: return "not run";
  }
  return "?";
}

// Projects sort by id, numerically when both are numbers: project_2 before project_10.
bool id_less(const Project& a, const Project& b) {
  auto numeric = [](const std::string& s) {
    return !s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (numeric(a.id) && numeric(b.id)) return std::stoll(a.id) < std::stoll(b.id);
  return a.id < b.id;
}

// A progress line on stderr, redrawn in place; only on a terminal.
class ProgressBar {
 public:
  ProgressBar(std::size_t total, bool enabled) : total_(total), enabled_(enabled), start_(Clock::now()) {}
  void draw(std::size_t done, std::size_t failed) {
    if (!enabled_) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const int width = 30;
    const int filled = total_ == 0 ? width : static_cast<int>(width * done / total_);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '-');
    std::fprintf(stderr, "\r[%s] %zu/%zu projects, %zu failed, %.1f s, %.1f/s ", bar.c_str(), done, total_, failed,
                 elapsed, elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0);
    std::fflush(stderr);
  }
  void clear() {
    if (!enabled_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  std::size_t total_;
  bool enabled_;
  Clock::time_point start_;
};

// Migrations a project ran (or would run, or recorded with stamp).
std::size_t migrations_of(const Result& r, bool dry_run) {
  const Outcome& o = r.outcome;
  return (dry_run ? o.planned.size() : o.done.size()) + o.stamped.size() + o.unstamped.size();
}

}  // namespace

std::string project_id_from_path(const std::string& glob, const std::string& path) {
  std::string pattern_name = glob.substr(glob.rfind('/') == std::string::npos ? 0 : glob.rfind('/') + 1);
  std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  std::size_t star = pattern_name.find('*');
  if (star == std::string::npos || pattern_name.find('*', star + 1) != std::string::npos ||
      pattern_name.find_first_of("?[", 0) != std::string::npos)
    return path;
  const std::string prefix = pattern_name.substr(0, star);
  const std::string suffix = pattern_name.substr(star + 1);
  if (name.size() < prefix.size() + suffix.size()) return path;
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
    Connection conn(dialect, ctx.target());
    for (const auto& name : conn.query_strings(query)) projects.push_back({name, dialect.project_url(*s.database_url, name)});
  }
  std::sort(projects.begin(), projects.end(), id_less);
  return projects;
}

int run_all_projects(Context& ctx, const std::function<Outcome(const TargetInfo&, const Progress&)>& operation,
                     bool inspect) {
  const Settings& s = ctx.settings();
  std::vector<Project> projects = discover_projects(ctx);
  const std::string which = ctx.dialect().projects_query(s.schema_pattern).empty() ? s.projects_glob : s.schema_pattern;
  if (projects.empty()) {
    log().warn("no project matches '{}'", which);
    if (s.json) print("[]\n");
    return k_exit_ok;
  }

  std::vector<Result> results(projects.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<bool> stop{false};
  std::mutex wake_mutex;
  std::condition_variable wake;  // each finished project wakes the progress loop
  const MigrationSet* files = &ctx.migrations();  // scanned and hashed once, shared read-only

  auto worker = [&] {
    for (std::size_t i; (i = next++) < projects.size();) {
      Result& r = results[i];
      r.project = projects[i];
      if (stop) {
        {
          std::lock_guard<std::mutex> lock(wake_mutex);
          ++done;
        }
        wake.notify_one();
        continue;
      }
      const auto start = Clock::now();
      Progress progress;
      progress.planned = [&r](const Outcome& o) {
        r.outcome = o;
        r.planned = true;
      };
      progress.step_done = [&r](const StepResult& step) { r.outcome.done.push_back(step); };
      try {
        TargetInfo target = ctx.dialect().describe_target(r.project.url, s.lock_timeout_s);
        r.outcome = operation(target, progress);
        r.planned = true;
        r.status = Status::ok;
      } catch (const MigrationError& e) {
        // What ran before the failure stays applied: the summary shows it.
        r.status = Status::failed;
        r.error = e.what();
        std::vector<PreparedStep> ran;
        for (const auto& p : r.outcome.planned)
          if (std::any_of(r.outcome.done.begin(), r.outcome.done.end(),
                          [&](const StepResult& d) { return d.version == p.step.version; }))
            ran.push_back(p);
        r.outcome.after = history_after(r.outcome.before, ran);
      } catch (const SafetyError& e) {
        r.status = Status::refused;
        r.error = e.what();
      } catch (const std::exception& e) {
        r.status = Status::failed;
        r.error = e.what();
      }
      r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      if (r.status == Status::failed) {
        ++failed;
        if (s.fail_fast) stop = true;
      }
      {
        std::lock_guard<std::mutex> lock(wake_mutex);
        ++done;
      }
      wake.notify_one();
    }
  };

  const unsigned jobs = std::max(1u, std::min<unsigned>(s.jobs != 0 ? s.jobs : std::max(1u, std::thread::hardware_concurrency()),
                                                         static_cast<unsigned>(projects.size())));
  const auto start = Clock::now();
  ProgressBar bar(projects.size(), ::isatty(STDERR_FILENO) != 0 && s.verbosity != Verbosity::quiet);
  std::vector<std::thread> threads;
  try {
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  } catch (const std::system_error& e) {
    // Out of threads (a pids limit): carry on with those that started, or on this thread.
    log().warn("could start only {} of {} workers: {}", threads.size(), jobs, e.what());
    if (threads.empty()) worker();
  }
  {
    std::unique_lock<std::mutex> lock(wake_mutex);
    while (done < projects.size()) {
      bar.draw(done, failed);
      wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return done >= projects.size(); });
    }
  }
  for (auto& t : threads) t.join();
  bar.draw(done, failed);
  bar.clear();
  const double total_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::size_t ok = 0, refused = 0, not_run = 0, migrations = 0;
  for (const auto& r : results) {
    ok += r.status == Status::ok;
    refused += r.status == Status::refused;
    not_run += r.status == Status::not_run;
    migrations += migrations_of(r, s.dry_run);
  }

  if (s.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results) {
      nlohmann::json j{{"project", r.project.id},
                       {"status", status_name(r.status)},
                       {"seconds", r.seconds}};
      if (r.planned) {
        j["database"] = r.outcome.display;
        j["from"] = position_json(r.outcome.before);
        j["to"] = position_json(r.outcome.after);
        if (inspect) {
          auto rows = build_status(*files, r.outcome.after);
          j["applied"] = std::count_if(rows.begin(), rows.end(), [](const StatusRow& x) { return x.applied; });
          j["pending"] = std::count_if(rows.begin(), rows.end(), [](const StatusRow& x) { return !x.applied; });
        } else {
          j["migrations"] = migrations_of(r, s.dry_run);
        }
        if (s.dry_run) j["dry_run"] = true;
      }
      if (r.status != Status::ok) j["error"] = r.error;
      out.push_back(j);
    }
    print(out.dump(2) + "\n");
  } else {
    std::vector<std::vector<std::string>> table;
    if (inspect)
      table.push_back({"PROJECT", "CURRENT", "APPLIED", "PENDING", "STATUS"});
    else
      table.push_back({"PROJECT", "FROM", "TO", s.dry_run ? "WOULD RUN" : "MIGRATIONS", "TIME", "STATUS"});
    for (const auto& r : results) {
      const bool has = r.planned;
      std::string status = status_name(r.status);
      if (!has && !r.error.empty()) status += ": " + first_line(r.error);
      if (inspect) {
        std::string applied = "-", pending = "-";
        if (has) {
          auto rows = build_status(*files, r.outcome.after);
          applied = std::to_string(std::count_if(rows.begin(), rows.end(), [](const StatusRow& x) { return x.applied; }));
          pending = std::to_string(std::count_if(rows.begin(), rows.end(), [](const StatusRow& x) { return !x.applied; }));
        }
        table.push_back({r.project.id, has ? describe_position(r.outcome.after, *files) : "-", applied, pending, status});
      } else {
        std::size_t n = migrations_of(r, s.dry_run);
        table.push_back({r.project.id, has ? describe_position(r.outcome.before, *files) : "-",
                         has ? describe_position(r.outcome.after, *files) : "-", has ? std::to_string(n) : "-",
                         duration_text(static_cast<std::int64_t>(r.seconds * 1e6)), status});
      }
    }
    std::string out = format_table(table);
    out += std::to_string(results.size()) + " projects: " + std::to_string(ok) + " ok, " + std::to_string(failed) +
           " failed, " + std::to_string(refused) + " refused" + (not_run ? ", " + std::to_string(not_run) + " not run" : "");
    if (!inspect) out += "; " + std::to_string(migrations) + (s.dry_run ? " migrations would run" : " migrations");
    out += " in " + duration_text(static_cast<std::int64_t>(total_seconds * 1e6)) + (s.dry_run ? ". Nothing was changed." : "") + "\n";
    print(out);
  }
  // The full message of each failure, after the table, naming its project.
  for (const auto& r : results)
    if (r.status == Status::failed || r.status == Status::refused)
      std::fprintf(stderr, "runner: error: project %s: %s\n", r.project.id.c_str(), r.error.c_str());

  if (failed > 0) return k_exit_failure;
  if (refused > 0) return k_exit_refused;
  return k_exit_ok;
}

}  // namespace runner::cli
