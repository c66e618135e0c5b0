// SPDX-License-Identifier: MIT
// The postgresql NativeBackend, built as lib/runner/runner_backend_postgresql.so and loaded by
// native_backend.cpp on first use. It alone links libpq and SOCI's postgresql backend.
#include "runner/db/native_backend.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <sys/socket.h>

#include <vector>

namespace runner {
namespace {

NativeLogFn g_log = nullptr;

// libpq prints notices on stderr by default; route them to the host's log instead.
void forward_notice(void* /*arg*/, const char* message) {
  if (g_log == nullptr || message == nullptr) return;
  try {
    std::string text = std::string("postgresql: ") + message;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    g_log(text.find("WARNING") != std::string::npos ? k_native_warn : k_native_debug, text.c_str());
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
  if (fd < 0 || name(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;  // NOLINT
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);  // NOLINT
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);  // NOLINT
  return -1;
}

class PostgresqlNative final : public NativeBackend {
 public:
  const soci::backend_factory& factory() const override { return soci::postgresql; }

  void prepare_session(soci::session& session) const noexcept override {
    PQsetNoticeProcessor(handle(session), &forward_notice, nullptr);
  }

  bool execute(soci::session& session, const std::string& sql, StatementFailure* failure) const noexcept override {
    PGconn* conn = handle(session);
    PGresult* res = PQexec(conn, sql.c_str());
    ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      PQclear(res);
      return true;
    }
    try {
      describe(conn, res, status, sql, failure);
    } catch (...) {
      // Out of memory while describing the failure: it is still a failure.
    }
    PQclear(res);
    return false;
  }

  bool query(soci::session& session, const std::string& sql, const RowFn& row,
             StatementFailure* failure) const noexcept override {
    PGconn* conn = handle(session);
    PGresult* res = PQexec(conn, sql.c_str());
    ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      try {
        describe(conn, res, status, sql, failure);
      } catch (...) {
      }
      PQclear(res);
      return false;
    }
    bool ok = true;
    try {
      const int columns = PQnfields(res);
      std::vector<const char*> values(static_cast<std::size_t>(columns));
      for (int r = 0; r < PQntuples(res); ++r) {
        for (int c = 0; c < columns; ++c)
          values[static_cast<std::size_t>(c)] = PQgetisnull(res, r, c) ? nullptr : PQgetvalue(res, r, c);
        row(static_cast<std::uint32_t>(columns), values.data());
      }
    } catch (...) {
      ok = false;
      try {
        failure->message = "reading the result failed";
      } catch (...) {
      }
    }
    PQclear(res);
    return ok;
  }

  bool in_transaction(soci::session& session) const noexcept override {
    PGTransactionStatusType status = PQtransactionStatus(handle(session));
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
  }

  int local_port(soci::session& session) const noexcept override { return port_of(session, &::getsockname); }
  int peer_port(soci::session& session) const noexcept override { return port_of(session, &::getpeername); }

 private:
  static void describe(PGconn* conn, PGresult* res, ExecStatusType status, const std::string& sql,
                       StatementFailure* failure) {
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
  }
};

}  // namespace
}  // namespace runner

extern "C" __attribute__((visibility("default"))) const runner::NativeBackend* runner_native_backend_postgresql(
    runner::NativeLogFn log) {
  runner::g_log = log;
  static const runner::PostgresqlNative k_backend;
  return &k_backend;
}
