// SPDX-License-Identifier: MIT
#include "plugins/sdk/soci_driver.hpp"

#include <soci/soci.h>

#include <memory>
#include <new>

struct runner_connection {
  soci::session session;
  std::unique_ptr<runner::sdk::ConnectionState> state;  // declared after: destroyed first
};

namespace runner::sdk {
namespace {

const NativeStatements* g_native = nullptr;

void report(const runner_sink* out, const DatabaseFailure& f) noexcept {
  try {
    auto field = [&](const char* key, const std::string& value) {
      if (!value.empty()) out->field(out->ctx, key, value.data(), value.size());
    };
    field("sqlstate", f.sqlstate);
    field("detail", f.detail);
    field("hint", f.hint);
    field("code", f.code);
    if (f.position != std::string::npos) field("position", std::to_string(f.position));
    if (f.locked) field("locked", "1");
    out->error(out->ctx, RUNNER_ERR_USAGE, 0, f.message.c_str());
  } catch (...) {
    out->error(out->ctx, RUNNER_ERR_INTERNAL, 0, "out of memory");
  }
}

int internal(const runner_sink* out, const char* message) noexcept {
  out->error(out->ctx, RUNNER_ERR_INTERNAL, 0, message);
  return RUNNER_ERR_INTERNAL;
}

int connect(const char* connect_string, const runner_sink* out, runner_connection** conn) noexcept {
  try {
    auto c = std::make_unique<runner_connection>();
    try {
      c->session.open(g_native->factory(), g_native->soci_connect_string(connect_string));
      c->state = g_native->connected_with(c->session, connect_string);
    } catch (const soci::soci_error& e) {
      DatabaseFailure f;
      g_native->describe(e, &f);
      report(out, f);
      return RUNNER_ERR_USAGE;
    }
    *conn = c.release();
    return RUNNER_OK;
  } catch (const std::exception& e) {
    return internal(out, e.what());
  } catch (...) {
    return internal(out, "connecting failed");
  }
}

void close(runner_connection* conn) noexcept {
  try {
    delete conn;  // NOLINT: the ABI hands ownership over as a raw pointer
  } catch (...) {
  }
}

int run(runner_connection* conn, const char* sql, size_t len, uint32_t nparams, const char* const* params,
        runner_row_fn row, void* row_ctx, const runner_sink* out) noexcept {
  try {
    DatabaseFailure f;
    if (g_native->run(conn->session, conn->state.get(), std::string(sql, len), nparams, params, Rows{row, row_ctx}, &f))
      return RUNNER_OK;
    report(out, f);
    return RUNNER_ERR_USAGE;
  } catch (...) {
    return internal(out, "out of memory");
  }
}

int transaction(runner_connection* conn, int op, const runner_sink* out) noexcept {
  try {
    try {
      if (op == RUNNER_TX_BEGIN)
        conn->session.begin();
      else if (op == RUNNER_TX_COMMIT)
        conn->session.commit();
      else if (op == RUNNER_TX_ROLLBACK)
        conn->session.rollback();
      else
        return internal(out, "unknown transaction operation");
    } catch (const soci::soci_error& e) {
      DatabaseFailure f;
      g_native->describe(e, &f);
      report(out, f);
      return RUNNER_ERR_USAGE;
    }
    return RUNNER_OK;
  } catch (const std::exception& e) {
    return internal(out, e.what());
  } catch (...) {
    return internal(out, "transaction failed");
  }
}

int in_transaction(runner_connection* conn) noexcept { return g_native->in_transaction(conn->session) ? 1 : 0; }

void ports(runner_connection* conn, int* local, int* remote) noexcept { g_native->ports(conn->session, local, remote); }

int cancel(runner_connection* conn) noexcept {
  return g_native->cancel_with(conn->session, conn->state.get()) ? RUNNER_OK : RUNNER_ERR_USAGE;
}

const runner_driver k_driver = {&connect, &close, &run, &transaction, &in_transaction, &ports, &cancel};

}  // namespace

std::string soci_message(const soci::soci_error& e) {
  std::string msg = e.get_error_message();
  for (const char* prefix :
       {"sqlite3_statement_backend::prepare: ", "sqlite3_statement_backend::loadOne: ",
        "Cannot execute query. Fatal error. ", "Cannot execute query. ",
        "Cannot establish connection to the database.\n", "Cannot establish connection to the database. "}) {
    if (msg.rfind(prefix, 0) == 0) msg.erase(0, std::char_traits<char>::length(prefix));
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

void NativeStatements::describe(const soci::soci_error& error, DatabaseFailure* failure) const {
  failure->message = soci_message(error);
}

const runner_driver* soci_driver(const NativeStatements& native) {
  g_native = &native;
  return &k_driver;
}

}  // namespace runner::sdk
