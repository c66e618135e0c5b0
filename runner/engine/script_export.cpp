// SPDX-License-Identifier: MIT
#include "runner/engine/script_export.hpp"

#include "runner/base/clock.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/version.hpp"
#include "runner/core/plan.hpp"
#include "runner/db/connection_reader.hpp"
#include "runner/engine/atomic_plan.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/offline_translation.hpp"
#include "runner/engine/operations.hpp"
#include "runner/engine/sql_script.hpp"

namespace runner {
namespace {

// FROM is base, head or a version; the history a script starts from.
History parse_from(const std::string& text, const MigrationSet& files) {
  if (text == "base") return {};
  if (text == "head") return history_up_to(files, files.migrations.empty() ? 0 : files.migrations.back().version);
  Target v = parse_target(text, TargetUse::stamp);
  if (v.kind != Target::Kind::version)
    throw UsageError("invalid FROM '" + text + "' (expected base, head or a version)");
  return history_up_to(files, v.version);
}

}  // namespace

ScriptRange parse_script_range(const std::string& range_text, Direction direction, const MigrationSet& files) {
  std::string text = range_text.empty() && direction == Direction::up ? "head" : range_text;
  if (text.empty()) throw UsageError("downgrade --sql needs FROM:TO, e.g. head:base or 0010:0005");
  ScriptRange r;
  std::size_t colon = text.find(':');
  if (colon != std::string::npos) {
    r.from = parse_from(text.substr(0, colon), files);
    text = text.substr(colon + 1);
  }
  r.to = parse_target(text, direction == Direction::up ? TargetUse::upgrade : TargetUse::downgrade);
  return r;
}

std::string script_header(const Dialect& dialect, bool atomic) {
  const RunnerSql history = dialect.runner_sql("");
  std::string out = "-- Written by runner " + std::string(version()) + " (" + dialect.name() + ") on " + utc_now_iso() +
                    ". Review, then run with:\n--   " + history.script_usage +
                    (atomic ? "\n-- --atomic: a database's migrations commit together with their runner_history rows; "
                              "a failure leaves it where it was.\n"
                            : "\n-- Each migration commits with its runner_history row; a failure stops at the last "
                              "good one. One marked 'statement by statement' or 'without a transaction' cannot: a "
                              "failure inside it leaves its statements before that one applied, and no history row.\n");
  for (const auto& line : history.script_header) out += line + "\n";
  return out + "\n";
}

std::unique_ptr<Database> open_for_script(const Dialect& dialect, const DatabaseInfo& target,
                                          const ScriptOptions& options) {
  return std::make_unique<Database>(dialect, target, AccessMode::read, options.lock_timeout);
}

History script_start(Database& db, const MigrationSet& files, const ScriptOptions& options) {
  History history = db.load_history();
  check_drift(files, history, options.allow_changed, db.info().display, "refusing to write a script for");
  return history;
}

std::string script_section(const Dialect& dialect, Direction direction, const MigrationSet& files, const History& from,
                           const Target& to, const std::string& schema, const std::string& title, Database* live,
                           const ScriptOptions& options) {
  std::vector<Step> steps = direction == Direction::up ? plan_upgrade(files, from, to, options.out_of_order)
                                                       : plan_downgrade(files, from, to);
  // The schema the script targets: the one asked for, else the live database's.
  Placeholders values = options.placeholders;
  values.values[k_schema_placeholder] = !schema.empty() || live == nullptr ? schema : live->info().schema;
  std::vector<PreparedStep> prepared = prepare_steps(steps, dialect, values, &files.callbacks);
  translate_offline(dialect, files, from, prepared, values,
                    live != nullptr && live->connected() ? &live->connection() : nullptr,
                    live != nullptr ? live->info().schema : std::string(), options.scratch_server);
  const bool atomic = options.atomic && direction == Direction::up;
  if (atomic) {
    std::unique_ptr<ConnectionReader> reader;
    if (live != nullptr && live->connected()) reader = std::make_unique<ConnectionReader>(live->connection());
    check_atomic(dialect, prepared, reader.get());
  }
  return render_script_section(dialect.runner_sql(schema), prepared,
                               title + ": from " + describe_position(from, files) + " to " +
                                   describe_position(history_after(from, prepared), files),
                               atomic);
}

std::string database_script(const Dialect& dialect, const MigrationSet& files, Direction direction,
                            const ScriptRange& range, const DatabaseInfo* target, const std::string& schema,
                            const ScriptOptions& options) {
  const std::string verb = direction == Direction::up ? "upgrade" : "downgrade";
  History from;
  std::unique_ptr<Database> live;
  if (range.from) {
    from = *range.from;
  } else if (target != nullptr) {
    live = open_for_script(dialect, *target, options);
    from = script_start(*live, files, options);
  } else if (direction == Direction::down) {
    throw UsageError("downgrade --sql without a database needs FROM:TO, e.g. head:base");
  }
  const std::string title = verb + (target != nullptr && !range.from ? " " + target->display : "");
  return script_header(dialect, options.atomic && direction == Direction::up) +
         script_section(dialect, direction, files, from, range.to, schema, title, live.get(), options);
}

}  // namespace runner
