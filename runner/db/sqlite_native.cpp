// SPDX-License-Identifier: MIT
// The built-in sqlite3 NativeBackend.
#include "runner/db/native_backend.hpp"

// soci-sqlite3.h wraps <sqlite3.h> in namespace sqlite_api; it must come first.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace runner {
namespace {

class SqliteNative final : public NativeBackend {
 public:
  const soci::backend_factory& factory() const override { return *soci::factory_sqlite3(); }
  void prepare_session(soci::session& /*session*/) const noexcept override {}

  bool execute(soci::session& session, const std::string& sql, StatementFailure* failure) const noexcept override {
    // dynamic_cast does not link: the backend's typeinfo is not exported by libsoci_sqlite3.
    sqlite_api::sqlite3* db = static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;  // NOLINT
    char* err = nullptr;
    int rc = sqlite_api::sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return true;
    try {
      failure->message = err != nullptr ? err : sqlite_api::sqlite3_errmsg(db);
      int extended = sqlite_api::sqlite3_extended_errcode(db);
      failure->code = std::string(sqlite_api::sqlite3_errstr(extended)) + ", code " + std::to_string(extended);
      failure->locked = (extended & 0xFF) == SQLITE_BUSY;
      int offset = sqlite_api::sqlite3_error_offset(db);
      failure->byte_offset = offset >= 0 ? static_cast<std::size_t>(offset) : std::string::npos;
    } catch (...) {
      // Out of memory while describing the failure: it is still a failure.
    }
    sqlite_api::sqlite3_free(err);
    return false;
  }

  bool query(soci::session& session, const std::string& sql, const RowFn& row,
             StatementFailure* failure) const noexcept override {
    sqlite_api::sqlite3* db = static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;  // NOLINT
    struct Ctx {
      const RowFn* row;
      bool threw;
    } ctx{&row, false};
    auto on_row = [](void* c, int n, char** values, char**) -> int {
      auto* self = static_cast<Ctx*>(c);
      try {
        (*self->row)(static_cast<std::uint32_t>(n), values);
        return 0;
      } catch (...) {
        self->threw = true;
        return 1;  // SQLITE_ABORT
      }
    };
    char* err = nullptr;
    int rc = sqlite_api::sqlite3_exec(db, sql.c_str(), on_row, &ctx, &err);
    if (rc == SQLITE_OK) return true;
    try {
      failure->message = ctx.threw ? "reading the result failed" : err != nullptr ? err : sqlite_api::sqlite3_errmsg(db);
    } catch (...) {
    }
    sqlite_api::sqlite3_free(err);
    return false;
  }

  int local_port(soci::session& /*session: a file*/) const noexcept override { return -1; }
  int peer_port(soci::session& /*session: a file*/) const noexcept override { return -1; }

  bool in_transaction(soci::session& session) const noexcept override {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());  // NOLINT
    return sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
  }
};

}  // namespace

const NativeBackend& sqlite_native_backend() {
  static const SqliteNative k_backend;
  return k_backend;
}

}  // namespace runner
