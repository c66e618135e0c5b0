// SPDX-License-Identifier: MIT
// The postgresql dialect's driver: SOCI's postgresql session, statements run verbatim with PQexec
// (SOCI's postgresql backend rewrites :name inside $$ bodies, E'' strings and array slices). Only
// this plugin links libpq, so a SQLite run never loads it and the libraries it pulls in.
#include "postgresql_driver.hpp"

#include "plugins/sdk/dialect_sdk.hpp"
#include "plugins/sdk/soci_driver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <sys/socket.h>

#include <vector>

namespace runner::postgresql {
namespace {

using sdk::DatabaseFailure;
using sdk::Rows;

// libpq prints notices on stderr by default; route them to the host's log instead.
void forward_notice(void* /*arg*/, const char* message) {
  if (message == nullptr) return;
  try {
    std::string text = std::string("postgresql: ") + message;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    sdk::log(text.find("WARNING") != std::string::npos ? RUNNER_LOG_WARN : RUNNER_LOG_DEBUG, text);
  } catch (...) {
  }
}

PGconn* handle(soci::session& s) {
  // dynamic_cast does not link: the backend's typeinfo is not exported by libsoci_postgresql.
  return static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_;  // NOLINT
}

// The TCP port of one end of the session's socket (getsockname or getpeername); -1 when not TCP.
int port_of(soci::session& session, int (*name)(int, sockaddr*, socklen_t*) noexcept) noexcept {
  const int fd = PQsocket(handle(session));
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (fd < 0 || name(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;                    // NOLINT
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);  // NOLINT
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);  // NOLINT
  return -1;
}

class PostgresqlStatements final : public sdk::NativeStatements {
 public:
  const soci::backend_factory& factory() const override { return soci::postgresql; }

  std::unique_ptr<sdk::ConnectionState> connected(soci::session& session) const override {
    PQsetNoticeProcessor(handle(session), &forward_notice, nullptr);
    return nullptr;
  }

  bool run(soci::session& session, sdk::ConnectionState* /*state*/, const std::string& sql, std::uint32_t nparams,
           const char* const* params, const Rows& rows, DatabaseFailure* failure) const noexcept override {
    PGconn* conn = handle(session);
    // Without parameters, the simple protocol: the text goes exactly as psql would send it. With
    // them (the runner's history rows), statement and values in one round trip, unnamed: a named
    // prepared statement would be lost to a migration's DEALLOCATE ALL, and fail its history row.
    PGresult* res =
        nparams == 0 ? PQexec(conn, sql.c_str())
                     : PQexecParams(conn, sql.c_str(), static_cast<int>(nparams), nullptr, params, nullptr, nullptr, 0);
    const ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY) {
      try {
        describe_result(conn, res, status, sql, failure);
      } catch (...) {
        // Out of memory while describing the failure: it is still a failure.
      }
      PQclear(res);
      return false;
    }
    bool ok = true;
    if (rows) {
      try {
        const int columns = PQnfields(res);
        std::vector<const char*> values(static_cast<std::size_t>(columns));
        for (int r = 0; r < PQntuples(res); ++r) {
          for (int c = 0; c < columns; ++c)
            values[static_cast<std::size_t>(c)] = PQgetisnull(res, r, c) ? nullptr : PQgetvalue(res, r, c);
          rows(static_cast<std::uint32_t>(columns), values.data());
        }
      } catch (...) {
        ok = false;
      }
    }
    PQclear(res);
    return ok;
  }

  bool in_transaction(soci::session& session) const noexcept override {
    const PGTransactionStatusType status = PQtransactionStatus(handle(session));
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
  }

  void ports(soci::session& session, int* local, int* remote) const noexcept override {
    *local = port_of(session, &::getsockname);
    *remote = port_of(session, &::getpeername);
  }

  bool cancel(soci::session& session) const noexcept override {
    PGcancel* cancel = PQgetCancel(handle(session));
    if (cancel == nullptr) return false;
    char error[256];
    const bool sent = PQcancel(cancel, error, sizeof error) == 1;
    PQfreeCancel(cancel);
    return sent;
  }

 private:
  static void describe_result(PGconn* conn, PGresult* res, ExecStatusType status, const std::string& sql,
                              DatabaseFailure* failure) {
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      // Leave COPY mode before anything else runs on this connection. In COPY_OUT, PQgetResult
      // keeps answering COPY_OUT until the data is read, so read it to the end first.
      if (status == PGRES_COPY_IN || status == PGRES_COPY_BOTH)
        PQputCopyEnd(conn, "COPY from the client is not supported by runner");
      if (status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
        char* row = nullptr;
        while (PQgetCopyData(conn, &row, 0) > 0) PQfreemem(row);
      }
      while (PGresult* rest = PQgetResult(conn)) {
        ExecStatusType st = PQresultStatus(rest);
        PQclear(rest);
        if (st == PGRES_COPY_OUT || st == PGRES_COPY_IN || st == PGRES_COPY_BOTH) break;  // never spin
      }
      failure->message = "COPY ... FROM STDIN / TO STDOUT needs a client stream; a migration cannot use it";
      return;
    }
    auto field = [&](int code) {
      const char* v = res != nullptr ? PQresultErrorField(res, code) : nullptr;
      return std::string(v != nullptr ? v : "");
    };
    failure->message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (failure->message.empty()) {
      std::string all = PQerrorMessage(conn);
      failure->message = all.substr(0, all.find('\n'));
    }
    failure->sqlstate = field(PG_DIAG_SQLSTATE);
    // lock_not_available: lock_timeout (--lock-wait) ran out, or NOWAIT found the lock taken.
    failure->locked = failure->sqlstate == "55P03";
    failure->detail = field(PG_DIAG_MESSAGE_DETAIL);
    failure->hint = field(PG_DIAG_MESSAGE_HINT);
    std::string position = field(PG_DIAG_STATEMENT_POSITION);
    if (!position.empty()) {
      failure->position = sdk::byte_of_character(sql, std::stoul(position));
    }
  }
};

const PostgresqlStatements k_statements;

}  // namespace

const runner_driver* driver() { return sdk::soci_driver(k_statements); }

}  // namespace runner::postgresql
