// SPDX-License-Identifier: MIT
#include "plugins/loader/driver_connection.hpp"

#include "plugins/dialect_abi.h"

#include <cstdlib>
#include <exception>

namespace runner {
namespace {

// Gathers one driver call's failure. Its callbacks are noexcept: an allocation failure leaves the
// message short, never throws through the plugin's frames.
struct FailureSink {
  StatementFailure* failure;

  runner_sink sink() {
    runner_sink s{};
    s.ctx = this;
    s.statement = [](void*, const char*, size_t, uint32_t, uint32_t) noexcept {};
    s.field = &on_field;
    s.error = &on_error;
    s.diagnostic = [](void*, int, uint32_t, const char*, const char*) noexcept {};
    return s;
  }
  static void on_field(void* ctx, const char* key, const char* value, size_t len) noexcept {
    StatementFailure& f = *static_cast<FailureSink*>(ctx)->failure;
    try {
      const std::string k(key);
      std::string v(value, len);
      if (k == "sqlstate")
        f.sqlstate = std::move(v);
      else if (k == "detail")
        f.detail = std::move(v);
      else if (k == "hint")
        f.hint = std::move(v);
      else if (k == "code")
        f.code = std::move(v);
      else if (k == "position")
        f.byte_offset = std::strtoull(v.c_str(), nullptr, 10);
      else if (k == "locked")
        f.locked = v == "1";
    } catch (...) {
    }
  }
  static void on_error(void* ctx, int status, uint32_t /*line*/, const char* message) noexcept {
    StatementFailure& f = *static_cast<FailureSink*>(ctx)->failure;
    f.internal = status == RUNNER_ERR_INTERNAL;
    try {
      f.message = message != nullptr ? message : "";
    } catch (...) {
    }
  }
};

// Passes the plugin's rows to a RowFn, catching what it throws (host code must not unwind through
// the plugin).
struct RowBridge {
  const DriverConnection::RowFn* row;
  bool threw = false;
  static void on_row(void* ctx, uint32_t ncols, const char* const* values) noexcept {
    auto* self = static_cast<RowBridge*>(ctx);
    if (self->threw) return;
    try {
      (*self->row)(ncols, values);
    } catch (...) {
      self->threw = true;
    }
  }
};

}  // namespace

std::unique_ptr<DriverConnection> DriverConnection::open(const runner_driver& driver, const std::string& connect,
                                                         StatementFailure* failure) {
  FailureSink collect{failure};
  runner_sink sink = collect.sink();
  runner_connection* conn = nullptr;
  if (driver.connect(connect.c_str(), &sink, &conn) != RUNNER_OK) return nullptr;
  if (conn == nullptr) {
    failure->internal = true;
    failure->message = "the dialect's driver reported a connection but gave none";
    return nullptr;
  }
  try {
    return std::unique_ptr<DriverConnection>(new DriverConnection(driver, conn));
  } catch (...) {
    driver.close(conn);
    throw;
  }
}

DriverConnection::~DriverConnection() { driver_.close(conn_); }

bool DriverConnection::run(const std::string& sql, const std::vector<std::string>& params, const RowFn* row,
                           StatementFailure* failure) noexcept {
  FailureSink collect{failure};
  runner_sink sink = collect.sink();
  RowBridge bridge{row};
  const char* values[8];
  std::vector<const char*> many;
  const char* const* bound = values;
  try {
    if (params.size() > 8) {
      many.resize(params.size());
      bound = many.data();
    }
  } catch (...) {
    failure->message = "out of memory";
    return false;
  }
  for (std::size_t i = 0; i < params.size(); ++i) const_cast<const char**>(bound)[i] = params[i].c_str();  // NOLINT
  const int status = driver_.run(conn_, sql.data(), sql.size(), static_cast<uint32_t>(params.size()), bound,
                                 row != nullptr ? &RowBridge::on_row : nullptr, &bridge, &sink);
  if (bridge.threw) {
    try {
      failure->message = "reading the result failed";
    } catch (...) {
    }
    return false;
  }
  return status == RUNNER_OK;
}

bool DriverConnection::transaction(int op, StatementFailure* failure) noexcept {
  FailureSink collect{failure};
  runner_sink sink = collect.sink();
  return driver_.transaction(conn_, op, &sink) == RUNNER_OK;
}

bool DriverConnection::begin(StatementFailure* failure) noexcept { return transaction(RUNNER_TX_BEGIN, failure); }
bool DriverConnection::commit(StatementFailure* failure) noexcept { return transaction(RUNNER_TX_COMMIT, failure); }
bool DriverConnection::rollback(StatementFailure* failure) noexcept { return transaction(RUNNER_TX_ROLLBACK, failure); }

bool DriverConnection::in_transaction() noexcept { return driver_.in_transaction(conn_) != 0; }

int DriverConnection::local_port() noexcept {
  int local = -1, remote = -1;
  driver_.ports(conn_, &local, &remote);
  return local;
}

int DriverConnection::peer_port() noexcept {
  int local = -1, remote = -1;
  driver_.ports(conn_, &local, &remote);
  return remote;
}

bool DriverConnection::cancel() noexcept { return driver_.cancel(conn_) == RUNNER_OK; }

}  // namespace runner
