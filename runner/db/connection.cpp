// SPDX-License-Identifier: MIT
#include "runner/db/connection.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/core/errors.hpp"
#include "runner/core/log.hpp"

#include <spdlog/spdlog.h>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

namespace runner {

struct Connection::Impl {
  std::string backend;
  std::string display;  // the target's URL, password masked, for messages
  const NativeBackend* native = nullptr;
  soci::session session;
};

namespace {

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

void throw_soci_failure(const soci::soci_error& e, const std::string& display, const std::string& what) {
  // SQLITE_BUSY, after SQLite's busy timeout (--lock-timeout) ran out. (SQLITE_LOCKED is a
  // conflict inside this connection, not a wait.)
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&e);
      sqlite != nullptr && (sqlite->result() & 0xFF) == 5)
    throw SafetyError(display + " is locked by another connection that holds a transaction open on it (not a " +
                      "runner: runners wait for each other's lock on the file); gave up after --lock-timeout " +
                      "while " + what);
  throw DatabaseError(display + ": " + clean_message(e) + "\n  while " + what);
}

Connection::Connection(const std::string& soci_backend, const TargetInfo& target) : impl_(std::make_unique<Impl>()) {
  impl_->backend = soci_backend;
  impl_->display = target.display;
  impl_->native = &native_backend(soci_backend);
  try {
    // A factory object, not a backend name: SOCI's own loader would search the working directory.
    impl_->session.open(impl_->native->factory(), target.connect);
  } catch (const soci::soci_error& e) {
    // libpq quotes what it could not parse, which may be the password itself.
    std::string message = clean_message(e);
    for (const auto& secret : target.secrets)
      for (std::size_t at; !secret.empty() && (at = message.find(secret)) != std::string::npos;)
        message.replace(at, secret.size(), "***");
    throw DatabaseError("cannot connect to " + target.display + ": " + message);
  }
  impl_->native->prepare_session(impl_->session);
  for (const auto& sql : target.session_sql) execute(sql);
}

Connection::~Connection() = default;

soci::session& Connection::session() { return impl_->session; }
const std::string& Connection::backend() const { return impl_->backend; }
const std::string& Connection::display() const { return impl_->display; }

bool Connection::execute_native(const std::string& sql, StatementFailure* failure) {
  return impl_->native->execute(impl_->session, sql, failure);
}

bool Connection::query_native(const std::string& sql, const NativeBackend::RowFn& row, StatementFailure* failure) {
  return impl_->native->query(impl_->session, sql, row, failure);
}

void Connection::execute(const std::string& sql) {
  try {
    impl_->session << sql;
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, impl_->display, "running: " + first_line(sql));
  }
}

long long Connection::query_int(const std::string& sql) {
  long long value = 0;
  soci::indicator ind = soci::i_ok;
  try {
    impl_->session << sql, soci::into(value, ind);
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, impl_->display, "running: " + first_line(sql));
  }
  return ind == soci::i_ok ? value : 0;
}

std::string Connection::query_string(const std::string& sql) {
  std::string value;
  soci::indicator ind = soci::i_ok;
  try {
    impl_->session << sql, soci::into(value, ind);
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, impl_->display, "running: " + first_line(sql));
  }
  return ind == soci::i_ok ? value : std::string();
}

std::vector<std::string> Connection::query_strings(const std::string& sql) {
  std::vector<std::string> values;
  try {
    soci::rowset<std::string> rows = (impl_->session.prepare << sql);
    for (const auto& v : rows) values.push_back(v);
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, impl_->display, "running: " + first_line(sql));
  }
  return values;
}

int Connection::local_port() { return impl_->native->local_port(impl_->session); }
int Connection::peer_port() { return impl_->native->peer_port(impl_->session); }

bool Connection::in_transaction() { return impl_->native->in_transaction(impl_->session); }

void Connection::begin() {
  try {
    impl_->session.begin();
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, impl_->display, "beginning a transaction");
  }
}

void Connection::commit() {
  try {
    impl_->session.commit();
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, impl_->display, "committing");
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
