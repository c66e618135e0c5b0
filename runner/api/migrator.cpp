// SPDX-License-Identifier: MIT
// The library's C++ API over the engine: each call reads the folder again (a migration added since
// the last call is seen), opens the database, and returns plain structs. runner's own command line
// runs its commands through the same class (runner/api/migrator_access.hpp).
#include "runner/migrator.hpp"

#include "plugins/loader/dialect_loader.hpp"
#include "runner/api/embedded_source.hpp"
#include "runner/api/log_bridge.hpp"
#include "runner/api/migrator_access.hpp"
#include "runner/api/plugin_location.hpp"
#include "runner/base/cancellation.hpp"
#include "runner/core/migration_scanner.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/lint_operation.hpp"
#include "runner/engine/migration_test.hpp"
#include "runner/engine/offline_translation.hpp"
#include "runner/engine/operations.hpp"
#include "runner/engine/partial_operations.hpp"
#include "runner/engine/restore.hpp"
#include "runner/engine/round_trip.hpp"
#include "runner/engine/schema_drift.hpp"
#include "runner/engine/schema_dump.hpp"
#include "runner/engine/script_export.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace runner {

struct Migrator::Impl {
  MigratorOptions options;
  std::unique_ptr<DialectLoader> loader;  // null when the caller resolved the dialect (the CLI)
  const Dialect* dialect = nullptr;
  DatabaseInfo target;
  std::function<const MigrationSet&()> given_files;  // the CLI's, scanned once per command
  bool overlap = true;                               // upgrade and downgrade open the database while the files are read
  // sqlite::memory: lives while a connection to it is open: this one, for the Migrator's life, so
  // that what upgrade() built is there for current() and for the next call.
  std::unique_ptr<DriverConnection> keeper;
  // interrupt() requests own_cancel, forgotten after each run; the CLI gives its signal watcher's.
  Cancellation own_cancel;
  Cancellation* cancel = &own_cancel;
  ConnectionPool* connections = nullptr;  // a fleet run's (the CLI's --all-projects); null: its own

  explicit Impl(MigratorOptions o) : options(std::move(o)) {
    loader = std::make_unique<DialectLoader>(library_search_path(options.plugin_dirs));
    if (options.embedded != nullptr) options.sql_dir = register_embedded(*options.embedded, options.sql_dir);
    const std::string name = dialect_name_from_url(options.url);
    if (name.empty())
      throw UsageError(fmt::format("cannot tell the database from the URL '{}' (expected DIALECT:...)", options.url));
    dialect = &loader->load(name);
    target = dialect->describe_database(options.url, static_cast<std::uint32_t>(options.lock_timeout.count()));
    keep_open();
    check_waits();
    MigrationSet names;
    files(names, false);  // a folder that cannot be read, or a misnamed file, is said now
  }

  Impl(const Dialect& d, DatabaseInfo t, std::function<const MigrationSet&()> f, MigratorOptions o)
      : options(std::move(o)), dialect(&d), target(std::move(t)), given_files(std::move(f)) {
    keep_open();
    check_waits();
  }

  // What the dialect cannot set is refused now, not once the run is under way.
  void check_waits() const {
    if (options.lock_wait.count() < 0 || options.statement_timeout.count() < 0)
      throw UsageError("lock_wait and statement_timeout cannot be negative");
    if (options.lock_wait.count() == 0 && options.statement_timeout.count() == 0) return;
    const RunnerSql sql = dialect->runner_sql(target.schema);
    if (options.lock_wait.count() > 0 && sql.lock_wait_sql.empty())
      throw UsageError(
          fmt::format("--lock-wait: the {} dialect has no setting for how long a statement waits for a "
                      "lock",
                      dialect->name()));
    if (options.statement_timeout.count() > 0 && sql.statement_timeout_sql.empty())
      throw UsageError(fmt::format("--statement-timeout: {} has no statement timeout", dialect->name()));
  }

  void keep_open() {
    if (!target.keep_open) return;
    StatementFailure failure;
    keeper = dialect->connect(target.connect, &failure);
    if (!keeper) throw DatabaseError(fmt::format("cannot open {}: {}", target.display, failure.message));
  }

  // The migrations: the caller's when it gave them, else read now into `scratch`.
  const MigrationSet& files(MigrationSet& scratch, bool with_checksums = true) const {
    if (given_files) return given_files();
    const std::vector<std::string> known = loader ? loader->available_names() : std::vector<std::string>{};
    scratch = scan_migrations(options.sql_dir, dialect->name(), known);
    if (with_checksums) load_checksums(scratch);
    return scratch;
  }

  RunOptions run_options() const {
    RunOptions o;
    o.dry_run = options.dry_run;
    o.allow_changed = options.allow_changed;
    o.out_of_order = options.out_of_order;
    o.lock_timeout = options.lock_timeout;
    o.placeholders.values = options.placeholders;
    o.cancel = cancel;
    o.waits = {options.lock_wait, options.lock_retries, options.statement_timeout};
    o.backup = {options.backup, options.backup_dir, options.backup_keep};
    o.lint = options.lint;
    o.atomic = options.atomic;
    o.connections = connections;
    return o;
  }

  static Position position_of(const History& h, const MigrationSet& files) {
    Position p;
    if (!h.empty()) {
      p.version = static_cast<std::int64_t>(h.back().version);
      p.name = h.back().name;
    }
    p.label = describe_position(h, files);
    return p;
  }

  static PartialInfo partial_info(const PartialMigration& p, const MigrationSet& files) {
    PartialInfo i;
    i.version = static_cast<std::int64_t>(p.version);
    i.name = p.name;
    i.label = files.label(p.version, p.name);
    i.up = p.direction == Direction::up;
    i.statements = p.statements;
    i.applied = p.applied;
    i.error = p.error;
    i.error_file = p.error_file;
    i.error_line = p.error_line;
    i.started_at = p.started_at;
    i.updated_at = p.updated_at;
    return i;
  }

  static StepInfo step_info(const StepResult& d) {
    return {static_cast<std::int64_t>(d.version), d.name, d.direction == Direction::up, d.execution_us, d.label};
  }

  RunReport report(const Outcome& o, const MigrationSet& files) const {
    RunReport r;
    r.database = o.display;
    r.before = position_of(o.before, files);
    r.after = position_of(o.after, files);
    r.from = r.before.version;
    r.to = r.after.version;
    r.dry_run = options.dry_run;
    for (const auto& p : o.planned) {
      PlannedStep s;
      s.version = static_cast<std::int64_t>(p.step.version);
      s.name = p.step.migration->name;
      s.label = p.label;
      s.up = p.step.direction == Direction::up;
      s.file = p.file;
      s.in_transaction = p.in_transaction;
      s.transaction = transaction_note(p);
      for (const auto& st : p.statements) s.statements.push_back({statement_file(p, st), st.line, st.sql});
      r.planned.push_back(std::move(s));
    }
    for (const auto& d : o.done) r.steps.push_back(step_info(d));
    for (const Migration* m : o.stamped) r.recorded.push_back(static_cast<std::int64_t>(m->version));
    for (std::uint64_t v : o.unstamped) r.removed.push_back(static_cast<std::int64_t>(v));
    r.note = o.note;
    r.backup = o.backup;
    return r;
  }

  // The application's callbacks as the engine's events; a dry run's statements are translated first
  // when asked.
  // `*files` is where the run's files are once read (the plan comes after).
  StepEvents events(const MigrationSet* const* files) const {
    StepEvents e;
    if (options.on_plan) e.planned = [this, files](const Outcome& o) { options.on_plan(report(o, **files)); };
    if (options.on_step) e.step_done = [this](const StepResult& d) { options.on_step(step_info(d)); };
    return e;
  }

  // upgrade() and downgrade(): with the files read while the database opens (overlap), or first.
  RunReport run(Direction direction, const Target& to) {
    MigrationSet scratch;
    const MigrationSet* read = nullptr;
    const StepEvents events = this->events(&read);
    const auto files_now = [&]() -> const MigrationSet& { return *(read = &files(scratch)); };
    const RunOptions o = run_options();
    const ForgetRequest forget(*this);
    if (!options.dry_run && !options.dump_schema_file.empty()) check_dump_target(options.dump_schema_file);
    Outcome outcome;
    if (direction == Direction::up)
      outcome = overlap ? upgrade_database(*dialect, files_now, target, to, o, events)
                        : upgrade_database(*dialect, files_now(), target, to, o, events);
    else
      outcome = overlap ? downgrade_database(*dialect, files_now, target, to, o, events)
                        : downgrade_database(*dialect, files_now(), target, to, o, events);
    if (!options.dry_run && !options.dump_schema_file.empty()) try {
        write_dump_file(dump_database(*dialect, target, options.lock_timeout), options.dump_schema_file);
      } catch (const Error& e) {
        // The run itself is done and recorded: the message must not read as if it failed.
        throw OutputError(fmt::format("the {} succeeded, but its schema dump was not written: {}",
                                      direction == Direction::up ? "upgrade" : "downgrade", e.what()));
      }
    return finish(std::move(outcome), *read);
  }

  // Forgets an interrupt() once the run it stopped (or that ran) is over.
  struct ForgetRequest {
    explicit ForgetRequest(Impl& run) : impl(run) {}
    ~ForgetRequest() {
      if (impl.cancel == &impl.own_cancel) impl.own_cancel.reset();
    }
    Impl& impl;
  };

  RunReport finish(Outcome o, const MigrationSet& files) const {
    if (options.dry_run && options.translate_plan)
      translate_offline(*dialect, files, o.before, o.planned, o.placeholders);
    return report(o, files);
  }
};

namespace {

// A moved-from Migrator has no state: said, instead of a crash.
constexpr const char* k_moved_from = "this runner::Migrator was moved from: use the one it was moved to";

}  // namespace

Migrator::Migrator(MigratorOptions options) {
  install_log_bridge();
  LogCallbackScope scope(&options.on_log);
  impl_ = std::make_unique<Impl>(std::move(options));
}

Migrator::Migrator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Migrator MigratorAccess::open(const Dialect& dialect, const DatabaseInfo& target,
                              std::function<const MigrationSet&()> files, MigratorOptions options, bool overlap,
                              Cancellation* cancel, ConnectionPool* connections) {
  auto impl = std::make_unique<Migrator::Impl>(dialect, target, std::move(files), std::move(options));
  impl->overlap = overlap;
  if (cancel != nullptr) impl->cancel = cancel;
  impl->connections = connections;
  return Migrator(std::move(impl));
}

Position MigratorAccess::position(const History& history, const MigrationSet& files) {
  return Migrator::Impl::position_of(history, files);
}

Migrator::~Migrator() = default;
Migrator::Migrator(Migrator&&) noexcept = default;
Migrator& Migrator::operator=(Migrator&&) noexcept = default;

const std::string& Migrator::database() const {
  if (!impl_) throw UsageError(k_moved_from);
  return impl_->target.display;
}

std::int64_t Migrator::current() { return position().version; }

Position Migrator::position() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const History h = inspect_database(*impl_->dialect, impl_->target, impl_->run_options()).before;
  Position p;
  if (!h.empty()) {
    p.version = static_cast<std::int64_t>(h.back().version);
    p.name = h.back().name;
    p.label = p.name.empty() ? std::to_string(p.version) : std::to_string(p.version) + "_" + p.name;
  } else {
    p.label = "base";
  }
  return p;
}

std::vector<AppliedInfo> Migrator::history() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  std::vector<AppliedInfo> out;
  for (const auto& a : inspect_database(*impl_->dialect, impl_->target, impl_->run_options()).before)
    out.push_back({static_cast<std::int64_t>(a.version), a.name, a.applied_at, a.execution_ms});
  return out;
}

std::vector<MigrationStatus> Migrator::status() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch);
  std::vector<MigrationStatus> out;
  const Outcome o = inspect_database(*impl_->dialect, impl_->target, impl_->run_options());
  for (const auto& r : build_status(files, o.before)) {
    MigrationStatus s{static_cast<std::int64_t>(r.version),
                      r.version_text,
                      r.name,
                      r.applied,
                      r.applied_at,
                      r.checksum,
                      r.applied ? "applied" : "pending",
                      {}};
    for (const auto& p : o.partial)
      if (p.version == r.version) {
        s.state = "partial";
        s.partial = Impl::partial_info(p, files);
      }
    out.push_back(std::move(s));
  }
  // A migration that stopped part-way and whose file is gone since: shown all the same.
  for (const auto& p : o.partial)
    if (std::none_of(out.begin(), out.end(), [&](const MigrationStatus& s) {
          return s.state == "partial" && s.version == static_cast<std::int64_t>(p.version);
        })) {
      MigrationStatus s;
      s.version = static_cast<std::int64_t>(p.version);
      s.version_text = files.version_text(p.version);
      s.name = p.name;
      s.file_state = "missing-file";
      s.state = "partial";
      s.partial = Impl::partial_info(p, files);
      out.insert(
          std::upper_bound(out.begin(), out.end(), s,
                           [](const MigrationStatus& a, const MigrationStatus& b) { return a.version < b.version; }),
          std::move(s));
    }
  return out;
}

std::vector<PartialInfo> Migrator::partial() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const MigrationSet unread;  // labels from the history's names: the files are not needed
  std::vector<PartialInfo> out;
  for (const auto& p : inspect_database(*impl_->dialect, impl_->target, impl_->run_options()).partial)
    out.push_back(Impl::partial_info(p, unread));
  return out;
}

RunReport Migrator::resume() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const Impl::ForgetRequest forget(*impl_);
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch);
  const MigrationSet* read = &files;
  return impl_->finish(
      resume_database(*impl_->dialect, files, impl_->target, impl_->run_options(), impl_->events(&read)), files);
}

RunReport Migrator::restore(const std::string& file) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const MigrationSet unread;  // positions labelled from the histories' own names
  return impl_->report(restore_database(*impl_->dialect, impl_->target, file, impl_->run_options()), unread);
}

RunReport Migrator::repair(std::int64_t version, bool mark_applied) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  if (version <= 0) throw UsageError(fmt::format("repair: '{}' is not a migration version", version));
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch);
  return impl_->report(repair_database(*impl_->dialect, files, impl_->target, static_cast<std::uint64_t>(version),
                                       mark_applied, impl_->run_options()),
                       files);
}

RunReport Migrator::upgrade(const std::string& target) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  return impl_->run(Direction::up, parse_target(target, TargetUse::upgrade));
}

RunReport Migrator::downgrade(const std::string& target) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  return impl_->run(Direction::down, parse_target(target, TargetUse::downgrade));
}

RunReport Migrator::stamp(const std::string& target) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const Target to = parse_target(target, TargetUse::stamp);
  const Impl::ForgetRequest forget(*impl_);
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch);
  return impl_->report(stamp_database(*impl_->dialect, files, impl_->target, to, impl_->run_options()), files);
}

ValidationReport Migrator::check() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch);
  Placeholders values;
  values.values = impl_->options.placeholders;
  values.values[k_schema_placeholder] = impl_->target.schema;
  const RoundTrip round_trip = prepare_round_trip(*impl_->dialect, files, values);
  ValidationReport r;
  r.migrations = files.migrations.size();
  r.statements = round_trip.statements;
  r.database = impl_->target.display;
  // Against the schema the files build, as --sql translates without a database; with a database
  // that exists, its own schema is the judge of what upgrade runs next: it may hold what no file
  // built (a database adopted with stamp).
  Database db(*impl_->dialect, impl_->target, AccessMode::read, impl_->options.lock_timeout);
  if (!db.connected()) check_translation(*impl_->dialect, files, {}, round_trip.steps, values);
  const History history = db.load_history();
  for (const auto& p : db.partial()) r.partial.push_back(Impl::partial_info(p, files));
  r.current = Impl::position_of(history, files);
  r.applied = history.size();
  const std::vector<Drift> drift = find_drift(files, history);
  if (drift.empty() && db.connected())
    check_translation(*impl_->dialect, files, history,
                      prepare_steps(plan_upgrade(files, history, Target{}, impl_->options.out_of_order),
                                    *impl_->dialect, values, &files.callbacks),
                      values, &db.connection(), db.info().schema);
  for (const auto& d : drift)
    r.drift.push_back(
        {static_cast<std::int64_t>(d.version), d.label, d.kind == Drift::Kind::changed ? "changed" : "missing-file"});
  return r;
}

LintReport Migrator::lint(const std::vector<std::string>& files) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  MigrationSet scratch;
  // Files named are linted whatever else the folder holds: it is read only to find the pending ones.
  const MigrationSet& set = files.empty() ? impl_->files(scratch, false) : scratch;
  LintRequest request;
  for (const auto& f : files) request.files.emplace_back(f);
  request.settings.placeholders.values = impl_->options.placeholders;
  request.settings.lock_wait = impl_->options.lock_wait.count() > 0;
  request.out_of_order = impl_->options.out_of_order;
  request.lock_timeout = impl_->options.lock_timeout;
  return MigratorAccess::lint_report(lint_migrations(*impl_->dialect, set, &impl_->target, request));
}

std::string Migrator::dump_schema(const std::vector<std::string>& schemas) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  return dump_database(*impl_->dialect, impl_->target, impl_->options.lock_timeout, schemas);
}

DriftReport Migrator::drift(const std::vector<std::string>& schemas) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const Impl::ForgetRequest forget(*impl_);
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch);
  SchemaDriftOptions o;
  o.shadow_url = impl_->options.shadow_url;
  o.schemas = schemas;
  o.placeholders.values = impl_->options.placeholders;
  o.lock_timeout = impl_->options.lock_timeout;
  o.cancel = impl_->cancel;
  const SchemaDriftResult d = check_schema_drift(*impl_->dialect, files, impl_->target, o);
  DriftReport r;
  r.database = d.database;
  r.position = d.position;
  r.replayed = d.replayed;
  r.pending = d.pending;
  r.shadow = d.shadow;
  r.notes = d.notes;
  for (const auto& x : d.differences) r.differences.push_back(MigratorAccess::difference_info(x));
  return r;
}

MigrationTestReport Migrator::test(std::int64_t from, std::int64_t to, const std::vector<std::string>& schemas) {
  if (!impl_) throw UsageError(k_moved_from);
  if (from < 0 || to < 0) throw UsageError("test: versions cannot be negative");
  LogCallbackScope scope(&impl_->options.on_log);
  const Impl::ForgetRequest forget(*impl_);
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch, false);
  MigrationTestOptions o;
  o.from = static_cast<std::uint64_t>(from);
  o.to = static_cast<std::uint64_t>(to);
  o.live_url = impl_->dialect->makes_scratch() ? impl_->target.connect : std::string();
  o.live_display = impl_->target.display;
  o.shadow_url = impl_->options.shadow_url;
  o.schemas = schemas;
  o.placeholders.values = impl_->options.placeholders;
  o.lock_timeout = impl_->options.lock_timeout;
  o.cancel = impl_->cancel;
  return MigratorAccess::test_report(test_migrations(*impl_->dialect, files, o));
}

SchemaDifferenceInfo MigratorAccess::difference_info(const SchemaDifference& d) {
  return {difference_kind_name(d.kind), d.object, d.name, d.table, d.details, d.text()};
}

MigrationTestReport MigratorAccess::test_report(const MigrationTestResult& t) {
  MigrationTestReport r;
  r.shadow = t.shadow;
  r.checked = t.checked;
  r.irreversible = t.irreversible;
  r.seconds = t.seconds;
  if (!t.failures.empty()) {
    const MigrationTestFailure& f = t.failures.front();
    r.failed_version = static_cast<std::int64_t>(f.version);
    r.failed_label = f.label;
    r.phase = f.phase;
    for (const auto& x : f.differences) r.differences.push_back(MigratorAccess::difference_info(x));
  }
  return r;
}

LintReport MigratorAccess::lint_report(const LintRun& run) {
  LintReport r;
  r.database = run.database;
  r.files = run.files;
  for (const LintFinding& f : run.findings) {
    LintFindingInfo i;
    i.file = f.file;
    i.line = f.line;
    i.rule = f.rule;
    i.level = level_name(f.level);
    i.message = f.message;
    i.fix = f.fix;
    i.table = f.table;
    i.rows = f.rows;
    i.rows_source = f.rows_source;
    i.bytes = f.bytes;
    i.ignored = f.ignored;
    i.ignore_reason = f.ignore_reason;
    i.refused = f.refused;
    i.text = describe_finding(f);
    if (f.ignored)
      ++r.ignored;
    else if (f.level == LintLevel::error)
      ++r.errors;
    else if (f.level == LintLevel::warning)
      ++r.warnings;
    else
      ++r.notes;
    r.findings.push_back(std::move(i));
  }
  return r;
}

void Migrator::validate() {
  const ValidationReport r = check();
  if (!r.partial.empty())
    throw SafetyError(
        fmt::format("migration {} stopped part-way ({} of {} statements applied): `runner resume` "
                    "or `runner repair`",
                    r.partial.front().label, r.partial.front().applied, r.partial.front().statements));
  if (r.drift.empty()) return;
  std::vector<Drift> drift;
  for (const auto& d : r.drift)
    drift.push_back({static_cast<std::uint64_t>(d.version), d.label,
                     d.problem == "changed" ? Drift::Kind::changed : Drift::Kind::missing_file});
  throw SafetyError("applied migrations changed since they ran:\n" + describe_drift(drift));
}

void Migrator::interrupt() noexcept {
  if (impl_) impl_->cancel->request();
}

std::string Migrator::sql_script(const std::string& range, bool up) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  MigrationSet scratch;
  const MigrationSet& files = impl_->files(scratch);
  const Direction direction = up ? Direction::up : Direction::down;
  ScriptOptions o;
  o.out_of_order = impl_->options.out_of_order;
  o.allow_changed = impl_->options.allow_changed;
  o.lock_timeout = impl_->options.lock_timeout;
  o.placeholders.values = impl_->options.placeholders;
  return database_script(*impl_->dialect, files, direction, parse_script_range(range, direction, files), &impl_->target,
                         impl_->target.schema, o);
}

}  // namespace runner
