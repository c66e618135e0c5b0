// SPDX-License-Identifier: MIT
// The library's C++ API over the engine: each call reads the folder again (a migration added since
// the last call is seen), opens the database, and returns plain structs.
#include "runner/migrator.hpp"

#include "plugins/loader/dialect_loader.hpp"
#include "runner/api/embedded_source.hpp"
#include "runner/api/log_bridge.hpp"
#include "runner/api/plugin_location.hpp"
#include "runner/core/migration_scanner.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/engine/operations.hpp"
#include "runner/engine/round_trip.hpp"
#include "runner/engine/script_export.hpp"

#include <fmt/format.h>

namespace runner {

struct Migrator::Impl {
  MigratorOptions options;
  DialectLoader loader;
  const Dialect* dialect = nullptr;
  DatabaseInfo target;
  // sqlite::memory: lives while a connection to it is open: this one, for the Migrator's life, so
  // that what upgrade() built is there for current() and for the next call.
  std::unique_ptr<DriverConnection> keeper;

  explicit Impl(MigratorOptions o) : options(std::move(o)), loader(library_search_path(options.plugin_dirs)) {
    if (options.embedded != nullptr) options.sql_dir = register_embedded(*options.embedded, options.sql_dir);
    const std::string name = dialect_name_from_url(options.url);
    if (name.empty())
      throw UsageError(fmt::format("cannot tell the database from the URL '{}' (expected DIALECT:...)", options.url));
    dialect = &loader.load(name);
    target = dialect->describe_database(options.url, static_cast<std::uint32_t>(options.lock_timeout.count()));
    if (target.keep_open) {
      StatementFailure failure;
      keeper = dialect->connect(target.connect, &failure);
      if (!keeper) throw DatabaseError(fmt::format("cannot open {}: {}", target.display, failure.message));
    }
    files(false);  // a folder that cannot be read, or a misnamed file, is said now
  }

  MigrationSet files(bool with_checksums = true) const {
    MigrationSet set = scan_migrations(options.sql_dir, dialect->name(), loader.available_names());
    if (with_checksums) load_checksums(set);
    return set;
  }

  RunOptions run_options() const {
    RunOptions o;
    o.allow_changed = options.allow_changed;
    o.out_of_order = options.out_of_order;
    o.lock_timeout = options.lock_timeout;
    o.placeholders.values = options.placeholders;
    return o;
  }

  static std::int64_t version_of(const History& h) {
    return h.empty() ? 0 : static_cast<std::int64_t>(h.back().version);
  }

  RunReport report(const Outcome& o) const {
    RunReport r;
    r.from = version_of(o.before);
    r.to = version_of(o.after);
    for (const auto& d : o.done)
      r.steps.push_back({static_cast<std::int64_t>(d.version), d.name, d.direction == Direction::up, d.execution_us});
    return r;
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

Migrator::~Migrator() = default;
Migrator::Migrator(Migrator&&) noexcept = default;
Migrator& Migrator::operator=(Migrator&&) noexcept = default;

std::int64_t Migrator::current() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  return Impl::version_of(inspect_database(*impl_->dialect, impl_->target, impl_->run_options()).before);
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
  const MigrationSet files = impl_->files();
  std::vector<MigrationStatus> out;
  for (const auto& r :
       build_status(files, inspect_database(*impl_->dialect, impl_->target, impl_->run_options()).before))
    out.push_back({static_cast<std::int64_t>(r.version), r.name, r.applied, r.applied_at, r.checksum});
  return out;
}

RunReport Migrator::upgrade(const std::string& target) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const MigrationSet files = impl_->files();
  return impl_->report(upgrade_database(*impl_->dialect, files, impl_->target, parse_target(target, TargetUse::upgrade),
                                        impl_->run_options()));
}

RunReport Migrator::downgrade(const std::string& target) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const MigrationSet files = impl_->files();
  return impl_->report(downgrade_database(*impl_->dialect, files, impl_->target,
                                          parse_target(target, TargetUse::downgrade), impl_->run_options()));
}

RunReport Migrator::stamp(const std::string& target) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const MigrationSet files = impl_->files();
  return impl_->report(stamp_database(*impl_->dialect, files, impl_->target, parse_target(target, TargetUse::stamp),
                                      impl_->run_options()));
}

void Migrator::validate() {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const MigrationSet files = impl_->files();
  Placeholders values;
  values.values = impl_->options.placeholders;
  values.values[k_schema_placeholder] = impl_->target.schema;
  prepare_round_trip(*impl_->dialect, files, values);
  const History history = inspect_database(*impl_->dialect, impl_->target, impl_->run_options()).before;
  const std::vector<Drift> drift = find_drift(files, history);
  if (!drift.empty()) throw SafetyError("applied migrations changed since they ran:\n" + describe_drift(drift));
}

std::string Migrator::sql_script(const std::string& range, bool up) {
  if (!impl_) throw UsageError(k_moved_from);
  LogCallbackScope scope(&impl_->options.on_log);
  const MigrationSet files = impl_->files();
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
