// SPDX-License-Identifier: MIT
#include "runner/engine/database.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/connection_pool.hpp"
#include "runner/db/history_store.hpp"
#include "runner/db/run_lock.hpp"
#include "runner/db/session_probe.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <filesystem>
#include <system_error>

namespace runner {
namespace fs = std::filesystem;

Database::Database(const Dialect& dialect, DatabaseInfo target, AccessMode mode, std::chrono::seconds lock_timeout,
                   const Cancellation* cancel, ConnectionPool* pool)
    : info_(std::move(target)), cancel_(cancel), pool_(pool) {
  if (!info_.file.empty()) {
    std::error_code ec;
    const bool exists = fs::exists(info_.file, ec);
    if (!exists && mode != AccessMode::create) {
      log().debug("{} does not exist yet: nothing applied", info_.file);
      return;
    }
    if (!exists) {
      fs::path parent = fs::path(info_.file).parent_path();
      if (!parent.empty() && !fs::exists(parent, ec)) {
        fs::create_directories(parent, ec);
        if (ec) throw DatabaseError(fmt::format("cannot create folder {}: {}", parent.string(), ec.message()));
      }
    }
  }
  if (mode != AccessMode::read && dialect.file_lock() && !info_.file.empty())
    file_lock_ = std::make_unique<FileLock>(info_.file, info_.display, lock_timeout, cancel_);

  connection_ = pool_ != nullptr ? pool_->take(dialect, info_) : std::make_unique<Connection>(dialect, info_);
  require_own_server_session(*connection_, info_);
  // Pin the schema before any migration can change search_path: runner_history and the lock key
  // must not move with it.
  if (info_.schema.empty() && !info_.default_schema_query.empty()) {
    info_.schema = connection_->query_string(info_.default_schema_query);
    if (info_.schema.empty())
      throw UsageError(fmt::format("{}: {}", info_.display,
                                   info_.default_schema_unknown.empty()
                                       ? "the database cannot tell which schema holds runner_history"
                                       : info_.default_schema_unknown));
  }
  if (mode != AccessMode::read) refuse_read_only();
  RunnerSql runner_sql = dialect.runner_sql(info_.schema);
  if (mode != AccessMode::read && !runner_sql.lock_try.empty())
    sql_lock_ = std::make_unique<SqlLock>(*connection_, runner_sql.lock_try, runner_sql.lock_release,
                                          runner_sql.lock_holder, info_.display, lock_timeout, cancel_);
  history_ = std::make_unique<HistoryStore>(*connection_, std::move(runner_sql));
  if (mode == AccessMode::create) ensure_created();
}

void Database::take_run_lock(const Dialect& dialect, std::chrono::seconds lock_timeout) {
  if (file_lock_ || sql_lock_) return;
  if (dialect.file_lock() && !info_.file.empty())
    file_lock_ = std::make_unique<FileLock>(info_.file, info_.display, lock_timeout, cancel_);
  const RunnerSql runner_sql = dialect.runner_sql(info_.schema);
  if (!runner_sql.lock_try.empty())
    sql_lock_ = std::make_unique<SqlLock>(*connection_, runner_sql.lock_try, runner_sql.lock_release,
                                          runner_sql.lock_holder, info_.display, lock_timeout, cancel_);
}

void Database::refuse_read_only() {
  if (!connection_ || info_.read_only_query.empty()) return;
  const std::string why = connection_->query_string(info_.read_only_query);
  if (!why.empty())
    throw UsageError(fmt::format(
        "{}: {}; give the primary's URL (with several hosts, add ?target_session_attrs=read-write and libpq "
        "connects to the one that takes writes). Nothing was run.",
        info_.display, why));
}

void Database::ensure_created() {
  if (created_) return;
  // Read already, current: nothing to create or upgrade (and no DDL round trip on every run).
  if (tables_version_ == history_->known_version()) {
    created_ = true;
    return;
  }
  // Under the lock, so two runners never race on CREATE SCHEMA or on an upgrade; in one
  // transaction, so that the tables are created or upgraded whole (and a new SQLite file syncs once).
  Connection& conn = *connection_;
  bool upgraded = false;
  long long from = 0;
  conn.begin();
  try {
    for (const auto& sql : info_.prepare_sql) conn.execute(sql);
    const HistoryStore::Tables tables = history_->tables();
    refuse_newer(tables.version);
    if (!tables.history) {
      // A new database: built at the current layout; the upgrade steps are for older ones.
      history_->create();
      history_->record_layout();
    } else {
      from = tables.version;
      if (from < history_->known_version()) {
        history_->upgrade(from);
        upgraded = true;
      }
    }
    conn.commit();
  } catch (...) {
    conn.rollback();
    throw;
  }
  if (upgraded)
    log().info("{}: runner's own tables brought from layout {} to {}", info_.display, from, history_->known_version());
  tables_version_ = history_->known_version();
  created_ = true;
}

void Database::refuse_newer(long long version) const {
  if (version > history_->known_version())
    throw SafetyError(
        fmt::format("{}: runner's own tables there have layout {}, newer than this runner knows ({}): a "
                    "newer runner wrote them; use that runner (or a newer one) on this database",
                    info_.display, version, history_->known_version()));
}

Database::~Database() {
  history_.reset();
  sql_lock_.reset();
  if (pool_ != nullptr) pool_->give_back(std::move(connection_), info_);
  connection_.reset();
  file_lock_.reset();
}

History Database::load_history() {
  if (!connected()) return {};
  HistoryStore::Read read = history_->read();
  refuse_newer(read.tables.version);
  partial_ = std::move(read.partial);
  if (!read.tables.history) return {};
  tables_version_ = read.tables.version;
  return std::move(read.rows);
}

}  // namespace runner
