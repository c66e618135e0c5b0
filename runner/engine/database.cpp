// SPDX-License-Identifier: MIT
#include "runner/engine/database.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/history_store.hpp"
#include "runner/db/run_lock.hpp"
#include "runner/db/session_probe.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <filesystem>
#include <system_error>

namespace runner {
namespace fs = std::filesystem;

Database::Database(const Dialect& dialect, TargetInfo target, AccessMode mode, std::chrono::seconds lock_timeout)
    : target_(std::move(target)) {
  if (!target_.file.empty()) {
    std::error_code ec;
    const bool exists = fs::exists(target_.file, ec);
    if (!exists && mode != AccessMode::create) {
      log().debug("{} does not exist yet: nothing applied", target_.file);
      return;
    }
    if (!exists) {
      fs::path parent = fs::path(target_.file).parent_path();
      if (!parent.empty() && !fs::exists(parent, ec)) {
        fs::create_directories(parent, ec);
        if (ec) throw DatabaseError("cannot create folder " + parent.string() + ": " + ec.message());
      }
    }
  }
  if (mode != AccessMode::read && dialect.file_lock() && !target_.file.empty())
    file_lock_ = std::make_unique<FileLock>(target_.file, target_.display, lock_timeout);

  connection_ = std::make_unique<Connection>(dialect, target_);
  require_own_server_session(*connection_, target_);
  // Pin the schema before any migration can change search_path: runner_history and the lock key
  // must not move with it.
  if (target_.schema.empty() && !target_.default_schema_query.empty()) {
    target_.schema = connection_->query_string(target_.default_schema_query);
    if (target_.schema.empty())
      throw UsageError(target_.display +
                       ": the URL names no schema, and runner_history exists in several schemas but not in the "
                       "connection's own (or the search path names no schema that exists): name the one to use "
                       "with ?schema=NAME");
  }
  HistorySql history_sql = dialect.history_sql(target_.schema);
  if (mode != AccessMode::read && !history_sql.lock_try.empty())
    sql_lock_ = std::make_unique<SqlLock>(*connection_, history_sql.lock_try, history_sql.lock_release,
                                          history_sql.lock_holder,
                                          target_.display, lock_timeout);
  history_ = std::make_unique<HistoryStore>(*connection_, std::move(history_sql));
  if (mode == AccessMode::create) ensure_created();
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
  long long from = 0;
  conn.begin();
  try {
    for (const auto& sql : target_.prepare_sql) conn.execute(sql);
    history_->create();
    from = history_->tables().version;
    refuse_newer(from);
    if (from < history_->known_version()) history_->upgrade(from);
    conn.commit();
  } catch (...) {
    conn.rollback();
    throw;
  }
  if (from < history_->known_version() && tables_version_ >= 0)  // they were there before: say so
    log().info("{}: runner's own tables brought from layout {} to {}", target_.display, from, history_->known_version());
  tables_version_ = history_->known_version();
  created_ = true;
}

void Database::refuse_newer(long long version) const {
  if (version > history_->known_version())
    throw SafetyError(target_.display + ": runner's own tables there have layout " + std::to_string(version) +
                      ", newer than this runner knows (" + std::to_string(history_->known_version()) +
                      "): a newer runner wrote them; use that runner (or a newer one) on this database");
}

Database::~Database() {
  history_.reset();
  sql_lock_.reset();
  connection_.reset();
  file_lock_.reset();
}

History Database::load_history() {
  if (!connected()) return {};
  HistoryStore::Read read = history_->read();
  if (!read.tables.history) return {};
  refuse_newer(read.tables.version);
  tables_version_ = read.tables.version;
  return std::move(read.rows);
}


}  // namespace runner
