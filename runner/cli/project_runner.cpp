// SPDX-License-Identifier: MIT
#include "runner/cli/project_runner.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/progress_bar.hpp"
#include "runner/cli/project_summary.hpp"
#include "runner/cli/replica_report.hpp"
#include "runner/db/connection_pool.hpp"
#include "runner/fleet/schedule.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

namespace runner::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Runs the operation on one project and records what it came to; never throws.
void run_project(Context& ctx, const ProjectOperation& operation, ProjectResult& r) {
  const auto start = Clock::now();
  if (!r.project.error.empty()) {
    // A database of the inventory that could not be listed: its URL (masked) stands in the project's.
    r.status = ProjectStatus::failed;
    r.error = r.project.error;
    r.exit_code = k_exit_failure;
    r.report.database = r.project.url;
    return;
  }
  std::string display;
  try {
    DatabaseInfo target = ctx.dialect().describe_database(r.project.url, ctx.settings().lock_timeout_s);
    display = target.display;
    ProjectReport progress;
    try {
      r.report = operation(target, progress);
    } catch (...) {
      // What ran before the failure stays applied: the summary shows it.
      r.report = progress;
      r.planned = !progress.database.empty();
      throw;
    }
    r.planned = true;
    r.status = r.report.differences.empty() ? ProjectStatus::ok : ProjectStatus::drifted;
  } catch (const Error& e) {
    r.exit_code = e.exit_code();
    // Refused: turned away before it ran anything, as invalid (a standby, a pooler in transaction
    // mode, a migration the plan refuses) or for safety (a changed file, a lock held too long).
    const bool refused = (r.exit_code == k_exit_usage || r.exit_code == k_exit_refused) && r.report.migrations == 0;
    r.status = ctx.cancellation().requested() && r.exit_code > 128 ? ProjectStatus::interrupted
               : refused                                           ? ProjectStatus::refused
                                                                   : ProjectStatus::failed;
    // Refused part-way, after migrations ran, is a failure: its row and the exit code say so.
    if (r.status == ProjectStatus::failed) r.exit_code = k_exit_failure;
    r.error = e.what();
  } catch (const std::exception& e) {
    r.status = ProjectStatus::failed;
    r.exit_code = k_exit_failure;
    r.error = e.what();
  }
  if (r.report.database.empty()) r.report.database = display;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
}

// Which projects form the canary wave (--canary): the first N, or those named. Throws
// UsageError for a name no project has.
std::vector<bool> canary_wave(const Settings& s, const std::vector<Project>& projects) {
  std::vector<bool> canary(projects.size(), false);
  for (std::size_t i = 0; i < projects.size() && i < s.canary_count; ++i) canary[i] = true;
  for (const auto& name : s.canary_projects) {
    bool found = false;
    for (std::size_t i = 0; i < projects.size(); ++i)
      if (projects[i].id == name) canary[i] = found = true;
    if (!found)
      throw UsageError("--canary " + name + ": no such project" + (s.shard ? " in this shard" : "") +
                       " (see runner current --all-projects)");
  }
  return canary;
}

// Runs every project on `jobs` worker threads, as the schedule hands them out, while this thread
// draws the progress bar. Projects the schedule never started (a failed canary, --max-failures, a
// signal) stay not_run.
std::vector<ProjectResult> run_projects(Context& ctx, const std::vector<Project>& projects,
                                        const ProjectOperation& operation, std::string* stopped_because) {
  const Settings& s = ctx.settings();
  std::vector<ProjectResult> results(projects.size());
  for (std::size_t i = 0; i < projects.size(); ++i) results[i].project = projects[i];
  std::vector<std::string> servers;
  for (const auto& p : projects) servers.push_back(p.server);
  // A fleet's servers are capped by default; one database's projects only when asked.
  const unsigned per_server = s.jobs_per_server != 0 ? s.jobs_per_server : s.inventory ? 4u : 0u;
  Schedule schedule(std::move(servers), canary_wave(s, projects), {per_server, s.max_failures});
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<unsigned> workers_left{0};
  std::mutex wake_mutex;
  std::condition_variable wake;  // each finished project, and each worker that ends, wakes the progress loop
  ctx.migrations();              // scanned and hashed once, before the workers share it read-only

  auto worker = [&] {
    // After SIGINT/SIGTERM no project starts; those running stop at their next safe point.
    const auto stop = [&ctx] { return ctx.cancellation().requested(); };
    while (const std::optional<std::size_t> i = schedule.next(stop)) {
      ProjectResult& r = results[*i];
      run_project(ctx, operation, r);
      if (r.status == ProjectStatus::failed) ++failed;
      // A refused project (a changed applied file, a lock held past --lock-timeout) did not get
      // done either: it counts against a canary wave and --max-failures.
      schedule.finished(*i, r.status == ProjectStatus::failed || r.status == ProjectStatus::refused);
      {
        std::lock_guard<std::mutex> lock(wake_mutex);
        ++done;
      }
      wake.notify_one();
    }
    {
      std::lock_guard<std::mutex> lock(wake_mutex);
      --workers_left;
    }
    wake.notify_one();
  };

  const unsigned jobs =
      std::max(1u, std::min<unsigned>(s.jobs != 0 ? s.jobs : std::max(1u, std::thread::hardware_concurrency()),
                                      static_cast<unsigned>(projects.size())));
  ProgressBar bar(projects.size(), ::isatty(STDERR_FILENO) != 0 && s.verbosity != Verbosity::quiet);
  std::vector<std::thread> threads;
  try {
    for (unsigned j = 0; j < jobs; ++j) {
      ++workers_left;
      try {
        threads.emplace_back(worker);
      } catch (...) {
        --workers_left;
        throw;
      }
    }
  } catch (const std::system_error& e) {
    // Out of threads (a pids limit): carry on with those that started, or on this thread.
    log().warn("could start only {} of {} workers: {}", threads.size(), jobs, e.what());
    if (threads.empty()) {
      ++workers_left;
      worker();
    }
  }
  {
    std::unique_lock<std::mutex> lock(wake_mutex);
    while (workers_left > 0) {
      bar.draw(done, failed);
      wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return workers_left == 0; });
    }
  }
  for (auto& t : threads) t.join();
  bar.draw(done, failed);
  bar.clear();
  *stopped_because = schedule.stopped_because();
  return results;
}

}  // namespace

int run_all_projects(Context& ctx, const ProjectOperation& operation, bool inspect) {
  const Settings& s = ctx.settings();
  std::vector<Project> projects = discover_projects(ctx);
  if (projects.empty()) {
    const bool files = ctx.dialect().projects_query(s.schema_pattern).empty();
    if (s.inventory)
      log().warn("the databases {} lists hold no project{}", s.inventory->file,
                 s.shard ? " in shard " + std::to_string(s.shard->index) + "/" + std::to_string(s.shard->count) : "");
    else if (s.shard)
      log().warn("no project falls in shard {}/{}", s.shard->index, s.shard->count);
    else
      log().warn("no project matches '{}'", files ? s.projects_glob : s.schema_pattern);
    if (s.json) print("[]\n");
    return k_exit_ok;
  }
  const auto start = Clock::now();
  // Each worker's connection goes on to the next project of its server, migrations or not.
  ctx.connections().hand_on_used(true);
  std::string stopped_because;
  std::vector<ProjectResult> results = run_projects(ctx, projects, operation, &stopped_because);
  if (!stopped_because.empty()) log().warn("{}: no further project was started", stopped_because);
  // A project never started says why, and which database it is, like the others.
  for (auto& r : results) {
    if (r.status != ProjectStatus::not_run) continue;
    r.error = !stopped_because.empty()         ? stopped_because
              : ctx.cancellation().requested() ? std::string("the run was interrupted")
                                               : std::string("the run stopped");
    try {
      if (r.report.database.empty())
        r.report.database = ctx.dialect().describe_database(r.project.url, s.lock_timeout_s).display;
    } catch (const std::exception&) {
      // Named by its project alone.
    }
  }
  const int rc = report_projects(ctx, results, std::chrono::duration<double>(Clock::now() - start).count(), inspect);
  if (rc != k_exit_ok || !s.wait_replicas) return rc;
  // One database of each server the run reached.
  std::vector<DatabaseInfo> servers;
  std::set<std::string> seen;
  for (const auto& r : results)
    if (r.status == ProjectStatus::ok && seen.insert(r.project.server).second)
      servers.push_back(ctx.dialect().describe_database(r.project.url, s.lock_timeout_s));
  return wait_for_replicas(ctx, servers);
}

}  // namespace runner::cli
