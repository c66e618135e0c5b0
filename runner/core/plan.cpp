// SPDX-License-Identifier: MIT
#include "runner/core/plan.hpp"

#include "runner/base/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace runner {
namespace {

std::string label_of(const MigrationSet& files, const AppliedMigration& row) {
  return files.label(row.version, row.name);
}

std::set<std::uint64_t> applied_versions(const History& history) {
  std::set<std::uint64_t> v;
  for (const auto& row : history) v.insert(row.version);
  return v;
}

}  // namespace

std::vector<Drift> find_drift(const MigrationSet& files, const History& history) {
  std::vector<Drift> drift;
  for (const auto& row : history) {
    const Migration* m = files.find(row.version);
    if (m == nullptr)
      drift.push_back({row.version, label_of(files, row), Drift::Kind::missing_file});
    else if (m->checksum() != row.checksum)
      drift.push_back({row.version, m->label(), Drift::Kind::changed});
  }
  return drift;
}

std::string describe_drift(const std::vector<Drift>& drift) {
  std::string out;
  for (const auto& d : drift) {
    if (!out.empty()) out += "\n";
    out += fmt::format("  {}: {}", d.label,
                       d.kind == Drift::Kind::changed ? "file changed since it was applied (checksum differs)"
                                                      : "applied, but its file is missing");
  }
  return out;
}

std::vector<Step> plan_upgrade(const MigrationSet& files, const History& history, const Target& target,
                               bool allow_out_of_order) {
  const std::set<std::uint64_t> applied = applied_versions(history);
  const std::uint64_t current = history.empty() ? 0 : history.back().version;
  std::uint64_t limit = UINT64_MAX;
  if (target.kind == Target::Kind::version) {
    if (files.find(target.version) == nullptr && applied.count(target.version) == 0)
      throw PlanError(fmt::format("no migration with version {} in {}", target.text, files.dir.generic_string()));
    // A pending target below the current version is an out-of-order upgrade (refused below unless
    // allowed); an applied one is a downgrade.
    if (!history.empty() && target.version < current && applied.count(target.version) != 0)
      throw PlanError(fmt::format("target {} is below the current version {}; use `runner downgrade {}`", target.text,
                                  current, target.text));
    limit = target.version;
  }

  std::vector<Step> steps;
  std::vector<std::string> out_of_order;
  for (const auto& m : files.migrations) {
    if (m.version > limit) break;
    if (applied.count(m.version) != 0) continue;
    if (!history.empty() && m.version < current) out_of_order.push_back(m.label());
    steps.push_back({&m, m.version, Direction::up});
  }
  if (!out_of_order.empty() && !allow_out_of_order) {
    std::string list;
    for (const auto& l : out_of_order) list += fmt::format("\n  {}", l);
    throw SafetyError(fmt::format(
        "pending migrations are older than the applied version {} (merged from another "
        "branch?):{}\nmove them above it with `runner renumber` (before any database applies them), or apply "
        "them with --out-of-order",
        current, list));
  }
  if (target.kind == Target::Kind::relative) {
    auto n = static_cast<std::size_t>(target.steps);
    if (n > steps.size())
      throw PlanError(fmt::format("cannot upgrade {}: only {} migration(s) pending", target.text, steps.size()));
    steps.resize(n);
  }
  return steps;
}

std::vector<Step> plan_downgrade(const MigrationSet& files, const History& history, const Target& target) {
  std::size_t keep = 0;  // how many of the oldest applied rows stay
  switch (target.kind) {
    case Target::Kind::base: keep = 0; break;
    case Target::Kind::relative: {
      auto n = static_cast<std::size_t>(-target.steps);
      if (n > history.size())
        throw PlanError(fmt::format("cannot downgrade {}: only {} migration(s) applied", target.text, history.size()));
      keep = history.size() - n;
      break;
    }
    case Target::Kind::version: {
      auto it = std::find_if(history.begin(), history.end(),
                             [&](const AppliedMigration& r) { return r.version == target.version; });
      if (it == history.end())
        throw PlanError(fmt::format("version {} is not applied, so downgrade cannot end there (see `runner history`)",
                                    target.text));
      keep = static_cast<std::size_t>(it - history.begin()) + 1;
      break;
    }
    case Target::Kind::head: throw PlanError("downgrade needs -N, a version, or base");
  }

  std::vector<Step> steps;
  std::vector<std::string> irreversible;
  for (std::size_t i = history.size(); i > keep; --i) {
    const AppliedMigration& row = history[i - 1];
    const Migration* m = files.find(row.version);
    if (m == nullptr || !m->down)
      irreversible.push_back(label_of(files, row) + (m == nullptr ? " (its files are missing)" : " (no down file)"));
    steps.push_back({m, row.version, Direction::down});
  }
  if (!irreversible.empty()) {
    std::string list;
    for (const auto& l : irreversible) list += fmt::format("\n  {}", l);
    throw PlanError(fmt::format("cannot downgrade to {}: irreversible migration(s) on the way:{}", target.text, list));
  }
  return steps;
}

StampPlan plan_stamp(const MigrationSet& files, const History& history, const Target& target) {
  std::uint64_t limit = 0;
  bool everything = false;
  if (target.kind == Target::Kind::head) {
    everything = true;
  } else if (target.kind == Target::Kind::version) {
    if (files.find(target.version) == nullptr)
      throw PlanError(fmt::format("no migration with version {} in {}", target.text, files.dir.generic_string()));
    limit = target.version;
  } else if (target.kind != Target::Kind::base) {
    throw PlanError("stamp needs head, a version, or base");
  }
  const bool none = target.kind == Target::Kind::base;
  const std::set<std::uint64_t> applied = applied_versions(history);
  StampPlan plan;
  for (const auto& m : files.migrations)
    if (!none && (everything || m.version <= limit) && applied.count(m.version) == 0) plan.add.push_back(&m);
  for (const auto& row : history)
    if (none || (!everything && row.version > limit)) plan.remove.push_back(row.version);
  return plan;
}

std::vector<StatusRow> build_status(const MigrationSet& files, const History& history) {
  std::vector<StatusRow> rows;
  auto h = history.begin();
  auto f = files.migrations.begin();
  while (h != history.end() || f != files.migrations.end()) {
    StatusRow row;
    if (f != files.migrations.end() && (h == history.end() || f->version < h->version)) {
      row.version = f->version;
      row.version_text = f->version_text;
      row.name = f->name;
      ++f;
    } else if (f == files.migrations.end() || h->version < f->version) {
      row.version = h->version;
      row.version_text = files.version_text(h->version);
      row.name = h->name;
      row.applied = true;
      row.applied_at = h->applied_at;
      row.execution_ms = h->execution_ms;
      row.checksum = "missing-file";
      ++h;
    } else {
      row.version = f->version;
      row.version_text = f->version_text;
      row.name = f->name;
      row.applied = true;
      row.applied_at = h->applied_at;
      row.execution_ms = h->execution_ms;
      row.checksum = f->checksum() == h->checksum ? "ok" : "changed";
      ++f;
      ++h;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void apply_step(History& history, Direction direction, const AppliedMigration& row) {
  if (direction == Direction::up) {
    auto at = std::lower_bound(history.begin(), history.end(), row.version,
                               [](const AppliedMigration& r, std::uint64_t v) { return r.version < v; });
    history.insert(at, row);
  } else {
    history.erase(std::remove_if(history.begin(), history.end(),
                                 [&](const AppliedMigration& r) { return r.version == row.version; }),
                  history.end());
  }
}

}  // namespace runner
