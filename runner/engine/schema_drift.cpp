// SPDX-License-Identifier: MIT
#include "runner/engine/schema_drift.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/plan.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/schema_reader.hpp"
#include "runner/engine/shadow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace runner {
namespace {

// Projects at the same version share their shadow's schema (--all-projects reads hundreds).
struct ShadowCache {
  std::mutex mutex;
  std::map<std::string, std::vector<Schema>> schemas;
};

ShadowCache& cache() {
  static ShadowCache c;
  return c;
}

}  // namespace

SchemaDriftResult check_schema_drift(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                                     const SchemaDriftOptions& options) {
  check_shadow_place(dialect, options.shadow_url);
  Database live(dialect, target, AccessMode::read, options.lock_timeout, options.cancel);
  if (!live.connected())
    throw UsageError(fmt::format("{}: no such database (the file does not exist)", target.display));
  const History history = live.load_history();
  SchemaDriftResult r;
  r.database = target.display;
  r.position = describe_position(history, files);
  for (const auto& p : live.partial())
    r.notes.push_back(fmt::format("{} stopped part-way ({} of {} statements applied): what it applied shows as extra",
                                  files.label(p.version, p.name), p.applied, p.statements));

  std::vector<Step> steps;
  std::string key = dialect.name() + "|" + options.shadow_url + "|";
  for (const auto& row : history) {
    const Migration* m = files.find(row.version);
    if (m == nullptr)
      throw UsageError(fmt::format("{}: applied migration {} has no file, so what the files build cannot be told",
                                   target.display, files.label(row.version, row.name)));
    steps.push_back({m, m->version, Direction::up});
    key += std::to_string(row.version) + ":" + m->checksum() + ",";
  }
  for (const auto& d : find_drift(files, history))
    if (d.kind == Drift::Kind::changed)
      r.notes.push_back(d.label +
                        ": file changed since it was applied; the shadow is built from the file as it is now");
  for (const auto& [name, value] : options.placeholders.values) key += "|" + name + "=" + value;
  r.replayed = steps.size();

  for (const auto& m : files.migrations)
    r.pending +=
        std::none_of(history.begin(), history.end(), [&](const AppliedMigration& a) { return a.version == m.version; });
  const std::vector<std::string> schemas =
      options.schemas.empty() ? std::vector<std::string>{live.info().schema} : options.schemas;
  for (const auto& s : schemas) key += "|schema " + s;

  std::vector<Schema> found;
  for (const auto& s : schemas) {
    found.push_back(read_schema(dialect, live.connection(), s));
    if (!options.schemas.empty() && found.back().name.empty())
      throw UsageError(fmt::format("--schema: a {} database has no schemas to choose from", dialect.name()));
    if (options.schemas.empty() && !found.back().exists)
      throw UsageError(fmt::format("{}: schema \"{}\" does not exist", target.display, s));
  }

  std::vector<Schema> expected;
  bool cached = false;
  {
    std::lock_guard<std::mutex> lock(cache().mutex);
    auto it = cache().schemas.find(key);
    if (it != cache().schemas.end()) {
      expected = it->second;
      cached = true;
    }
  }
  if (!cached) {
    Shadow shadow(dialect,
                  {dialect.makes_scratch() ? target.connect : std::string(), options.shadow_url, live.info().schema,
                   target.display},
                  options.lock_timeout);
    if (shadow.in_place() && (schemas.size() != 1 || schemas[0] != live.info().schema))
      throw UsageError(
          "--schema: a shadow inside the live database holds one schema, the one runner_history is in; give "
          "--shadow-url to compare others");
    r.shadow = shadow.where();
    shadow.apply(files, steps, options.placeholders, options.cancel);
    for (const auto& s : schemas) expected.push_back(shadow.read(shadow.in_place() ? "" : s));
    std::lock_guard<std::mutex> lock(cache().mutex);
    cache().schemas.emplace(key, expected);
  }
  r.differences = compare_schema_lists(expected, found, schemas);
  return r;
}

}  // namespace runner
