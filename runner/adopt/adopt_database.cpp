// SPDX-License-Identifier: MIT
#include "runner/adopt/adopt_database.hpp"

#include "runner/adopt/source_history.hpp"
#include "runner/base/clock.hpp"
#include "runner/base/errors.hpp"
#include "runner/core/migration_text.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/history_store.hpp"
#include "runner/engine/database.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace runner {

ImportedIndex index_imported(const MigrationSet& files, const std::string& format) {
  ImportedIndex index;
  index.format = format;
  for (const auto& m : files.migrations) {
    const std::string file = m.up.generic_string();
    const Directives d = parse_directives(read_migration_text(m.up), file);
    if (!d.imported_from || d.imported_from->format != format) continue;
    const std::string key = normal_key(format, d.imported_from->key);
    if (auto [it, fresh] = index.by_key.emplace(key, &m); !fresh)
      throw SourceError(file, 0,
                        fmt::format("imported from {} {}, as {} is: one {} migration cannot be two of runner's", format,
                                    key, it->second->up.generic_string(), format));
    index.parents[key] = d.imported_from->parents;
  }
  if (index.by_key.empty())
    throw PlanError(
        fmt::format("no migration in {} was imported from {} (no -- runner:imported-from {} line): run "
                    "runner import {} --from DIR first",
                    files.dir.generic_string(), format, format, format));
  return index;
}

namespace {

// The Alembic revisions `heads` stand on, themselves included.
std::set<std::string> alembic_closure(const ImportedIndex& index, const std::set<std::string>& heads) {
  std::set<std::string> seen;
  std::vector<std::string> todo(heads.begin(), heads.end());
  while (!todo.empty()) {
    const std::string cur = todo.back();
    todo.pop_back();
    if (!seen.insert(cur).second) continue;
    auto it = index.parents.find(cur);
    if (it == index.parents.end())
      throw SafetyError(
          fmt::format("revision {} stands on revision {}, which no imported file carries", *heads.begin(), cur));
    for (const auto& p : it->second) todo.push_back(p);
  }
  return seen;
}

}  // namespace

Outcome adopt_database(const Dialect& dialect, const MigrationSet& files, const ImportedIndex& index,
                       const DatabaseInfo& target, const RunOptions& options, bool drop_source) {
  Database db(dialect, target, options.dry_run ? AccessMode::read : AccessMode::change, options.lock_timeout);
  Outcome outcome;
  outcome.display = db.info().display;
  if (!db.connected())
    throw SafetyError(fmt::format("{} does not exist: there is no history to adopt", outcome.display));
  outcome.before = db.load_history();
  std::set<std::string> keys;
  for (const auto& [k, m] : index.by_key) keys.insert(k);
  SourcePosition position = read_source_history(index.format, db.connection(), keys);
  outcome.note = position.found;
  if (index.format == "alembic") position.applied = alembic_closure(index, position.applied);

  std::vector<const Migration*> record;
  for (const auto& key : position.applied) record.push_back(index.by_key.at(key));
  std::sort(record.begin(), record.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  if (!outcome.before.empty()) {
    // Adopted before: the same rows again are nothing to do; any other row is a disagreement a
    // person must look at.
    bool same = outcome.before.size() == record.size();
    for (std::size_t i = 0; same && i < record.size(); ++i)
      same = outcome.before[i].version == record[i]->version && outcome.before[i].checksum == record[i]->checksum;
    if (!same)
      throw SafetyError(
          fmt::format("{} already holds runner_history rows ({} applied, newest {}) that disagree "
                      "with {}: check which is right, then stamp or downgrade by hand",
                      outcome.display, outcome.before.size(),
                      files.label(outcome.before.back().version, outcome.before.back().name), position.found));
    outcome.after = outcome.before;
    return outcome;
  }
  outcome.stamped = record;
  for (const Migration* m : record) outcome.after.push_back({m->version, m->name, m->checksum, "", 0});
  if (options.dry_run || (record.empty() && !drop_source)) return outcome;

  db.ensure_created();
  Connection& conn = db.connection();
  conn.begin();
  try {
    const std::string now = utc_now_iso();
    for (const Migration* m : record) db.history().insert({m->version, m->name, m->checksum, now, 0});
    if (drop_source) conn.execute("DROP TABLE " + position.table, {}, "dropping " + position.table);
    conn.commit();
  } catch (...) {
    conn.rollback();
    throw;
  }
  outcome.after = db.load_history();
  return outcome;
}

}  // namespace runner
