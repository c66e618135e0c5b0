// SPDX-License-Identifier: MIT
#include "runner/engine/executor.hpp"

#include "plugins/dialect_abi.h"
#include "plugins/sdk/sql_text.hpp"
#include "runner/base/cancellation.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/base/text.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/connection_reader.hpp"
#include "runner/db/history_store.hpp"
#include "runner/db/lock_watch.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/progress_tracker.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

namespace runner {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t elapsed_us(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - since).count();
}

// The file line where the database located the error, or the statement's own line.
std::uint32_t failure_line(const SplitStatement& st, const StatementFailure& f) {
  if (f.byte_offset == std::string::npos || f.byte_offset > st.sql.size()) return st.line;
  std::size_t first = sdk::skip_blank(st.sql, 0, true);
  std::uint32_t first_line_in_sql = sdk::line_at(st.sql, first);
  std::uint32_t error_line_in_sql = sdk::line_at(st.sql, f.byte_offset);
  return st.line + (error_line_in_sql - std::min(error_line_in_sql, first_line_in_sql));
}

std::string labels(const std::vector<StepResult>& done) {
  std::string out;
  for (const auto& r : done)
    out += (out.empty() ? "" : ", ") + r.label + (r.direction == Direction::down ? " (down)" : "");
  return out.empty() ? "none" : out;
}

std::string statement_position(const PreparedStep& p, std::size_t index, std::uint32_t line);

std::string failure_report(const PreparedStep& p, std::size_t index, const StatementFailure& f,
                           const std::string& backend, std::uint32_t* reported_line) {
  const SplitStatement& st = p.statements[index];
  // A translated statement's offsets are not the file's.
  std::uint32_t line = (st.flags & RUNNER_STMT_TRANSLATE) ? st.line : failure_line(st, f);
  *reported_line = line;
  std::string msg = fmt::format("{} failed: {}\n  {}: {}", statement_position(p, index, line),
                                statement_headline(st.sql), backend, f.message);
  if (!f.sqlstate.empty()) msg += fmt::format(" (SQLSTATE {})", f.sqlstate);
  if (!f.code.empty()) msg += fmt::format(" ({})", f.code);
  if (!f.detail.empty()) msg += fmt::format("\n  detail: {}", f.detail);
  if (!f.hint.empty()) msg += fmt::format("\n  hint: {}", f.hint);
  return msg;
}

std::string statement_position(const PreparedStep& p, std::size_t index, std::uint32_t line) {
  const SplitStatement& st = p.statements[index];
  if (!st.file.empty())  // a callback's statement, run as part of this migration
    return fmt::format("{}:{}: callback statement (line {}) in migration {}", st.file, line, st.line, p.label);
  return fmt::format("{}:{}: statement {} of {} (line {})", p.file, line, index + 1, p.statements.size(), st.line);
}

// Runs statement `index` of `p`, through the dialect's translation when it asks for one. Returns
// "" on success, else the report of what failed and, in *line, the file line it names (nothing is
// rolled back here).
std::string run_statement(Connection& conn, const Dialect& dialect, const PreparedStep& p, std::size_t index,
                          const std::string& backend, std::uint32_t* line, StatementFailure* failed) {
  const SplitStatement& st = p.statements[index];
  StatementFailure& f = *failed;
  *line = st.line;
  if (!(st.flags & RUNNER_STMT_TRANSLATE)) {
    if (conn.execute_native(st.sql, &f)) return "";
    return failure_report(p, index, f, backend, line);
  }
  Translation t;
  try {
    ConnectionReader reader(conn);
    t = dialect.translate(st, &reader);
  } catch (const Error& e) {
    t.ok = false;
    t.error = e.what();
  }
  if (!t.ok)
    return fmt::format("{} cannot run on {}: {}\n  {}", statement_position(p, index, st.line), dialect.name(),
                       statement_headline(st.sql), t.error);
  for (std::size_t k = 0; k < t.statements.size(); ++k) {
    if (conn.execute_native(t.statements[k].sql, &f)) continue;
    std::string msg = failure_report(p, index, f, backend, line);
    msg += fmt::format("\n  in step {} of {} {} runs for it: {}", k + 1, t.statements.size(), dialect.name(),
                       statement_headline(t.statements[k].sql));
    return msg;
  }
  return "";
}

// Runs `statements` in one round trip, or one by one where the driver takes one per call; *failed_sql
// (when given) is the one that failed, or all of them sent together.
bool execute_all(Connection& conn, const std::vector<std::string>& statements, bool one_by_one,
                 StatementFailure* failed, std::string* failed_sql = nullptr) {
  if (!one_by_one) {
    std::string sql;
    for (const auto& s : statements) sql += (sql.empty() ? "" : ";\n") + s;
    if (failed_sql != nullptr) *failed_sql = sql;
    return sql.empty() || conn.execute_native(sql, failed);
  }
  for (const auto& s : statements) {
    if (failed_sql != nullptr) *failed_sql = s;
    if (!conn.execute_native(s, failed)) return false;
  }
  return true;
}

// Opens the migration: its transaction (with the file's own BEGIN when it wrapped its body in
// one) and the session settings the dialect re-establishes before each migration, in one round
// trip where the driver takes several statements at once. Returns "" or what failed.
// `begin`: open the transaction (else only the session settings, for statements the file runs
// before it).
std::string open_migration(Connection& conn, const PreparedStep& p, const std::vector<std::string>& reset,
                           bool one_by_one, const std::string& backend, StatementFailure* failed, bool begin) {
  if (begin && p.begin_sql.empty() && reset.empty()) {
    conn.begin();
    return "";
  }
  // The settings first: SQLite ignores PRAGMA foreign_keys inside a transaction.
  std::vector<std::string> statements = reset;
  if (begin) statements.push_back(p.begin_sql.empty() ? std::string("BEGIN") : p.begin_sql);
  if (statements.empty()) return "";
  std::string sql;
  StatementFailure& f = *failed;
  if (execute_all(conn, statements, one_by_one, &f, &sql)) return "";
  conn.rollback();
  const std::string where = p.begin_sql.empty() ? p.file : fmt::format("{}:{}", p.file, p.begin_line);
  return fmt::format("{}: migration {} could not begin: {}\n  {}: {}{}\nnothing of it was applied; the database is at ",
                     where, p.label, statement_headline(sql), backend, f.message,
                     f.sqlstate.empty() ? std::string() : fmt::format(" (SQLSTATE {})", f.sqlstate));
}

std::string not_run(const std::vector<PreparedStep>& steps, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < steps.size(); ++i)
    out += (out.empty() ? "" : ", ") + steps[i].label + (steps[i].step.direction == Direction::down ? " (down)" : "");
  return out;
}

// The interrupted run's report: what stopped it, then what the step's own error says.
MigrationError interrupted(const Cancellation& cancel, const MigrationError& e) {
  MigrationError out(fmt::format("interrupted by {}: {}", interrupt_name(cancel.signal()), e.what()), e.completed(),
                     e.file(), e.line(), interrupted_exit_code(cancel.signal()));
  out.set_database_said(e.database_said());
  return out;
}

}  // namespace

std::string describe_position(const History& history, const MigrationSet& files) {
  if (history.empty()) return "base";
  return files.label(history.back().version, history.back().name);
}

namespace {

// Runs one run's steps, keeping the history and what completed.
class StepRunner {
 public:
  StepRunner(Database& database, const Dialect& d, const MigrationSet& set, History& h, Cancellation* c, const Waits& w)
      : db(database),
        conn(database.connection()),
        store(database.history()),
        dialect(d),
        backend(d.name()),
        files(set),
        history(h),
        cancel(c),
        waits(w),
        reset(database.info().reset_sql),
        one_statement(database.info().one_statement) {
    // The waits are set again before each migration, with the dialect's settings: a migration
    // that SETs its own lock_timeout does not change the next one's.
    const RunnerSql& sql = database.history().sql();
    const auto ms = [](std::chrono::milliseconds v) { return std::to_string(v.count()); };
    if (waits.lock_wait.count() > 0) reset.push_back(replace_all(sql.lock_wait_sql, "$MS$", ms(waits.lock_wait)));
    if (waits.statement_timeout.count() > 0)
      reset.push_back(replace_all(sql.statement_timeout_sql, "$MS$", ms(waits.statement_timeout)));
    if (waits.lock_wait.count() > 0 && !sql.lock_blockers_sql.empty() && !database.info().session_id_query.empty()) {
      const std::string session = conn.query_string(database.info().session_id_query);
      const std::string pid = session.substr(0, session.find(' '));
      if (!pid.empty() && pid.find_first_not_of("0123456789") == std::string::npos)
        watch = std::make_unique<LockWatch>(
            d, database.info(), replace_all(sql.lock_blockers_sql, "$PID$", pid),
            std::clamp(waits.lock_wait / 4, std::chrono::milliseconds(20), std::chrono::milliseconds(250)));
    }
  }

  bool stop_requested() const { return cancel != nullptr && cancel->requested(); }
  // Before try `attempt` + 1 of what gave up waiting for a lock: longer each time (1 s, 2 s, 4 s,
  // ... at most a minute), since a lock held by a long transaction needs time to go, and each
  // try holds the queue up only for --lock-wait.
  static std::chrono::milliseconds retry_pause(unsigned attempt) {
    return std::min(std::chrono::milliseconds(1000) * (1u << std::min(attempt - 1, 6u)),
                    std::chrono::milliseconds(60000));
  }
  void sleep_unless_stopped(std::chrono::milliseconds pause) const {
    for (auto slept = std::chrono::milliseconds(0); slept < pause && !stop_requested();
         slept += std::chrono::milliseconds(50))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // Runs `p` (from where `resumed` stopped, when given) and records it. Throws MigrationError.
  StepResult run(const PreparedStep& p, const PartialMigration* resumed = nullptr);
  // run(), tried again while it gives up waiting for a lock, up to waits.lock_retries times.
  StepResult run_with_retries(const PreparedStep& p, const PartialMigration* resumed = nullptr);
  // Runs every step in one transaction with their history rows (--atomic); nothing is recorded
  // unless all of them ran. REQUIRES: check_atomic(steps). Throws MigrationError.
  std::vector<StepResult> run_atomic(const std::vector<PreparedStep>& steps);

  Database& db;
  Connection& conn;
  HistoryStore& store;
  const Dialect& dialect;
  const std::string& backend;
  const MigrationSet& files;
  History& history;
  Cancellation* cancel;
  Waits waits;
  std::vector<std::string> reset;  // before each migration: the session's settings and the waits
  bool one_statement;              // the driver takes one statement per call: never join them
  std::unique_ptr<LockWatch> watch;
  std::vector<StepResult> done;
};

// What a no-transaction migration that stopped leaves, and what to do: resume or repair when
// runner_progress keeps it, else by hand. `applied`: statements that stay applied.
std::string stopped_outcome(const PreparedStep& p, const ProgressTracker& progress, std::size_t applied,
                            const std::string& not_recorded) {
  const std::string what = applied == 0   ? std::string("no statement of it was applied")
                           : applied == 1 ? std::string("statement 1 was applied and stays applied")
                                          : fmt::format("statements 1-{} were applied and stay applied", applied);
  if (!progress.active() || !not_recorded.empty())
    return fmt::format(
        "migration {} runs {}: {}; it is not recorded as applied{}. "
        "Repair by hand, then run it again or `runner stamp {}`.",
        p.label, transaction_note(p), what,
        not_recorded.empty() ? "" : " (runner_progress could not record it: " + not_recorded + ")",
        p.step.migration->version_text);
  return fmt::format(
      "migration {} runs {}: {}; it is recorded as partial ({} of {} "
      "statements applied). Fix the cause, then `runner resume` runs it on from statement {}; or, having finished "
      "or undone it by hand, record that with `runner repair {} --mark-applied` or `runner repair {} --forget`.",
      p.label, transaction_note(p), what, applied, p.statements.size(), applied + 1, p.step.migration->version_text,
      p.step.migration->version_text);
}

StepResult StepRunner::run_with_retries(const PreparedStep& p, const PartialMigration* resumed) {
  std::optional<PartialMigration> partial;
  if (resumed != nullptr) partial = *resumed;
  for (unsigned attempt = 1;; ++attempt) {
    if (watch) watch->clear();
    try {
      return run(p, partial ? &*partial : nullptr);
    } catch (const MigrationError& e) {
      if (!e.lock_wait() || attempt > waits.lock_retries || waits.lock_wait.count() == 0 || stop_requested()) {
        if (attempt == 1 || !e.lock_wait()) throw;
        std::string message = e.what();
        const std::size_t tail = message.rfind("\napplied by this run");
        message.insert(tail == std::string::npos ? message.size() : tail,
                       fmt::format("\ngave up after {} attempts (--lock-retries {})", attempt, waits.lock_retries));
        MigrationError last(message, e.completed(), e.file(), e.line(), e.exit_code(), true);
        last.set_database_said(e.database_said());
        throw last;
      }
      const auto pause = retry_pause(attempt);
      log().warn("{}: migration {} gave up waiting {} ms for a lock{}; {}; attempt {} of {} in {} ms",
                 db.info().display, p.label, waits.lock_wait.count(),
                 watch && !watch->blockers().empty() ? " held by " + watch->blockers() : std::string(),
                 p.in_transaction ? "rolled back" : "its statements before that one stay applied", attempt + 1,
                 waits.lock_retries + 1, pause.count());
      sleep_unless_stopped(pause);
      if (stop_requested()) throw;
      // A migration without a transaction goes on from the statement that gave up.
      if (!p.in_transaction && store.tracks_progress())
        for (const auto& row : store.progress())
          if (row.version == p.step.version) partial = row;
    }
  }
}

StepResult StepRunner::run(const PreparedStep& p, const PartialMigration* resumed) {
  log().debug("{} {} ({} statements, {})", p.step.direction == Direction::up ? "applying" : "reverting", p.file,
              p.statements.size(), transaction_note(p));
  const auto start = Clock::now();
  AppliedMigration row;
  row.version = p.step.version;
  row.name = p.step.migration->name;
  row.checksum = p.checksum;
  ProgressTracker progress(store, p, resumed);
  try {
    progress.begin();
  } catch (const Error& e) {
    MigrationError error(fmt::format("{}: {}\nnothing of migration {} was applied\napplied by this run before the "
                                     "failure: {}",
                                     p.file, e.what(), p.label, labels(done)),
                         done, p.file, 0);
    error.set_database_said(e.database_said());
    throw error;
  }

  StatementFailure begin_failure;
  const auto open = [&](const std::vector<std::string>& settings, bool begin) {
    if (std::string report = open_migration(conn, p, settings, one_statement, backend, &begin_failure, begin);
        !report.empty()) {
      progress.stopped(first_line(report), p.file, p.begin_line);
      MigrationError error(fmt::format("{}{}\napplied by this run before the failure: {}", report,
                                       describe_position(history, files), labels(done)),
                           done, p.file, p.begin_line);
      error.set_database_said(database_said(begin_failure));
      throw error;
    }
  };
  // What the file runs before its transaction runs first, after the session settings.
  const std::size_t body_from = p.outside_before, body_to = p.statements.size() - p.outside_after;
  if (p.outside_before > 0) {
    open(reset, false);
    for (std::size_t i = 0; i < body_from; ++i) {
      std::uint32_t line = 0;
      StatementFailure failure;
      std::string report = run_statement(conn, dialect, p, i, backend, &line, &failure);
      if (report.empty()) continue;
      MigrationError error(
          fmt::format("{}\nit runs before the migration's transaction (it cannot run inside one); nothing of "
                      "migration {}'s transaction ran; the database is at {}\napplied by this run before the "
                      "failure: {}",
                      report, p.label, describe_position(history, files), labels(done)),
          done, statement_file(p, p.statements[i]), line);
      error.set_database_said(database_said(failure));
      throw error;
    }
    open({}, true);
  } else {
    open(reset, p.in_transaction);
  }
  // A request to stop cancels a transactional migration's statement (it is rolled back with the
  // rest); a no-transaction migration's statement finishes, since its work stays whatever happens,
  // unless the run is aborted. One that runs statement by statement because each statement commits
  // by itself (DDL that commits implicitly) has its statement cancelled too (below): the database
  // undoes a cancelled statement whole, and an ALTER of hours must not hold a Ctrl-C for hours.
  Cancellation::Registration cancel_statement;
  if (cancel != nullptr)
    cancel_statement = cancel->on(p.in_transaction ? Cancellation::When::request : Cancellation::When::abort,
                                  [this] { conn.cancel(); });
  const std::size_t first = std::max(progress.first(), body_from);
  // Resumed or retried part-way: what the statements already applied set in their session (a USE,
  // a SET) is set again, or the rest would run in another database or with other settings.
  for (std::size_t i = body_from; i < first; ++i) {
    if (!(p.statements[i].flags & RUNNER_STMT_SESSION)) continue;
    StatementFailure f;
    if (conn.execute_native(p.statements[i].sql, &f)) continue;
    MigrationError error(fmt::format("{}:{}: setting the session up again as statement {} did before the run stopped "
                                     "failed: {}: {}\nnothing more of migration {} ran; the database is at {}",
                                     statement_file(p, p.statements[i]), p.statements[i].line, i + 1, backend,
                                     f.message, p.label, describe_position(history, files)),
                         done, statement_file(p, p.statements[i]), p.statements[i].line);
    error.set_database_said(database_said(f));
    throw error;
  }
  for (std::size_t i = first; i < body_to; ++i) {
    const SplitStatement& st = p.statements[i];
    if (i > first && stop_requested()) {
      // Between statements: stop before the next one.
      const bool own_transaction = !p.in_transaction && conn.in_transaction();
      if (p.in_transaction || conn.in_transaction()) conn.rollback();
      std::string outcome;
      if (p.in_transaction) {
        outcome = fmt::format("migration {} was rolled back; the database is at {}", p.label,
                              describe_position(history, files));
      } else {
        const std::string not_recorded =
            progress.stopped(fmt::format("stopped by {} before statement {}", interrupt_name(cancel->signal()), i + 1),
                             statement_file(p, st), st.line);
        outcome = std::string(own_transaction ? "the transaction the file had begun was rolled back; " : "") +
                  stopped_outcome(p, progress, progress.active() ? progress.recorded() : i, not_recorded);
      }
      throw MigrationError(
          fmt::format("{}: stopped before statement {} (line {}); {}\napplied by this run before the failure: {}",
                      statement_file(p, st), i + 1, st.line, outcome, labels(done)),
          done, statement_file(p, st), st.line);
    }
    std::uint32_t line = 0;
    StatementFailure failure;
    // Where each statement commits by itself, a request to stop cancels the statement running, and
    // only it: not runner's record of the one before.
    Cancellation::Registration cancel_this;
    if (cancel != nullptr && p.implicit_commit_line != 0)
      cancel_this = cancel->on(Cancellation::When::request, [this] { conn.cancel(); });
    std::string report = run_statement(conn, dialect, p, i, backend, &line, &failure);
    cancel_this = Cancellation::Registration();
    const bool locked = failure.locked;
    if (report.empty()) {
      try {
        progress.completed(i, !p.in_transaction && conn.in_transaction());
      } catch (const Error& e) {
        throw MigrationError(
            fmt::format("{}: statement {} of migration {} was applied, but runner_progress could not record it: {}\n{}"
                        "\napplied by this run before the failure: {}",
                        statement_file(p, st), i + 1, p.label, e.what(), stopped_outcome(p, progress, i + 1, e.what()),
                        labels(done)),
            done, statement_file(p, st), st.line);
      }
      continue;
    }
    if (p.in_transaction) {
      conn.rollback();
      report += fmt::format("\nmigration {} was rolled back; the database is at {}", p.label,
                            describe_position(history, files));
    } else {
      const bool own_transaction = conn.in_transaction();
      // The file began a transaction of its own and failed inside it: that part is undone.
      if (own_transaction) conn.rollback();
      const std::string not_recorded = progress.stopped(report, statement_file(p, st), line);
      report += "\n" + std::string(own_transaction ? "the transaction the file had begun was rolled back; " : "") +
                stopped_outcome(p, progress, progress.active() ? progress.recorded() : i, not_recorded);
    }
    if (locked && waits.lock_wait.count() > 0) {
      const std::string blockers = watch ? watch->blockers() : std::string();
      report += fmt::format("\nthe statement waited {} ms (--lock-wait) for a lock another connection holds{}",
                            waits.lock_wait.count(), blockers.empty() ? "" : ": " + blockers);
    } else if (locked) {
      report +=
          fmt::format("\n{} was locked by another connection holding a transaction open on it past --lock-timeout",
                      db.info().display);
    }
    report += fmt::format("\napplied by this run before the failure: {}", labels(done));
    MigrationError error(report, done, statement_file(p, st), line, locked ? k_exit_refused : k_exit_failure, locked);
    error.set_database_said(database_said(failure));
    throw error;
  }
  // Every statement ran: the migration commits with its history row, a boundary to stop at.
  cancel_statement = {};
  const std::int64_t us = elapsed_us(start);
  row.execution_ms = us / 1000;
  if (!p.in_transaction && conn.in_transaction()) {
    conn.rollback();
    const std::string not_recorded =
        progress.stopped("the file begins a transaction it never ends (add its COMMIT)", p.file, 0);
    throw MigrationError(
        fmt::format("{}: the file begins a transaction it never ends (add its COMMIT); that "
                    "transaction was rolled back\n{}\napplied by this run before the failure: {}",
                    p.file, stopped_outcome(p, progress, progress.recorded(), not_recorded), labels(done)),
        done, p.file, 0);
  }
  row.applied_at = utc_now_iso();
  try {
    if (!p.in_transaction) conn.begin();
    if (!store.lock_held()) {
      conn.rollback();
      const std::string outcome = p.in_transaction
                                      ? fmt::format("migration {} was rolled back and is not recorded", p.label)
                                      : stopped_outcome(p, progress, p.statements.size(), "");
      throw MigrationError(
          fmt::format("{}: the run lock on {} was lost while migration {} ran (a statement "
                      "released it, or a connection pooler moved this session to another server "
                      "session); {}; the database is at {}\napplied by this run before the "
                      "failure: {}",
                      p.file, db.info().display, p.label, outcome, describe_position(history, files), labels(done)),
          done, p.file, 0, k_exit_refused);
    }
    if (p.step.direction == Direction::up)
      store.insert(row);
    else
      store.remove(p.step.version);
    progress.finish();
    conn.commit();
  } catch (const MigrationError&) {
    throw;
  } catch (const Error& e) {
    conn.rollback();
    std::string what;
    if (p.in_transaction) {
      what = fmt::format("migration {} was rolled back", p.label);
    } else {
      const std::string not_recorded = progress.stopped(
          fmt::format("every statement ran; recording it failed: {}", first_line(e.what())), p.file, 0);
      what = stopped_outcome(p, progress, p.statements.size(), not_recorded);
    }
    // What the database said, and a refusal's exit code (a file locked past --lock-timeout), stay.
    MigrationError error(
        fmt::format("{}\n{}\napplied by this run before the failure: {}", e.what(), what, labels(done)), done, p.file,
        0, e.exit_code() == k_exit_refused ? k_exit_refused : k_exit_failure);
    error.set_database_said(e.database_said());
    throw error;
  }
  apply_step(history, p.step.direction, row);
  StepResult result{p.step.version, row.name, p.label, p.step.direction, row.execution_ms, us};
  // What the file runs after its transaction: the migration is applied and recorded already.
  for (std::size_t i = body_to; i < p.statements.size(); ++i) {
    std::uint32_t line = 0;
    StatementFailure failure;
    std::string report = run_statement(conn, dialect, p, i, backend, &line, &failure);
    if (report.empty()) continue;
    std::vector<StepResult> completed = done;
    completed.push_back(result);
    MigrationError error(
        fmt::format("{}\nit runs after the migration's transaction (it cannot run inside one); migration {} is "
                    "applied and recorded: run the statements from line {} on by hand\napplied by this run: {}",
                    report, p.label, p.statements[i].line, labels(completed)),
        completed, statement_file(p, p.statements[i]), line);
    error.set_database_said(database_said(failure));
    throw error;
  }
  return result;
}

std::vector<StepResult> StepRunner::run_atomic(const std::vector<PreparedStep>& steps) {
  const std::string at = describe_position(history, files);
  const std::string rolled_back =
      "\nthe run's one transaction (--atomic) was rolled back: no migration of it is applied; the database is at " + at;
  const PreparedStep& first = steps.front();
  // The session settings, then the one BEGIN, in one round trip.
  std::vector<std::string> open_sql = reset;
  open_sql.push_back("BEGIN");
  StatementFailure begin_failure;
  if (!execute_all(conn, open_sql, one_statement, &begin_failure)) {
    conn.rollback();
    MigrationError error(fmt::format("{}: the run's transaction (--atomic) could not begin: {}: {}\nnothing was "
                                     "applied; the database is at {}",
                                     first.file, backend, begin_failure.message, at),
                         {}, first.file, 0);
    error.set_database_said(database_said(begin_failure));
    throw error;
  }
  Cancellation::Registration cancel_statement;
  if (cancel != nullptr) cancel_statement = cancel->on(Cancellation::When::request, [this] { conn.cancel(); });
  History after = history;
  std::vector<StepResult> results;
  // The session settings again before each later migration, inside the transaction: what one
  // migration SETs (search_path above all) must not reach the next one's statements.
  for (const PreparedStep& p : steps) {
    const auto start = Clock::now();
    StatementFailure reset_failure;
    if (&p != &steps.front() && !reset.empty() && !execute_all(conn, reset, one_statement, &reset_failure)) {
      conn.rollback();
      MigrationError error(fmt::format("{}: setting the session up for migration {} failed: {}: {}{}", p.file, p.label,
                                       backend, reset_failure.message, rolled_back),
                           {}, p.file, 0);
      error.set_database_said(database_said(reset_failure));
      throw error;
    }
    for (std::size_t i = 0; i < p.statements.size(); ++i) {
      const SplitStatement& st = p.statements[i];
      if (stop_requested()) {
        conn.rollback();
        throw MigrationError(fmt::format("{}: stopped before statement {} (line {}) of migration {};{}",
                                         statement_file(p, st), i + 1, st.line, p.label, rolled_back),
                             {}, statement_file(p, st), st.line, interrupted_exit_code(cancel->signal()));
      }
      std::uint32_t line = 0;
      StatementFailure failure;
      std::string report = run_statement(conn, dialect, p, i, backend, &line, &failure);
      if (report.empty()) continue;
      conn.rollback();
      report += rolled_back;
      if (failure.locked && waits.lock_wait.count() > 0) {
        const std::string blockers = watch ? watch->blockers() : std::string();
        report += fmt::format("\nthe statement waited {} ms (--lock-wait) for a lock another connection holds{}",
                              waits.lock_wait.count(), blockers.empty() ? "" : ": " + blockers);
      }
      MigrationError error(report, {}, statement_file(p, st), line, failure.locked ? k_exit_refused : k_exit_failure,
                           failure.locked);
      error.set_database_said(database_said(failure));
      throw error;
    }
    const std::int64_t us = elapsed_us(start);
    AppliedMigration row{p.step.version, p.step.migration->name, p.checksum, utc_now_iso(), us / 1000};
    try {
      if (p.step.direction == Direction::up)
        store.insert(row);
      else
        store.remove(p.step.version);
    } catch (const Error& e) {
      conn.rollback();
      MigrationError error(
          fmt::format("{}: recording migration {} failed: {}{}", p.file, p.label, e.what(), rolled_back), {}, p.file, 0,
          e.exit_code() == k_exit_refused ? k_exit_refused : k_exit_failure);
      error.set_database_said(e.database_said());
      throw error;
    }
    apply_step(after, p.step.direction, row);
    results.push_back({p.step.version, row.name, p.label, p.step.direction, row.execution_ms, us});
  }
  cancel_statement = {};
  try {
    if (!store.lock_held()) {
      conn.rollback();
      throw MigrationError(fmt::format("{}: the run lock on {} was lost while the run's one transaction ran (a "
                                       "statement released it, or a connection pooler moved this session to "
                                       "another server session);{}",
                                       first.file, db.info().display, rolled_back),
                           {}, first.file, 0, k_exit_refused);
    }
    conn.commit();
  } catch (const MigrationError&) {
    throw;
  } catch (const Error& e) {
    conn.rollback();
    MigrationError error(fmt::format("{}: committing the run's one transaction (--atomic) failed: {}{}", first.file,
                                     e.what(), rolled_back),
                         {}, first.file, 0);
    error.set_database_said(e.database_said());
    throw error;
  }
  history = std::move(after);
  return results;
}

}  // namespace

std::vector<StepResult> execute_atomic(Database& db, const Dialect& dialect, const MigrationSet& files,
                                       History& history, const std::vector<PreparedStep>& steps,
                                       const std::function<void(const StepResult&)>& on_done, Cancellation* cancel,
                                       const Waits& waits) {
  if (steps.empty()) return {};
  StepRunner runner(db, dialect, files, history, cancel, waits);
  if (runner.stop_requested())
    throw MigrationError(fmt::format("interrupted by {} before the run began; the database is at {}",
                                     interrupt_name(cancel->signal()), describe_position(history, files)),
                         {}, steps.front().file, 0, interrupted_exit_code(cancel->signal()));
  for (unsigned attempt = 1;; ++attempt) {
    if (runner.watch) runner.watch->clear();
    try {
      runner.done = runner.run_atomic(steps);
      break;
    } catch (const MigrationError& e) {
      if (runner.stop_requested()) throw interrupted(*cancel, e);
      if (!e.lock_wait() || attempt > waits.lock_retries || waits.lock_wait.count() == 0) {
        if (attempt == 1 || !e.lock_wait()) throw;
        MigrationError last(
            fmt::format("{}\ngave up after {} attempts (--lock-retries {})", e.what(), attempt, waits.lock_retries), {},
            e.file(), e.line(), e.exit_code(), true);
        last.set_database_said(e.database_said());
        throw last;
      }
      // The whole transaction again, after a longer pause each time (as one migration is).
      const auto pause = runner.retry_pause(attempt);
      log().warn("{}: the run's transaction gave up waiting {} ms for a lock; rolled back; attempt {} of {} in {} ms",
                 db.info().display, waits.lock_wait.count(), attempt + 1, waits.lock_retries + 1, pause.count());
      runner.sleep_unless_stopped(pause);
      if (runner.stop_requested()) throw interrupted(*cancel, e);
    }
  }
  if (on_done)
    for (const auto& r : runner.done) on_done(r);
  return std::move(runner.done);
}

std::vector<StepResult> execute_steps(Database& db, const Dialect& dialect, const MigrationSet& files, History& history,
                                      const std::vector<PreparedStep>& steps,
                                      const std::function<void(const StepResult&)>& on_done, Cancellation* cancel,
                                      const Waits& waits) {
  StepRunner runner(db, dialect, files, history, cancel, waits);
  for (std::size_t step = 0; step < steps.size(); ++step) {
    const PreparedStep& p = steps[step];
    if (runner.stop_requested())
      throw MigrationError(fmt::format("interrupted by {} before migration {}; the database is at {}\n"
                                       "applied by this run: {}\nnot run: {}",
                                       interrupt_name(cancel->signal()), p.label, describe_position(history, files),
                                       labels(runner.done), not_run(steps, step)),
                           runner.done, p.file, 0, interrupted_exit_code(cancel->signal()));
    StepResult r;
    try {
      r = runner.run_with_retries(p);
    } catch (const MigrationError& e) {
      if (runner.stop_requested()) throw interrupted(*cancel, e);
      throw;
    }
    runner.done.push_back(r);
    if (on_done) on_done(r);
  }
  return std::move(runner.done);
}

StepResult resume_step(Database& db, const Dialect& dialect, const MigrationSet& files, History& history,
                       const PreparedStep& p, const PartialMigration& partial, Cancellation* cancel,
                       const Waits& waits) {
  StepRunner runner(db, dialect, files, history, cancel, waits);
  try {
    return runner.run_with_retries(p, &partial);
  } catch (const MigrationError& e) {
    if (runner.stop_requested()) throw interrupted(*cancel, e);
    throw;
  }
}

}  // namespace runner
