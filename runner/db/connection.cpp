// SPDX-License-Identifier: MIT
#include "runner/db/connection.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/core/errors.hpp"
#include "runner/core/log.hpp"

#include <spdlog/spdlog.h>

// soci-sqlite3.h wraps <sqlite3.h> in namespace sqlite_api; it must come before any other
// inclusion of sqlite3.h.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

namespace runner {

struct Connection::Impl {
  std::string backend;
  soci::session session;
};

namespace {

// libpq prints notices on stderr by default; route them through the logger instead.
void forward_notice(void* /*arg*/, const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.rfind("WARNING", 0) == 0)
    log().warn("postgresql: {}", text);
  else
    log().debug("postgresql: {}", text);
}

PGconn* pg_handle(soci::session& s) {
  // dynamic_cast does not link: the backend's typeinfo is not exported by libsoci_postgresql.
  return static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_;  // NOLINT
}

sqlite_api::sqlite3* sqlite_handle(soci::session& s) {
  return static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;  // NOLINT
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line;
}

// SOCI's messages carry a backend prefix and, on PostgreSQL, libpq's multi-line text.
std::string clean_message(const soci::soci_error& e) {
  std::string msg = e.get_error_message();
  for (const char* prefix : {"sqlite3_statement_backend::prepare: ", "sqlite3_statement_backend::loadOne: ",
                             "Cannot execute query. Fatal error. ", "Cannot execute query. ",
                             "Cannot establish connection to the database.\n",
                             "Cannot establish connection to the database. "}) {
    if (msg.rfind(prefix, 0) == 0) msg.erase(0, std::char_traits<char>::length(prefix));
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

}  // namespace

Connection::Connection(const std::string& soci_backend, const TargetInfo& target) : impl_(std::make_unique<Impl>()) {
  impl_->backend = soci_backend;
  try {
    // The backends are linked in; a factory object avoids SOCI's dlopen search (which starts in
    // the working directory).
    if (soci_backend == "sqlite3")
      impl_->session.open(soci::sqlite3, target.connect);
    else if (soci_backend == "postgresql")
      impl_->session.open(soci::postgresql, target.connect);
    else
      throw DatabaseError("the dialect asks for SOCI backend '" + soci_backend + "', which this runner lacks");
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot connect to " + target.display + ": " + clean_message(e));
  }
  if (soci_backend == "postgresql") PQsetNoticeProcessor(pg_handle(impl_->session), &forward_notice, nullptr);
  for (const auto& sql : target.session_sql) execute(sql);
}

Connection::~Connection() = default;

soci::session& Connection::session() { return impl_->session; }
const std::string& Connection::backend() const { return impl_->backend; }

bool Connection::execute_native(const std::string& sql, StatementFailure* failure) {
  if (impl_->backend == "postgresql") {
    PGconn* conn = pg_handle(impl_->session);
    PGresult* res = PQexec(conn, sql.c_str());
    ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      PQclear(res);
      return true;
    }
    failure->byte_offset = std::string::npos;
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      PQclear(res);
      if (status == PGRES_COPY_IN) PQputCopyEnd(conn, "COPY from the client is not supported by runner");
      while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
      failure->message = "COPY ... FROM STDIN / TO STDOUT needs a client stream; migrations cannot use it";
      return false;
    }
    auto field = [&](int code) {
      const char* v = res != nullptr ? PQresultErrorField(res, code) : nullptr;
      return std::string(v != nullptr ? v : "");
    };
    failure->message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (failure->message.empty()) failure->message = first_line(PQerrorMessage(conn));
    failure->sqlstate = field(PG_DIAG_SQLSTATE);
    failure->detail = field(PG_DIAG_MESSAGE_DETAIL);
    failure->hint = field(PG_DIAG_MESSAGE_HINT);
    std::string position = field(PG_DIAG_STATEMENT_POSITION);
    if (!position.empty()) {
      // PostgreSQL counts characters from 1; walk UTF-8 to find the byte.
      std::size_t chars = std::stoul(position);
      std::size_t byte = 0;
      for (std::size_t seen = 1; seen < chars && byte < sql.size(); ++seen) {
        ++byte;
        while (byte < sql.size() && (static_cast<unsigned char>(sql[byte]) & 0xC0) == 0x80) ++byte;
      }
      failure->byte_offset = byte;
    }
    PQclear(res);
    return false;
  }

  sqlite_api::sqlite3* db = sqlite_handle(impl_->session);
  char* err = nullptr;
  int rc = sqlite_api::sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return true;
  failure->message = err != nullptr ? err : sqlite_api::sqlite3_errmsg(db);
  sqlite_api::sqlite3_free(err);
  int extended = sqlite_api::sqlite3_extended_errcode(db);
  failure->code = std::string(sqlite_api::sqlite3_errstr(extended)) + ", code " + std::to_string(extended);
  int offset = sqlite_api::sqlite3_error_offset(db);
  failure->byte_offset = offset >= 0 ? static_cast<std::size_t>(offset) : std::string::npos;
  return false;
}

void Connection::execute(const std::string& sql) {
  try {
    impl_->session << sql;
  } catch (const soci::soci_error& e) {
    throw DatabaseError(clean_message(e) + "\n  while running: " + first_line(sql));
  }
}

long long Connection::query_int(const std::string& sql) {
  long long value = 0;
  soci::indicator ind = soci::i_ok;
  try {
    impl_->session << sql, soci::into(value, ind);
  } catch (const soci::soci_error& e) {
    throw DatabaseError(clean_message(e) + "\n  while running: " + first_line(sql));
  }
  return ind == soci::i_ok ? value : 0;
}

void Connection::begin() {
  try {
    impl_->session.begin();
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot begin a transaction: " + clean_message(e));
  }
}

void Connection::commit() {
  try {
    impl_->session.commit();
  } catch (const soci::soci_error& e) {
    throw DatabaseError("commit failed: " + clean_message(e));
  }
}

void Connection::rollback() noexcept {
  try {
    impl_->session.rollback();
  } catch (const std::exception& e) {
    // Already failing; a rollback error (e.g. a dropped connection) must not hide the first one.
    try {
      log().debug("rollback failed: {}", e.what());
    } catch (...) {
    }
  } catch (...) {
  }
}

}  // namespace runner
