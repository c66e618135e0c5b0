// SPDX-License-Identifier: MIT
#include "runner/engine/shadow.hpp"

#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/db/connection.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/schema_reader.hpp"
#include "runner/engine/step_source.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <atomic>

namespace runner {
namespace {

std::string next_name() {
  static std::atomic<unsigned> counter{0};
  return fmt::format("runner_shadow_{}_{}", static_cast<long>(::getpid()), ++counter);
}

// Runs statements on a database of the dialect, opening a connection for them.
void run_on(const Dialect& dialect, const std::string& url, const std::vector<std::string>& sql,
            std::chrono::seconds lock_timeout) {
  if (sql.empty()) return;
  const DatabaseInfo info = dialect.describe_database(url, static_cast<std::uint32_t>(lock_timeout.count()));
  StatementFailure failure;
  auto conn = dialect.connect(info.connect, &failure);
  if (!conn) throw DatabaseError(fmt::format("cannot open {}: {}", info.display, failure.message));
  for (const auto& s : sql)
    if (!conn->run(s, {}, nullptr, &failure))
      throw DatabaseError(fmt::format("{}: {}: {}", info.display, s, failure.message));
}

}  // namespace

void check_shadow_place(const Dialect& dialect, const std::string& shadow_url) {
  // A shadow is built to be read back: a dialect that reads no schema is told so first.
  dialect.require_describes_schema();
  if (!shadow_url.empty() && !dialect.makes_scratch())
    throw UsageError(
        fmt::format("--shadow-url: the {} dialect builds its shadow in memory and needs no server", dialect.name()));
}

Shadow::Shadow(const Dialect& dialect, const ShadowPlace& place, std::chrono::seconds lock_timeout)
    : dialect_(dialect), name_(next_name()), lock_timeout_(lock_timeout) {
  std::string url;
  if (!place.shadow_url.empty()) {
    if (!dialect.makes_scratch())
      throw UsageError(
          fmt::format("--shadow-url: the {} dialect builds its shadow in memory and needs no server", dialect.name()));
    const ScratchDatabase s = dialect.scratch(place.shadow_url, name_, false);
    admin_url_ = place.shadow_url;
    run_on(dialect, admin_url_, s.create, lock_timeout);
    drop_sql_ = s.drop;
    url = place.schema.empty() ? s.url : dialect.project_url(s.url, place.schema);
    where_ = "a database " + name_ + " on the server of " + dialect.describe_database(place.shadow_url, 0).display;
  } else if (dialect.makes_scratch() && !place.live_url.empty()) {
    const ScratchDatabase s = dialect.scratch(place.live_url, name_, true);
    admin_url_ = place.live_url;
    run_on(dialect, admin_url_, s.create, lock_timeout);
    drop_sql_ = s.drop;
    url = s.url;
    in_place_ = true;
    where_ = "a schema " + name_ + " in " +
             (place.live_display.empty() ? dialect.describe_database(place.live_url, 0).display : place.live_display);
  } else if (!dialect.shadow_url().empty()) {
    url = dialect.shadow_url();
    where_ = "memory";
  } else {
    throw UsageError(
        fmt::format("the {} dialect has no scratch database to build a shadow in: give --shadow-url", dialect.name()));
  }
  try {
    target_ = dialect.describe_database(url, static_cast<std::uint32_t>(lock_timeout.count()));
    // Named as the user named the database (the connect string holds the driver's own parameters).
    if (in_place_ && !place.live_display.empty())
      target_.display = place.live_display + " (shadow schema " + name_ + ")";
    if (target_.keep_open) {
      StatementFailure failure;
      keeper_ = dialect.connect(target_.connect, &failure);
      if (!keeper_) throw DatabaseError(fmt::format("cannot open {}: {}", target_.display, failure.message));
    }
    db_ = std::make_unique<Database>(dialect, target_, AccessMode::create, lock_timeout);
    history_ = db_->load_history();
  } catch (...) {
    drop();
    throw;
  }
  log().debug("shadow: {}", where_);
}

Shadow::~Shadow() { drop(); }

void Shadow::drop() noexcept {
  try {
    db_.reset();
    keeper_.reset();
    if (!drop_sql_.empty()) {
      run_on(dialect_, admin_url_, drop_sql_, lock_timeout_);
      drop_sql_.clear();
    }
  } catch (const std::exception& e) {
    try {
      log().warn("the shadow ({}) could not be removed: {}; drop it by hand", where_, e.what());
    } catch (...) {
    }
  }
}

std::vector<PreparedStep> Shadow::prepare(const std::vector<Step>& steps, const Placeholders& placeholders) const {
  Placeholders values = placeholders;
  values.values[k_schema_placeholder] = db_->info().schema;
  std::vector<PreparedStep> prepared = prepare_steps(steps, dialect_, values, nullptr);
  // In a schema of the live database, a statement naming another schema would change the live one.
  if (in_place_ && dialect_.reads_statements())
    for (const auto& p : prepared)
      for (const auto& st : p.statements) {
        const StatementTarget t = dialect_.statement_target(st.sql);
        std::string reach;
        if (t.database_wide) reach = "changes what the whole database shares (an extension, a role)";
        if (t.search_path) reach = "changes search_path";
        if (t.dynamic) reach = "runs SQL it builds as it runs (a DO block), which cannot be read beforehand";
        for (const auto& s : t.names_schema)
          if (s != db_->info().schema) reach = "names schema " + s;
        if (!reach.empty())
          throw PlanError(
              fmt::format("{}:{}: {}, so it cannot be replayed in a shadow schema inside the live "
                          "database without reaching outside it; give --shadow-url URL (a server where "
                          "runner may create and drop a scratch database, as "
                          "postgresql://HOST/postgres)",
                          statement_file(p, st), st.line, reach));
      }
  return prepared;
}

void Shadow::admit(const std::vector<Step>& steps, const Placeholders& placeholders) const {
  prepare(steps, placeholders);
}

void Shadow::apply(const MigrationSet& files, const std::vector<Step>& steps, const Placeholders& placeholders,
                   Cancellation* cancel) {
  const std::vector<PreparedStep> prepared = prepare(steps, placeholders);
  try {
    execute_steps(*db_, dialect_, files, history_, prepared, nullptr, cancel);
  } catch (const MigrationError& e) {
    // Its message speaks of "the database": here it is the shadow.
    throw MigrationError(fmt::format("in the shadow ({}): {}", where_, e.what()), e.completed(), e.file(), e.line(),
                         e.exit_code(), e.lock_wait());
  }
}

Schema Shadow::read(const std::string& schema) {
  return read_schema(dialect_, db_->connection(), schema.empty() ? db_->info().schema : schema);
}

}  // namespace runner
