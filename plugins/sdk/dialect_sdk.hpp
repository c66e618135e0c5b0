// SPDX-License-Identifier: MIT
// The small C++ layer dialect plugins are written against. It turns the C contract in
// plugins/dialect_abi.h into a Sink object and exceptions, and guarantees none of them crosses it.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/sql_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace runner::sdk {

// Thrown inside a plugin to report a failure with a status and a line; the SDK's guard turns it
// into runner_sink::error and a status code.
class Failure : public std::runtime_error {
 public:
  Failure(runner_status status, std::uint32_t line, const std::string& message)
      : std::runtime_error(message), status_(status), line_(line) {}
  runner_status status() const noexcept { return status_; }
  std::uint32_t line() const noexcept { return line_; }

 private:
  runner_status status_;
  std::uint32_t line_;
};

// Convenience wrapper over a runner_sink for one call.
class Sink {
 public:
  explicit Sink(const runner_sink* out) : out_(out) {}
  void statement(std::string_view sql, std::uint32_t line, std::uint32_t flags) const {
    out_->statement(out_->ctx, sql.data(), sql.size(), line, flags);
  }
  void field(const char* key, std::string_view value) const { out_->field(out_->ctx, key, value.data(), value.size()); }
  void error(int status, std::uint32_t line, const char* message) const {
    out_->error(out_->ctx, status, line, message);
  }
  // One finding of a review: level RUNNER_DIAG_*, the rule's name, the message with its fix.
  void diagnostic(int level, std::uint32_t line, const char* rule, const std::string& message) const {
    out_->diagnostic(out_->ctx, level, line, rule, message.c_str());
  }

 private:
  const runner_sink* out_;
};

// Runs body(sink) and converts anything it throws into sink.error plus a status, so that no
// exception unwinds through the host's C frames.
template <typename Body>
int guard(const runner_sink* out, Body&& body) noexcept {
  Sink sink(out);
  try {
    body(sink);
    return RUNNER_OK;
  } catch (const Failure& f) {
    sink.error(f.status(), f.line(), f.what());
    return f.status();
  } catch (const std::exception& e) {
    sink.error(RUNNER_ERR_INTERNAL, 0, e.what());
    return RUNNER_ERR_INTERNAL;
  } catch (...) {
    sink.error(RUNNER_ERR_INTERNAL, 0, "unknown error in dialect plugin");
    return RUNNER_ERR_INTERNAL;
  }
}

// The host this plugin was loaded by (set by RUNNER_DEFINE_DIALECT before anything else runs).
inline const runner_host*& host() {
  static const runner_host* h = nullptr;
  return h;
}

// Writes to the host's log (RUNNER_LOG_*). Never throws.
inline void log(int level, const std::string& message) noexcept {
  const runner_host* h = host();
  if (h != nullptr && h->log != nullptr) h->log(h->ctx, level, message.c_str());
}

// Whether a host speaks this plugin's ABI. abi_version is read first: a host of an older ABI may
// lay out the rest of runner_host differently.
inline bool host_speaks_this_abi(const runner_host* h) {
  return h != nullptr && h->abi_version >= RUNNER_DIALECT_ABI_VERSION && h->struct_size >= sizeof(runner_host) &&
         h->abi_min_version <= RUNNER_DIALECT_ABI_VERSION;
}

// Runs a query through the runner_query the host lent, passing each row to `row`. What `row`
// throws is caught before it could unwind through the host's frames and thrown again here, after
// the host's call has returned. Throws Failure(RUNNER_ERR_USAGE) with the database's message when
// the query is refused.
inline void query_rows(const runner_query* db, const std::string& sql,
                       const std::function<void(std::uint32_t ncols, const char* const* values)>& row) {
  struct Ctx {
    const std::function<void(std::uint32_t, const char* const*)>* row;
    std::exception_ptr thrown;
  } ctx{&row, nullptr};
  auto on_row = [](void* c, std::uint32_t n, const char* const* values) noexcept {
    auto* self = static_cast<Ctx*>(c);
    if (self->thrown) return;
    try {
      (*self->row)(n, values);
    } catch (...) {
      self->thrown = std::current_exception();
    }
  };
  const int status = db->run(db->ctx, sql.c_str(), on_row, &ctx);
  if (ctx.thrown) std::rethrow_exception(ctx.thrown);
  if (status != RUNNER_OK)
    throw Failure(RUNNER_ERR_USAGE, 0, std::string(db->error(db->ctx)) + " (while reading: " + sql + ")");
}

// Statements no server can run, which a client program would have handled: psql's meta-commands
// (\set, \i) and the sqlite3 shell's dot-commands (.read). Refused when the run is planned,
// naming the line, instead of failing half-way through a run. `body`: the statement without
// leading blanks and comments.
inline void refuse_client_commands(std::string_view body, std::uint32_t line) {
  if (body.empty()) return;
  const std::string_view first_line = body.substr(0, body.find('\n'));
  if (body[0] == '\\')
    throw Failure(RUNNER_ERR_USAGE, line,
                  "'" + std::string(first_line) +
                      "' is a psql meta-command, not SQL: runner sends each statement to the server, which cannot "
                      "run it; remove it (runner stops at the first error by itself) or write it in SQL");
  if (body[0] == '.')
    throw Failure(RUNNER_ERR_USAGE, line,
                  "'" + std::string(first_line) +
                      "' is a sqlite3 shell dot-command, not SQL: runner sends each statement to the database, "
                      "which cannot run it; remove it or write it in SQL");
  // psql ends a statement with \g or \gset on a line of its own, which no ';' follows, so the
  // next statement joins it. Bodies of code (CREATE ..., DO) are left alone: a line of theirs may
  // start with a backslash inside a string.
  const std::string first_word = keyword_at(body, 0);
  if (first_word != "CREATE" && first_word != "DO") {
    std::uint32_t at_line = line;
    for (std::size_t pos = body.find('\n'); pos != std::string_view::npos; pos = body.find('\n', pos + 1)) {
      ++at_line;
      const std::size_t end = body.find('\n', pos + 1);
      const std::string_view text =
          trim_space(body.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1));
      if (text.size() >= 2 && text[0] == '\\' &&
          ((text[1] >= 'a' && text[1] <= 'z') || (text[1] >= 'A' && text[1] <= 'Z')) &&
          text.find_first_of("'\"$") == std::string_view::npos)
        throw Failure(RUNNER_ERR_USAGE, at_line,
                      "'" + std::string(text) +
                          "' is a psql meta-command, not SQL: runner sends each statement to the server, which "
                          "cannot run it; end the statement before it with ';' instead");
    }
  }
}

// Tells a host that does not speak this plugin's ABI why, when it can take it: one laid out as
// this plugin knows runner_host (not older).
inline void explain_refusal(const runner_host* h) noexcept {
  if (h != nullptr && h->abi_version >= RUNNER_DIALECT_ABI_VERSION && h->struct_size >= sizeof(runner_host) &&
      h->log != nullptr)
    h->log(h->ctx, RUNNER_LOG_WARN,
           "this dialect plugin serves an older ABI than this runner still speaks: rebuild it against the "
           "runner's plugins/dialect_abi.h");
}

}  // namespace runner::sdk

// Defines the plugin's one exported symbol. `table` is a static runner_dialect. A host that does
// not speak this plugin's ABI gets nothing, with the reason in its log when it can take it.
#define RUNNER_DEFINE_DIALECT(table)                                                            \
  extern "C" __attribute__((visibility("default"))) const runner_dialect* runner_dialect_entry( \
      const runner_host* host) {                                                                \
    if (!runner::sdk::host_speaks_this_abi(host)) {                                             \
      runner::sdk::explain_refusal(host);                                                       \
      return nullptr;                                                                           \
    }                                                                                           \
    runner::sdk::host() = host;                                                                 \
    return &(table);                                                                            \
  }
