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
  if (!outcome.before.empty() && !source_table_readable(index.format, db.connection())) {
    // Adopted with --drop-source before (or the table went another way): runner's history is the
    // history now.
    outcome.note =
        fmt::format("{} is gone; runner_history holds {} applied", source_table(index.format), outcome.before.size());
    outcome.after = outcome.before;
    return outcome;
  }
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
    // Adopted before: nothing to do when runner_history holds every migration the other tool's
    // history says (runner may have applied more since); one it lacks, or holds with another
    // checksum, is a disagreement a person must look at.
    bool same = true;
    for (const Migration* m : record)
      same = same && std::any_of(outcome.before.begin(), outcome.before.end(), [&](const AppliedMigration& a) {
               return a.version == m->version && a.checksum == m->checksum();
             });
    if (!same)
      throw SafetyError(
          fmt::format("{} already holds runner_history rows ({} applied, newest {}) that disagree "
                      "with {}: check which is right, then stamp or downgrade by hand",
                      outcome.display, outcome.before.size(),
                      files.label(outcome.before.back().version, outcome.before.back().name), position.found));
    outcome.after = outcome.before;
    if (drop_source && !options.dry_run) {
      // Adopted before, kept then: the table can go now that both histories agree.
      Connection& conn = db.connection();
      conn.begin();
      try {
        conn.execute("DROP TABLE " + position.table, {}, "dropping " + position.table);
        conn.commit();
      } catch (...) {
        conn.rollback();
        throw;
      }
    }
    return outcome;
  }
  outcome.stamped = record;
  for (const Migration* m : record) outcome.after.push_back({m->version, m->name, m->checksum(), "", 0});
  if (options.dry_run || (record.empty() && !drop_source)) return outcome;

  db.ensure_created();
  Connection& conn = db.connection();
  conn.begin();
  try {
    const std::string now = utc_now_iso();
    for (const Migration* m : record) db.history().insert({m->version, m->name, m->checksum(), now, 0});
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
