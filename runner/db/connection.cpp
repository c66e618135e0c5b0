// SPDX-License-Identifier: MIT
#include "runner/db/connection.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/base/text.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <string>

namespace runner {
namespace {

std::string with_sqlstate(const StatementFailure& f) {
  return f.sqlstate.empty() ? f.message : fmt::format("{} (SQLSTATE {})", f.message, f.sqlstate);
}

}  // namespace

Error::DatabaseSaid database_said(const StatementFailure& f) { return {f.sqlstate, f.detail, f.hint, f.code}; }

void throw_database_failure(const StatementFailure& f, const std::string& display, const std::string& what) {
  if (f.internal)  // the plugin failed, not the database
    throw DialectError(fmt::format("{}: the dialect's driver failed while {}: {}", display, what, f.message));
  if (f.locked) {
    SafetyError e(
        fmt::format("{} is locked by another connection that holds a transaction open on it (not a runner: "
                    "runners wait for each other's run lock); gave up after --lock-timeout while {}",
                    display, what));
    e.set_database_said(database_said(f));
    throw e;
  }
  DatabaseError e(fmt::format("{}: {}\n  while {}", display, with_sqlstate(f), what));
  e.set_database_said(database_said(f));
  throw e;
}

Connection::Connection(const Dialect& dialect, const DatabaseInfo& target)
    : dialect_(dialect), display_(target.display) {
  StatementFailure f;
  driver_ = dialect.connect(target.connect, &f);
  if (!driver_) {
    // A driver may quote what it could not parse, which may be the password itself.
    std::string message = f.message;
    for (const auto& secret : target.secrets)
      for (std::size_t at; !secret.empty() && (at = message.find(secret)) != std::string::npos;)
        message.replace(at, secret.size(), "***");
    if (f.locked || f.internal) throw_database_failure(f, display_, "connecting");
    throw DatabaseError(fmt::format("cannot connect to {}: {}", target.display, message));
  }
  for (const auto& sql : target.session_sql) execute(sql);
}

Connection::~Connection() = default;

const Dialect& Connection::dialect() const { return dialect_; }
const std::string& Connection::display() const { return display_; }

bool Connection::execute_native(const std::string& sql, StatementFailure* failure) {
  // A migration's statement may leave anything behind on the session (a SET, a temporary table).
  touched_ = true;
  const bool ok = driver_->run(sql, {}, nullptr, failure);
  if (!ok) failed_ = true;
  return ok;
}

bool Connection::query_native(const std::string& sql, const DriverConnection::RowFn& row, StatementFailure* failure) {
  const bool ok = driver_->run(sql, {}, &row, failure);
  if (!ok) failed_ = true;
  return ok;
}

void Connection::retarget(const DatabaseInfo& target) {
  display_ = target.display;
  for (const auto& sql : target.session_sql) execute(sql);
  for (const auto& sql : target.reset_sql) execute(sql);
}

bool Connection::discard(const std::vector<std::string>& discard_sql) noexcept {
  try {
    if (failed_ || discard_sql.empty() || driver_->in_transaction()) return false;
    StatementFailure f;
    for (const auto& sql : discard_sql)
      if (!driver_->run(sql, {}, nullptr, &f)) {
        failed_ = true;
        return false;
      }
    touched_ = false;
    return true;
  } catch (...) {
    failed_ = true;
    return false;
  }
}

void Connection::execute(const std::string& sql, const std::vector<std::string>& params, const std::string& what) {
  StatementFailure f;
  if (!driver_->run(sql, params, nullptr, &f))
    failed(f, what.empty() ? fmt::format("running: {}", first_line(sql)) : what);
}

void Connection::failed(const StatementFailure& f, const std::string& what) {
  failed_ = true;
  throw_database_failure(f, display_, what);
}

std::vector<std::vector<std::string>> Connection::query_rows(const std::string& sql, const std::string& what) {
  return query_rows(sql, {}, what);
}

std::vector<std::vector<std::string>> Connection::query_rows(const std::string& sql,
                                                             const std::vector<std::string>& params,
                                                             const std::string& what) {
  std::vector<std::vector<std::string>> rows;
  const DriverConnection::RowFn collect = [&](std::uint32_t n, const char* const* values) {
    std::vector<std::string> row;
    row.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) row.emplace_back(values[i] != nullptr ? values[i] : "");
    rows.push_back(std::move(row));
  };
  StatementFailure f;
  if (!driver_->run(sql, params, &collect, &f))
    failed(f, what.empty() ? fmt::format("running: {}", first_line(sql)) : what);
  return rows;
}

void Connection::query_each(const std::string& sql, const DriverConnection::RowFn& row, const std::string& what) {
  StatementFailure f;
  if (!driver_->run(sql, {}, &row, &f)) failed(f, what);
}

long long Connection::query_int(const std::string& sql) {
  const std::string value = query_string(sql);
  if (value.empty()) return 0;
  try {
    return std::stoll(value);
  } catch (const std::exception&) {
    failed_ = true;
    throw DatabaseError(
        fmt::format("{}: expected a number, got '{}'\n  while running: {}", display_, value, first_line(sql)));
  }
}

std::string Connection::query_string(const std::string& sql) {
  auto rows = query_rows(sql);
  return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
}

std::vector<std::string> Connection::query_strings(const std::string& sql) {
  std::vector<std::string> values;
  for (auto& row : query_rows(sql))
    if (!row.empty()) values.push_back(std::move(row[0]));
  return values;
}

int Connection::local_port() { return driver_->local_port(); }
int Connection::peer_port() { return driver_->peer_port(); }
bool Connection::in_transaction() { return driver_->in_transaction(); }
bool Connection::cancel() { return driver_->cancel(); }

void Connection::begin() {
  StatementFailure f;
  if (!driver_->begin(&f)) failed(f, "beginning a transaction");
}

void Connection::commit() {
  StatementFailure f;
  if (!driver_->commit(&f)) failed(f, "committing");
}

void Connection::rollback() noexcept {
  failed_ = true;  // on a failure path
  StatementFailure f;
  if (driver_->rollback(&f)) return;
  // Already failing; a rollback error (e.g. a dropped connection) must not hide the first one.
  try {
    log().debug("rollback failed: {}", f.message);
  } catch (...) {
  }
}

}  // namespace runner
