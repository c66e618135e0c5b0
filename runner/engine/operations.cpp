// SPDX-License-Identifier: MIT
#include "runner/engine/operations.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/base/text.hpp"
#include "runner/core/plan.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/connection_reader.hpp"
#include "runner/db/history_store.hpp"
#include "runner/engine/atomic_plan.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/lint.hpp"
#include "runner/engine/offline_translation.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <future>
#include <memory>
#include <optional>

namespace runner {

void check_drift(const MigrationSet& files, const History& history, bool allow_changed, const std::string& display,
                 const std::string& refused) {
  std::vector<Drift> drift = find_drift(files, history);
  if (drift.empty()) return;
  if (allow_changed) {
    log().warn("{}: proceeding despite applied migrations that changed (--allow-changed):\n{}", display,
               describe_drift(drift));
    return;
  }
  throw SafetyError(refused + " " + display + ": applied migrations changed since they ran:\n" + describe_drift(drift) +
                    "\nrestore the files as they were applied, or pass --allow-changed to proceed anyway");
}

void refuse_partial(const std::vector<PartialMigration>& partial, const MigrationSet& files,
                    const std::string& display) {
  if (partial.empty()) return;
  const PartialMigration& p = partial.front();
  const std::string version = files.version_text(p.version);
  std::string where;
  if (!p.error.empty())
    where = fmt::format(
        "\n  {}{}",
        p.error_file.empty() ? "" : p.error_file + (p.error_line ? ":" + std::to_string(p.error_line) : "") + ": ",
        first_line(p.error));
  else
    where =
        "\n  no failure was recorded: the run that began it ended without recording why (killed, or aborted by a "
        "second signal); a statement of it may still be running on the server";
  throw SafetyError(fmt::format(
      "refusing to run on {}: migration {} stopped part-way ({}, {}, started {}){}\nfix the cause, then `runner "
      "resume` to run it on from statement {}; or, having finished or undone it by hand, `runner repair {} "
      "--mark-applied` or `runner repair {} --forget`",
      display, files.label(p.version, p.name), describe_progress(p),
      p.direction == Direction::up ? "upgrading" : "downgrading", p.started_at, where, p.applied + 1, version,
      version));
}

namespace {

// `writes`: the command changes the database (a dry run never does), so a standby is refused now,
// also when it reads and plans before taking the lock (a Database opened to change checks itself).
std::unique_ptr<Database> open(const Dialect& dialect, const DatabaseInfo& target, AccessMode mode,
                               const RunOptions& options, bool writes = true) {
  auto db = std::make_unique<Database>(dialect, target, options.dry_run ? AccessMode::read : mode, options.lock_timeout,
                                       options.cancel, options.connections);
  if (writes && !options.dry_run && mode == AccessMode::read) db->refuse_read_only();
  return db;
}

Outcome run_planned(Database& db, const Dialect& dialect, const MigrationSet& files, Outcome outcome,
                    const RunOptions& options, const StepEvents& events) {
  if (events.planned) events.planned(outcome);
  History history = outcome.before;
  outcome.done = options.atomic && !outcome.planned.empty() && outcome.planned.front().step.direction == Direction::up
                     ? execute_atomic(db, dialect, files, history, outcome.planned, events.step_done, options.cancel,
                                      options.waits)
                     : execute_steps(db, dialect, files, history, outcome.planned, events.step_done, options.cancel,
                                     options.waits);
  outcome.after = std::move(history);
  return outcome;
}

}  // namespace

History history_after(History history, const std::vector<PreparedStep>& steps) {
  for (const auto& p : steps)
    apply_step(history, p.step.direction, {p.step.version, p.step.migration->name, p.checksum, "", 0});
  return history;
}

namespace {

// The user's values, and runner.schema: the schema this database's run targets ("" where none).
Placeholders placeholders_for(const RunOptions& options, const Database& db) {
  Placeholders p = options.placeholders;
  p.values[k_schema_placeholder] = db.info().schema;
  return p;
}

}  // namespace

namespace {

// A database opened for a run, with the history it holds: under the run lock, or (`locked` false)
// read first, the lock taken once the plan shows work to do.
struct Opened {
  std::unique_ptr<Database> db;
  History history;
  bool locked = true;
};

Opened open_and_read(const Dialect& dialect, const DatabaseInfo& target, const RunOptions& options, bool lock = true) {
  Opened o;
  o.db = open(dialect, target, lock ? AccessMode::change : AccessMode::read, options);
  o.history = o.db->load_history();
  o.locked = lock;
  return o;
}

bool same_history(const History& a, const History& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
           return x.version == y.version && x.checksum == y.checksum;
         });
}

// Plans; on a database read without the lock (`locked` false), then takes the lock once the plan
// shows work to do, and plans again if another runner applied something meanwhile. A plan from the
// unlocked read that fails may have met another runner half-way (its migration's objects there,
// its history row not yet): the verdict is the one made under the lock.
template <class Plan>
void plan_then_lock(Database& db, const Dialect& dialect, const RunOptions& options, bool locked, Outcome& outcome,
                    Plan&& plan) {
  if (locked || options.dry_run || !db.connected()) {
    plan();
    return;
  }
  try {
    plan();
  } catch (const Error&) {
    db.take_run_lock(dialect, options.lock_timeout);
    plan();  // reads the history again
    return;
  }
  if (outcome.planned.empty()) return;
  db.take_run_lock(dialect, options.lock_timeout);
  if (!same_history(db.load_history(), outcome.before)) plan();
}

Outcome upgrade_opened(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target, const Target& to,
                       const RunOptions& options, const StepEvents& events, Opened opened) {
  // Plan under the run lock, and read, split and check every pending file, before anything is
  // created: a refused run leaves the database exactly as it was.
  std::unique_ptr<Database> db = std::move(opened.db);
  Outcome outcome;
  outcome.display = db->info().display;
  const Placeholders values = placeholders_for(options, *db);
  outcome.placeholders = values;
  std::optional<History> read = std::move(opened.history);
  auto plan = [&] {
    outcome.before = read ? std::move(*read) : db->load_history();
    read.reset();
    refuse_partial(db->partial(), files, outcome.display);
    check_drift(files, outcome.before, options.allow_changed, outcome.display);
    std::unique_ptr<ConnectionReader> reader;
    if (db->connected()) reader = std::make_unique<ConnectionReader>(db->connection());
    outcome.planned = {};  // a second plan must not hold the first one's statements (a data file's size) too
    outcome.planned = prepare_steps(plan_upgrade(files, outcome.before, to, options.out_of_order), dialect, values,
                                    &files.callbacks, reader.get());
    check_translation(dialect, files, outcome.before, outcome.planned, values,
                      db->connected() ? &db->connection() : nullptr, db->info().schema);
    if (options.atomic) check_atomic(dialect, outcome.planned, reader.get());
  };
  plan_then_lock(*db, dialect, options, opened.locked, outcome, plan);
  if (options.lint && !outcome.planned.empty()) {
    // Once, on the plan that stands; before anything is created or backed up.
    std::unique_ptr<ConnectionReader> reader;
    if (db->connected()) reader = std::make_unique<ConnectionReader>(db->connection());
    refuse_lint_errors(dialect, outcome.planned, {values, options.waits.lock_wait.count() > 0}, reader.get(),
                       outcome.display);
  }
  if (options.dry_run || outcome.planned.empty()) {
    outcome.after = history_after(outcome.before, outcome.planned);
    return outcome;
  }
  const bool existed = db->connected();
  if (!db->connected()) {
    // A SQLite file that does not exist yet: create it and take its lock. Another runner may have
    // got there first: then plan again from what it applied (else the plan stands, and a large
    // file is not read, split and checked twice).
    db.reset();
    db = open(dialect, target, AccessMode::create, options);
    if (!same_history(db->load_history(), outcome.before)) plan();
  }
  // Under the lock, before anything changes (runner's own tables included); a new database has
  // nothing to keep.
  if (options.backup.enabled && existed)
    outcome.backup =
        back_up(dialect, db->info(), outcome.before.empty() ? 0 : outcome.before.back().version, options.backup);
  db->ensure_created();
  return run_planned(*db, dialect, files, std::move(outcome), options, events);
}

Outcome downgrade_opened(const Dialect& dialect, const MigrationSet& files, const RunOptions& options, const Target& to,
                         const StepEvents& events, Opened opened) {
  std::unique_ptr<Database> db = std::move(opened.db);
  Outcome outcome;
  outcome.display = db->info().display;
  const Placeholders values = placeholders_for(options, *db);
  outcome.placeholders = values;
  std::optional<History> read = std::move(opened.history);
  auto plan = [&] {
    outcome.before = read ? std::move(*read) : db->load_history();
    read.reset();
    refuse_partial(db->partial(), files, outcome.display);
    check_drift(files, outcome.before, options.allow_changed, outcome.display);
    std::unique_ptr<ConnectionReader> reader;
    if (db->connected()) reader = std::make_unique<ConnectionReader>(db->connection());
    outcome.planned = {};
    outcome.planned =
        prepare_steps(plan_downgrade(files, outcome.before, to), dialect, values, &files.callbacks, reader.get());
    check_translation(dialect, files, outcome.before, outcome.planned, values,
                      db->connected() ? &db->connection() : nullptr, db->info().schema);
  };
  plan_then_lock(*db, dialect, options, opened.locked, outcome, plan);
  if (options.dry_run || outcome.planned.empty()) {
    outcome.after = history_after(outcome.before, outcome.planned);
    return outcome;
  }
  db->ensure_created();  // an older layout of runner's tables is brought up before any history write
  return run_planned(*db, dialect, files, std::move(outcome), options, events);
}

// Opens the database on another thread while `files()` runs on this one.
template <class Run>
Outcome overlapped(const Dialect& dialect, const std::function<const MigrationSet&()>& files,
                   const DatabaseInfo& target, const RunOptions& options, Run&& run) {
  // Read without the lock: a run with nothing to do takes none, and files that are wrong are said
  // without waiting for another runner.
  std::future<Opened> opening = std::async(
      std::launch::async, [&dialect, &target, &options] { return open_and_read(dialect, target, options, false); });
  const MigrationSet* set = nullptr;
  try {
    set = &files();
  } catch (...) {
    // The files' problem is the one to report; the database, opened or not, is closed unchanged.
    try {
      opening.get();
    } catch (...) {
    }
    throw;
  }
  return run(*set, opening.get());
}

}  // namespace

Outcome upgrade_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                         const Target& to, const RunOptions& options, const StepEvents& events) {
  return upgrade_opened(dialect, files, target, to, options, events, open_and_read(dialect, target, options));
}

Outcome upgrade_database(const Dialect& dialect, const std::function<const MigrationSet&()>& files,
                         const DatabaseInfo& target, const Target& to, const RunOptions& options,
                         const StepEvents& events) {
  return overlapped(dialect, files, target, options, [&](const MigrationSet& set, Opened opened) {
    return upgrade_opened(dialect, set, target, to, options, events, std::move(opened));
  });
}

Outcome downgrade_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                           const Target& to, const RunOptions& options, const StepEvents& events) {
  return downgrade_opened(dialect, files, options, to, events, open_and_read(dialect, target, options));
}

Outcome downgrade_database(const Dialect& dialect, const std::function<const MigrationSet&()>& files,
                           const DatabaseInfo& target, const Target& to, const RunOptions& options,
                           const StepEvents& events) {
  return overlapped(dialect, files, target, options, [&](const MigrationSet& set, Opened opened) {
    return downgrade_opened(dialect, set, options, to, events, std::move(opened));
  });
}

Outcome stamp_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target, const Target& to,
                       const RunOptions& options) {
  auto db = open(dialect, target, AccessMode::change, options);
  Outcome outcome;
  outcome.display = db->info().display;
  outcome.before = db->load_history();
  refuse_partial(db->partial(), files, outcome.display);
  StampPlan plan = plan_stamp(files, outcome.before, to);  // a bad target stops here, nothing created
  if (!options.dry_run && !(plan.add.empty() && plan.remove.empty())) {
    if (!db->connected()) {
      db.reset();
      db = open(dialect, target, AccessMode::create, options);
      outcome.before = db->load_history();
      plan = plan_stamp(files, outcome.before, to);
    }
    db->ensure_created();
    // One transaction: the history is rewritten whole or not at all.
    Connection& conn = db->connection();
    conn.begin();
    try {
      const std::string now = utc_now_iso();
      for (const Migration* m : plan.add) db->history().insert({m->version, m->name, m->checksum(), now, 0});
      for (std::uint64_t v : plan.remove) db->history().remove(v);
      conn.commit();
    } catch (...) {
      conn.rollback();
      throw;
    }
  }
  outcome.stamped = plan.add;
  outcome.unstamped = plan.remove;
  outcome.after = outcome.before;
  for (const Migration* m : plan.add) outcome.after.push_back({m->version, m->name, m->checksum(), "", 0});
  outcome.after.erase(std::remove_if(outcome.after.begin(), outcome.after.end(),
                                     [&](const AppliedMigration& r) {
                                       return std::find(plan.remove.begin(), plan.remove.end(), r.version) !=
                                              plan.remove.end();
                                     }),
                      outcome.after.end());
  std::sort(outcome.after.begin(), outcome.after.end(),
            [](const AppliedMigration& a, const AppliedMigration& b) { return a.version < b.version; });
  if (!options.dry_run && db->connected()) outcome.after = db->load_history();
  return outcome;
}

Outcome inspect_database(const Dialect& dialect, const DatabaseInfo& target, const RunOptions& options) {
  auto db = open(dialect, target, AccessMode::read, options, false);
  Outcome outcome;
  outcome.display = db->info().display;
  outcome.before = db->load_history();
  outcome.after = outcome.before;
  outcome.partial = db->partial();
  return outcome;
}

}  // namespace runner
