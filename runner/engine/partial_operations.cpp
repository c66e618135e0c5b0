// SPDX-License-Identifier: MIT
#include "runner/engine/partial_operations.hpp"

#include "runner/base/clock.hpp"
#include "runner/base/errors.hpp"
#include "runner/core/plan.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/connection_reader.hpp"
#include "runner/db/history_store.hpp"
#include "runner/engine/database.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace runner {
namespace {

std::unique_ptr<Database> open_locked(const Dialect& dialect, const DatabaseInfo& target, const RunOptions& options) {
  return std::make_unique<Database>(dialect, target, options.dry_run ? AccessMode::read : AccessMode::change,
                                    options.lock_timeout, options.cancel);
}

// Where the first statement that differs from what ran is, or npos when statements 1..applied
// are those that ran.
std::size_t first_changed(const PreparedStep& p, const PartialMigration& partial) {
  if (p.statements.size() < partial.applied) return std::min(p.statements.size(), partial.statement_hashes.size());
  StatementHashes hashes;
  for (std::size_t i = 0; i < partial.applied; ++i) hashes.add(p.statements[i].sql);
  if (hashes.prefix() == partial.prefix_hash) return std::string::npos;
  for (std::size_t i = 0; i < partial.applied && i < partial.statement_hashes.size(); ++i)
    if (hashes.each()[i] != partial.statement_hashes[i]) return i;
  return partial.applied > 0 ? partial.applied - 1 : 0;  // the short hashes agree, the chain does not
}

// The migration as it ran. A run splices before_migrate into its first migration and after_migrate
// into its last, so the one that stopped had them or not: the form whose applied statements are
// those recorded (and, of those, whose statement count is the recorded one) is the one resumed.
PreparedStep resumable(const Dialect& dialect, const MigrationSet& files, const PartialMigration& partial,
                       const Placeholders& values, SqlReader* reader, const std::string& display) {
  const Migration* m = files.find(partial.version);
  if (m == nullptr || (partial.direction == Direction::down && !m->down))
    throw SourceError(fmt::format(
        "{}: migration {} stopped part-way, but its {} file is gone from {}: restore it to resume, or resolve it "
        "by hand with `runner repair {} --mark-applied|--forget`",
        display, files.label(partial.version, partial.name), partial.direction == Direction::up ? "up" : "down",
        files.dir.string(), files.version_text(partial.version)));
  const Step step{m, partial.version, partial.direction};
  std::vector<PreparedStep> forms;
  for (int first = 1; first >= 0; --first)
    for (int last = 1; last >= 0; --last) {
      Callbacks c = files.callbacks;
      if (!first) c.before_migrate.reset();
      if (!last) c.after_migrate.reset();
      if (!forms.empty() && !files.callbacks.before_migrate && !files.callbacks.after_migrate) break;
      forms.push_back(std::move(prepare_steps({step}, dialect, values, &c, reader).front()));
    }
  const PreparedStep* best = nullptr;
  for (const auto& f : forms)
    if (first_changed(f, partial) == std::string::npos &&
        (best == nullptr ||
         (f.statements.size() == partial.statements && best->statements.size() != partial.statements)))
      best = &f;
  if (best != nullptr) return *best;
  const PreparedStep& f = forms.back();  // without the run's callbacks: the file alone
  const std::size_t i = first_changed(f, partial);
  if (i >= f.statements.size())
    throw SafetyError(fmt::format(
        "refusing to resume migration {} on {}: {} of its statements were applied, but {} now has {}; restore "
        "the statements that ran, or resolve it by hand with `runner repair {} --mark-applied|--forget`",
        f.label, display, partial.applied, f.file, f.statements.size(), files.version_text(partial.version)));
  const SplitStatement& st = f.statements[i];
  throw SafetyError(fmt::format(
      "{}:{}: refusing to resume migration {} on {}: {} {} of those it ran is not as it ran ({} applied as "
      "they were then). What runs is the file's statements with the callbacks' around them, placeholders "
      "filled in and its -- runner: directives read: a changed statement, comment inside one, callback file, "
      "placeholder value or directive each changes it. Restore what changed, or resolve the migration by hand "
      "with `runner repair {} --mark-applied|--forget`",
      statement_file(f, st), st.line, f.label, display, st.file.empty() ? "statement" : "callback statement", i + 1,
      partial.applied == 1 ? std::string("statement 1 was") : fmt::format("statements 1-{} were", partial.applied),
      files.version_text(partial.version)));
}

}  // namespace

Outcome resume_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                        const RunOptions& options, const StepEvents& events) {
  std::unique_ptr<Database> db = open_locked(dialect, target, options);
  Outcome outcome;
  outcome.display = db->info().display;
  outcome.before = db->load_history();
  outcome.after = outcome.before;
  outcome.partial = db->partial();
  if (outcome.partial.empty()) return outcome;
  check_drift(files, outcome.before, options.allow_changed, outcome.display, "refusing to resume on");
  const PartialMigration& partial = outcome.partial.front();
  Placeholders values = options.placeholders;
  values.values[k_schema_placeholder] = db->info().schema;
  outcome.placeholders = values;
  ConnectionReader reader(db->connection());
  outcome.planned = {resumable(dialect, files, partial, values, &reader, outcome.display)};
  if (options.dry_run) {
    outcome.after = history_after(outcome.before, outcome.planned);
    // What would run: the statements after those applied.
    auto& statements = outcome.planned.front().statements;
    statements.erase(statements.begin(),
                     statements.begin() + static_cast<std::ptrdiff_t>(std::min(partial.applied, statements.size())));
    return outcome;
  }
  db->ensure_created();
  if (events.planned) events.planned(outcome);
  History history = outcome.before;
  const StepResult r =
      resume_step(*db, dialect, files, history, outcome.planned.front(), partial, options.cancel, options.waits);
  outcome.done = {r};
  if (events.step_done) events.step_done(r);
  outcome.after = std::move(history);
  outcome.partial = db->partial();  // as read: the one resumed is cleared
  outcome.partial.erase(outcome.partial.begin());
  return outcome;
}

Outcome repair_database(const Dialect& dialect, const MigrationSet& files, const DatabaseInfo& target,
                        std::uint64_t version, bool mark_applied, const RunOptions& options) {
  std::unique_ptr<Database> db = open_locked(dialect, target, options);
  Outcome outcome;
  outcome.display = db->info().display;
  outcome.before = db->load_history();
  outcome.partial = db->partial();
  const auto found = std::find_if(outcome.partial.begin(), outcome.partial.end(),
                                  [&](const PartialMigration& p) { return p.version == version; });
  if (found == outcome.partial.end())
    throw PlanError(fmt::format(
        "{}: migration {} did not stop part-way (runner history shows each migration's state); repair resolves "
        "only a no-transaction migration that did, and `runner stamp` rewrites the history otherwise",
        outcome.display, files.version_text(version)));
  const PartialMigration partial = *found;
  const Migration* m = files.find(version);
  const std::string label = files.label(version, partial.name);
  const bool recorded = std::any_of(outcome.before.begin(), outcome.before.end(),
                                    [&](const AppliedMigration& a) { return a.version == version; });
  AppliedMigration row{version, m != nullptr ? m->name : partial.name, m != nullptr ? m->checksum() : partial.checksum,
                       utc_now_iso(), 0};
  std::string change;
  if (mark_applied)
    change = recorded ? fmt::format("keep {} recorded as applied in runner_history", label)
                      : fmt::format("record {} as applied in runner_history ({})", label,
                                    m != nullptr ? "with the checksum of " + m->up.string() + " as it is now"
                                                 : "its file is gone: with the checksum the file had when it started");
  else
    change = recorded ? fmt::format("remove {} from runner_history (recorded as not applied)", label)
                      : fmt::format("leave {} unrecorded in runner_history (not applied)", label);
  outcome.note = fmt::format("{}, and clear its progress ({}, {})", change, describe_progress(partial),
                             partial.direction == Direction::up ? "upgrading" : "downgrading");
  outcome.after = outcome.before;
  if (mark_applied && !recorded) {
    apply_step(outcome.after, Direction::up, row);
    if (m != nullptr) outcome.stamped.push_back(m);
  }
  if (!mark_applied && recorded) {
    apply_step(outcome.after, Direction::down, row);
    outcome.unstamped.push_back(version);
  }
  if (options.dry_run) return outcome;
  db->ensure_created();
  Connection& conn = db->connection();
  conn.begin();
  try {
    if (mark_applied && !recorded) db->history().insert(row);
    if (!mark_applied && recorded) db->history().remove(version);
    db->history().progress_delete(version);
    conn.commit();
  } catch (...) {
    conn.rollback();
    throw;
  }
  outcome.partial.erase(std::find_if(outcome.partial.begin(), outcome.partial.end(),
                                     [&](const PartialMigration& p) { return p.version == version; }));
  return outcome;
}

}  // namespace runner
