// SPDX-License-Identifier: MIT
// The mysql dialect's driver: SOCI's mysql session (libmariadb), statements sent verbatim with
// mysql_real_query and every result of a CALL read to the end; the runner's own statements get
// their $N parameters as literals escaped by the client library for the connection's character
// set and sql_mode (NO_BACKSLASH_ESCAPES included). Cancelling sends KILL QUERY from a second
// connection, as the mysql client does on ^C.
#include "mysql_driver.hpp"

#include "mysql_url.hpp"
#include "plugins/sdk/dialect_sdk.hpp"
#include "plugins/sdk/soci_driver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

namespace runner::mysql {
namespace {

using sdk::DatabaseFailure;
using sdk::Rows;

MYSQL* handle(soci::session& s) {
  // dynamic_cast does not link: the backend's typeinfo is not exported by libsoci_mysql.
  return static_cast<soci::mysql_session_backend*>(s.get_backend())->conn_;  // NOLINT
}

// How to reach the server again, to cancel from a second connection.
struct MysqlState final : sdk::ConnectionState {
  std::string connect;
  unsigned long thread_id = 0;
  // Runner's own statement (one with parameters: a history or progress row) is running: a cancel
  // meant for the migration's statement before it must not kill it.
  std::atomic<bool> own_running{false};
};

int port_of(MYSQL* conn, int (*name)(int, sockaddr*, socklen_t*) noexcept) noexcept {
  const auto fd = static_cast<int>(mysql_get_socket(conn));
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (fd < 0 || name(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;                    // NOLINT
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);  // NOLINT
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);  // NOLINT
  return -1;
}

// Where in `sql` a syntax error is: MySQL quotes the rest of the statement from there ("... near
// '= 1' at line 1", cut at 80 characters) instead of giving an offset.
std::size_t syntax_error_offset(const std::string& message, const std::string& sql) {
  const std::size_t open = message.find("near '");
  const std::size_t close = message.rfind("' at line ");
  if (open == std::string::npos || close == std::string::npos || close < open + 6) return std::string::npos;
  const std::string near = message.substr(open + 6, close - open - 6);
  if (near.empty()) return sql.size();
  if (sql.size() >= near.size() && sql.compare(sql.size() - near.size(), near.size(), near) == 0)
    return sql.size() - near.size();
  // Cut short: the first place on the line it names where the statement goes on that way.
  std::size_t line = std::strtoul(message.c_str() + close + 10, nullptr, 10), from = 0;
  while (line > 1 && from != std::string::npos) {
    from = sql.find('\n', from);
    if (from != std::string::npos) ++from;
    --line;
  }
  return from == std::string::npos ? std::string::npos : sql.find(near, from);
}

void describe_error(MYSQL* conn, DatabaseFailure* failure, const std::string& sql = std::string()) {
  const unsigned err = mysql_errno(conn);
  failure->message = mysql_error(conn);
  failure->sqlstate = mysql_sqlstate(conn);
  if (failure->sqlstate == "00000") failure->sqlstate.clear();
  failure->code = "error " + std::to_string(err);
  // ER_LOCK_WAIT_TIMEOUT (lock_wait_timeout for metadata locks, innodb_lock_wait_timeout for rows)
  // and ER_LOCK_NOWAIT.
  failure->locked = err == 1205 || err == 3572;
  if (err == 1064 && !sql.empty()) failure->position = syntax_error_offset(failure->message, sql);
}

// `sql` with $1..$N replaced by the parameters as quoted literals (NULL for a null pointer).
std::string bind(MYSQL* conn, const std::string& sql, std::uint32_t nparams, const char* const* params) {
  std::string out;
  out.reserve(sql.size() + 64);
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '1' && sql[i + 1] <= '9') {
      std::size_t j = i + 1;
      std::uint32_t n = 0;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + static_cast<std::uint32_t>(sql[j++] - '0');
      if (n >= 1 && n <= nparams) {
        const char* v = params[n - 1];
        if (v == nullptr) {
          out += "NULL";
        } else {
          const std::size_t len = std::char_traits<char>::length(v);
          std::string escaped(len * 2 + 1, '\0');
          escaped.resize(mysql_real_escape_string(conn, escaped.data(), v, static_cast<unsigned long>(len)));
          out += "'" + escaped + "'";
        }
        i = j - 1;
        continue;
      }
    }
    out += sql[i];
  }
  return out;
}

class MysqlStatements final : public sdk::NativeStatements {
 public:
  const soci::backend_factory& factory() const override { return soci::mysql; }

  std::string soci_connect_string(const std::string& connect) const override {
    return connect.rfind(k_tls_required, 0) == 0 ? connect.substr(k_tls_required.size()) : connect;
  }

  std::unique_ptr<sdk::ConnectionState> connected_with(soci::session& session,
                                                       const std::string& connect) const override {
    MYSQL* conn = handle(session);
    if (connect.rfind(k_tls_required, 0) == 0 && mysql_get_ssl_cipher(conn) == nullptr)
      throw soci::soci_error("ssl-mode=REQUIRED: the server did not encrypt the session (is TLS enabled on it?)");
    auto state = std::make_unique<MysqlState>();
    state->connect = soci_connect_string(connect);
    state->thread_id = mysql_thread_id(conn);
    return state;
  }

  bool run(soci::session& session, sdk::ConnectionState* state, const std::string& sql, std::uint32_t nparams,
           const char* const* params, const Rows& rows, DatabaseFailure* failure) const noexcept override {
    MYSQL* conn = handle(session);
    auto* mine = dynamic_cast<MysqlState*>(state);
    struct Own {
      MysqlState* s;
      ~Own() {
        if (s != nullptr) s->own_running = false;
      }
    } own{nparams > 0 ? mine : nullptr};
    if (own.s != nullptr) own.s->own_running = true;
    try {
      const std::string text = nparams == 0 ? sql : bind(conn, sql, nparams, params);
      if (mysql_real_query(conn, text.data(), static_cast<unsigned long>(text.size())) != 0) {
        describe_error(conn, failure, text);
        return false;
      }
      // A CALL answers with a result per SELECT it ran and a last one for itself: all are read,
      // and an error in a later one is the statement's.
      bool ok = true;
      for (;;) {
        MYSQL_RES* res = mysql_store_result(conn);
        if (res != nullptr) {
          if (rows && ok) ok = pass_rows(res, rows);
          mysql_free_result(res);
        } else if (mysql_field_count(conn) != 0) {
          describe_error(conn, failure);
          return false;
        }
        const int more = mysql_next_result(conn);
        if (more > 0) {
          describe_error(conn, failure);
          return false;
        }
        if (more < 0) break;
      }
      return ok;
    } catch (...) {
      failure->message = "out of memory";
      return false;
    }
  }

  bool in_transaction(soci::session& session) const noexcept override {
    unsigned int status = 0;
    if (mariadb_get_infov(handle(session), MARIADB_CONNECTION_SERVER_STATUS, &status) != 0) return false;
    return (status & SERVER_STATUS_IN_TRANS) != 0;
  }

  void ports(soci::session& session, int* local, int* remote) const noexcept override {
    *local = port_of(handle(session), &::getsockname);
    *remote = port_of(handle(session), &::getpeername);
  }

  bool cancel_with(soci::session& /*session*/, sdk::ConnectionState* state) const noexcept override {
    auto* s = dynamic_cast<MysqlState*>(state);
    if (s == nullptr) return false;
    try {
      soci::session killer(soci::mysql, s->connect);
      MYSQL* conn = handle(killer);
      if (s->own_running) return false;  // the statement ended while the killer connected
      const std::string kill = "KILL QUERY " + std::to_string(s->thread_id);
      return mysql_real_query(conn, kill.data(), static_cast<unsigned long>(kill.size())) == 0;
    } catch (...) {
      return false;
    }
  }

  void describe(const soci::soci_error& error, DatabaseFailure* failure) const override {
    failure->message = sdk::soci_message(error);
    if (const auto* e = dynamic_cast<const soci::mysql_soci_error*>(&error); e != nullptr)
      failure->code = "error " + std::to_string(e->err_num_);
  }

 private:
  static bool pass_rows(MYSQL_RES* res, const Rows& rows) {
    try {
      const unsigned columns = mysql_num_fields(res);
      std::vector<const char*> values(columns);
      while (MYSQL_ROW row = mysql_fetch_row(res)) {
        for (unsigned c = 0; c < columns; ++c) values[c] = row[c];
        rows(columns, values.data());
      }
      return true;
    } catch (...) {
      return false;
    }
  }
};

const MysqlStatements k_statements;

}  // namespace

const runner_driver* driver() { return sdk::soci_driver(k_statements); }

}  // namespace runner::mysql
