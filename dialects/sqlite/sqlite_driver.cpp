// SPDX-License-Identifier: MIT
// The sqlite dialect's driver: SOCI's sqlite3 session, statements run verbatim with sqlite3_exec
// (SOCI's sqlite3 backend would run only the first statement of a string).
#include "sqlite_driver.hpp"

#include "plugins/sdk/soci_driver.hpp"

// soci-sqlite3.h wraps <sqlite3.h> in namespace sqlite_api; it must come first.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <unordered_map>
#include <vector>

namespace runner::sqlite {
namespace {

using sdk::DatabaseFailure;
using sdk::Rows;

sqlite_api::sqlite3* handle(soci::session& session) {
  // dynamic_cast does not link: the backend's typeinfo is not exported by libsoci_sqlite3.
  return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;  // NOLINT
}

void describe_error(sqlite_api::sqlite3* db, const char* err, DatabaseFailure* failure) {
  failure->message = err != nullptr ? err : sqlite_api::sqlite3_errmsg(db);
  const int extended = sqlite_api::sqlite3_extended_errcode(db);
  failure->code = std::string(sqlite_api::sqlite3_errstr(extended)) + ", code " + std::to_string(extended);
  failure->locked = (extended & 0xFF) == SQLITE_BUSY;
  const int offset = sqlite_api::sqlite3_error_offset(db);
  if (offset >= 0) failure->position = static_cast<std::size_t>(offset);
}

// The runner's own statements (history rows), prepared once per connection and reused.
class Prepared final : public sdk::ConnectionState {
 public:
  ~Prepared() override {
    for (auto& entry : statements_) sqlite_api::sqlite3_finalize(entry.second);
  }
  // The prepared statement for `sql`, reset and unbound; null with SQLite's error when it does not
  // compile.
  sqlite_api::sqlite3_stmt* get(sqlite_api::sqlite3* db, const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite_api::sqlite3_stmt* stmt = nullptr;
    if (sqlite_api::sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                       nullptr) != SQLITE_OK) {
      sqlite_api::sqlite3_finalize(stmt);
      return nullptr;
    }
    try {
      statements_.emplace(sql, stmt);
    } catch (...) {
      sqlite_api::sqlite3_finalize(stmt);
      throw;
    }
    return stmt;
  }

 private:
  std::unordered_map<std::string, sqlite_api::sqlite3_stmt*> statements_;
};

// A statement with parameters: bound as text and stepped to the end, then reset for the next use.
bool run_bound(sqlite_api::sqlite3* db, Prepared* prepared, const std::string& sql, std::uint32_t nparams,
               const char* const* params, const Rows& rows, DatabaseFailure* failure) {
  sqlite_api::sqlite3_stmt* stmt = prepared->get(db, sql);
  if (stmt == nullptr) {
    describe_error(db, nullptr, failure);
    return false;
  }
  // Reset and unbound whatever happens, so that the cached statement is ready for its next use
  // (an active one would keep the transaction's COMMIT from finishing).
  struct ResetOnExit {
    sqlite_api::sqlite3_stmt* stmt;
    ~ResetOnExit() {
      sqlite_api::sqlite3_reset(stmt);
      sqlite_api::sqlite3_clear_bindings(stmt);
    }
  } reset_on_exit{stmt};
  // SQLITE_TRANSIENT, which names its type outside the sqlite_api namespace: SQLite copies the value.
  const auto transient = reinterpret_cast<sqlite_api::sqlite3_destructor_type>(-1);  // NOLINT
  int rc = SQLITE_OK;
  for (std::uint32_t i = 0; rc == SQLITE_OK && i < nparams; ++i)
    rc = params[i] == nullptr ? sqlite_api::sqlite3_bind_null(stmt, static_cast<int>(i + 1))
                              : sqlite_api::sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i], -1, transient);
  std::vector<const char*> values;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite_api::sqlite3_step(stmt);
    if (rc != SQLITE_ROW) break;
    if (!rows) continue;
    const int columns = sqlite_api::sqlite3_column_count(stmt);
    values.resize(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c)
      values[static_cast<std::size_t>(c)] =
          reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(stmt, c));  // NOLINT
    rows(static_cast<std::uint32_t>(columns), values.data());
  }
  const bool ok = rc == SQLITE_DONE;
  if (!ok) describe_error(db, nullptr, failure);
  return ok;
}

// SQLite counts every allocation under one process-wide mutex (SQLITE_CONFIG_MEMSTATUS), on which
// the workers of --all-projects queue. runner never reads the counts. Set as the plugin is loaded,
// before any worker starts; SQLite ignores it once initialised, so an application that already
// uses SQLite keeps its own setting (docs/library.md).
[[maybe_unused]] const int k_no_memory_statistics = sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

class SqliteStatements final : public sdk::NativeStatements {
 public:
  const soci::backend_factory& factory() const override { return *soci::factory_sqlite3(); }

  std::unique_ptr<sdk::ConnectionState> connected(soci::session& /*session*/) const override {
    return std::make_unique<Prepared>();
  }

  bool run(soci::session& session, sdk::ConnectionState* state, const std::string& sql, std::uint32_t nparams,
           const char* const* params, const Rows& rows, DatabaseFailure* failure) const noexcept override {
    sqlite_api::sqlite3* db = handle(session);
    try {
      if (nparams > 0) return run_bound(db, static_cast<Prepared*>(state), sql, nparams, params, rows, failure);
    } catch (...) {
      try {
        failure->message = "out of memory";
      } catch (...) {
      }
      return false;
    }
    auto on_row = [](void* c, int n, char** values, char**) -> int {
      (*static_cast<const Rows*>(c))(static_cast<std::uint32_t>(n), values);
      return 0;
    };
    char* err = nullptr;
    const int rc =
        sqlite_api::sqlite3_exec(db, sql.c_str(), rows ? +on_row : nullptr, const_cast<Rows*>(&rows), &err);  // NOLINT
    if (rc == SQLITE_OK) return true;
    try {
      describe_error(db, err, failure);
    } catch (...) {
      // Out of memory while describing the failure: it is still a failure.
    }
    sqlite_api::sqlite3_free(err);
    return false;
  }

  bool in_transaction(soci::session& session) const noexcept override {
    return sqlite_api::sqlite3_get_autocommit(handle(session)) == 0;
  }

  bool cancel(soci::session& session) const noexcept override {
    sqlite_api::sqlite3_interrupt(handle(session));
    return true;
  }

  void describe(const soci::soci_error& error, DatabaseFailure* failure) const override {
    NativeStatements::describe(error, failure);
    // SQLITE_BUSY after the busy timeout (--lock-timeout) ran out. (SQLITE_LOCKED is a conflict
    // inside this connection, not a wait.)
    if (const auto* e = dynamic_cast<const soci::sqlite3_soci_error*>(&error); e != nullptr) {
      failure->locked = (e->result() & 0xFF) == SQLITE_BUSY;
      failure->code = std::string(sqlite_api::sqlite3_errstr(e->result())) + ", code " + std::to_string(e->result());
    }
  }
};

const SqliteStatements k_statements;

}  // namespace

const runner_driver* driver() { return sdk::soci_driver(k_statements); }

}  // namespace runner::sqlite
