// SPDX-License-Identifier: MIT
#include "runner/core/renumber.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/interrupt_cleanup.hpp"
#include "runner/core/migration_name.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace fs = std::filesystem;

namespace runner {
namespace {

// Every file of the folder with `version`: up, down and every dialect's variant.
std::vector<fs::path> files_of(const fs::path& dir, std::uint64_t version) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    MigrationFileName f;
    std::string why;
    if (parse_migration_file_name(it->path().filename().string(), &f, &why) && f.version == version)
      out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<Renumbering> plan_renumber(const MigrationSet& files, const std::vector<AppliedVersions>& applied,
                                       const std::vector<std::uint64_t>& requested, std::vector<std::string>* left) {
  std::uint64_t top = files.migrations.empty() ? 0 : files.migrations.back().version;
  std::uint64_t highest_applied = 0;
  for (const auto& a : applied)
    if (!a.versions.empty()) highest_applied = std::max(highest_applied, *a.versions.rbegin());
  top = std::max(top, highest_applied);

  std::set<std::uint64_t> moving;
  if (!requested.empty()) {
    for (std::uint64_t v : requested) {
      if (files.find(v) == nullptr)
        throw PlanError(fmt::format("no migration with version {} in {}", v, files.dir.generic_string()));
      for (const auto& a : applied)
        if (a.versions.count(v))
          throw SafetyError(
              fmt::format("{} is applied on {}: an applied migration keeps its version (renumber "
                          "moves pending migrations only)",
                          files.find(v)->label(), a.database));
      moving.insert(v);
    }
  } else {
    if (applied.empty())
      throw UsageError(
          "renumber: name the versions to move, or give -d URL or --all-projects to find the pending "
          "migrations below what the databases have applied");
    for (const auto& m : files.migrations) {
      if (m.version >= highest_applied) break;
      std::vector<std::string> on, pending_on;
      for (const auto& a : applied) (a.versions.count(m.version) ? on : pending_on).push_back(a.database);
      if (on.empty())
        moving.insert(m.version);
      else if (!pending_on.empty() && left != nullptr)
        left->push_back(fmt::format("{}: applied on {}, pending on {} (runner upgrade --out-of-order there)", m.label(),
                                    fmt::join(on, ", "), fmt::join(pending_on, ", ")));
    }
  }

  std::vector<Renumbering> plan;
  std::uint64_t next = top;
  for (std::uint64_t v : moving) {
    const Migration& m = *files.find(v);
    // The top of the folder may itself be moving: the new numbers go above it either way.
    Renumbering r;
    r.from = v;
    r.to = ++next;
    r.from_label = m.label();
    const std::string digits = fmt::format("{:0{}}", r.to, m.version_text.size());
    r.to_label = m.name.empty() ? digits : digits + "_" + m.name;
    for (const auto& path : files_of(files.dir, v)) {
      const std::string name = path.filename().string();
      r.files.emplace_back(path, path.parent_path() / (digits + name.substr(m.version_text.size())));
    }
    plan.push_back(std::move(r));
  }
  return plan;
}

void apply_renumber(const std::vector<Renumbering>& plan) {
  // All or nothing: a signal waits until every file has its new name, or its old one again.
  SignalsHeld held;
  std::vector<fs::path> linked;
  auto undo = [&] {
    std::error_code ec;
    for (const auto& p : linked) fs::remove(p, ec);
  };
  for (const auto& r : plan)
    for (const auto& [from, to] : r.files) {
      // link() refuses an existing name, so a file that appeared meanwhile is never replaced.
      if (::link(from.c_str(), to.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        undo();
        throw UsageError(fmt::format("cannot rename {} to {}: {}; nothing was renamed", from.generic_string(),
                                     to.generic_string(), why));
      }
      linked.push_back(to);
    }
  std::error_code ec;
  for (const auto& r : plan)
    for (const auto& [from, to] : r.files) fs::remove(from, ec);
}

}  // namespace runner
