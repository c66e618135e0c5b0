// SPDX-License-Identifier: MIT
#include "runner/cli/project_runner.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/progress_bar.hpp"
#include "runner/cli/project_summary.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

namespace runner::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Runs the operation on one project and records what it came to; never throws.
void run_project(Context& ctx, const ProjectOperation& operation, ProjectResult& r) {
  const auto start = Clock::now();
  try {
    DatabaseInfo target = ctx.dialect().describe_database(r.project.url, ctx.settings().lock_timeout_s);
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
  } catch (const SafetyError& e) {
    r.status = ProjectStatus::refused;
    r.error = e.what();
  } catch (const Error& e) {
    r.status =
        ctx.cancellation().requested() && e.exit_code() > 128 ? ProjectStatus::interrupted : ProjectStatus::failed;
    r.error = e.what();
  } catch (const std::exception& e) {
    r.status = ProjectStatus::failed;
    r.error = e.what();
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs every project on `jobs` worker threads while this thread draws the progress bar. After a
// failure with --fail-fast, projects not started yet stay not_run.
std::vector<ProjectResult> run_projects(Context& ctx, const std::vector<Project>& projects,
                                        const ProjectOperation& operation) {
  const Settings& s = ctx.settings();
  std::vector<ProjectResult> results(projects.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<bool> stop{false};
  std::mutex wake_mutex;
  std::condition_variable wake;  // each finished project wakes the progress loop
  ctx.migrations();              // scanned and hashed once, before the workers share it read-only

  auto worker = [&] {
    for (std::size_t i; (i = next++) < projects.size();) {
      ProjectResult& r = results[i];
      r.project = projects[i];
      // After SIGINT/SIGTERM no project starts; those running stop at their next safe point.
      if (!stop && !ctx.cancellation().requested()) {
        run_project(ctx, operation, r);
        if (r.status == ProjectStatus::failed) {
          ++failed;
          if (s.fail_fast) stop = true;
        }
      }
      {
        std::lock_guard<std::mutex> lock(wake_mutex);
        ++done;
      }
      wake.notify_one();
    }
  };

  const unsigned jobs =
      std::max(1u, std::min<unsigned>(s.jobs != 0 ? s.jobs : std::max(1u, std::thread::hardware_concurrency()),
                                      static_cast<unsigned>(projects.size())));
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
  return results;
}

}  // namespace

int run_all_projects(Context& ctx, const ProjectOperation& operation, bool inspect) {
  const Settings& s = ctx.settings();
  std::vector<Project> projects = discover_projects(ctx);
  if (projects.empty()) {
    const bool files = ctx.dialect().projects_query(s.schema_pattern).empty();
    log().warn("no project matches '{}'", files ? s.projects_glob : s.schema_pattern);
    if (s.json) print("[]\n");
    return k_exit_ok;
  }
  const auto start = Clock::now();
  std::vector<ProjectResult> results = run_projects(ctx, projects, operation);
  return report_projects(ctx, results, std::chrono::duration<double>(Clock::now() - start).count(), inspect);
}

}  // namespace runner::cli
