// SPDX-License-Identifier: MIT
// The small C++ layer dialect plugins are written against. It turns the C contract in
// plugins/dialect_abi.h into a Sink object and exceptions, and guarantees none of them crosses it.
#pragma once

#include "plugins/dialect_abi.h"

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

// The byte offset of character `n` (1-based, as PostgreSQL counts a statement's position) in UTF-8
// `text`; text.size() when it is past the end.
inline std::size_t byte_of_character(std::string_view text, std::size_t n) {
  std::size_t byte = 0;
  for (std::size_t seen = 1; seen < n && byte < text.size(); ++seen) {
    ++byte;
    while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) ++byte;
  }
  return byte;
}

// 1-based line of byte `offset` in `text`.
inline std::uint32_t line_at(std::string_view text, std::size_t offset) {
  std::uint32_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') ++line;
  return line;
}

// Lines of offsets asked in increasing order, counted once: a splitter asks one per statement, and
// counting from the start each time made splitting a large data file quadratic in its size.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  // 1-based line of byte `offset`. Going back restarts the count.
  std::uint32_t at(std::size_t offset) {
    if (offset < offset_) {
      offset_ = 0;
      line_ = 1;
    }
    const std::size_t end = offset < text_.size() ? offset : text_.size();
    const char* p = text_.data() + offset_;
    const char* const stop = text_.data() + end;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(stop - p)))) != nullptr) {
      ++line_;
      ++p;
    }
    offset_ = end;
    return line_;
  }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  std::uint32_t line_ = 1;
};

// Offset of `lower_word` in `text` ignoring ASCII case, as a whole word (no letter, digit or '_'
// on either side) when `whole_word`; npos when absent. Linear: it runs over whole data files.
inline std::size_t find_ignoring_case(std::string_view text, std::string_view lower_word, bool whole_word = false) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (lower_word.empty() || lower_word.size() > text.size()) return std::string_view::npos;
  for (std::size_t i = 0; i + lower_word.size() <= text.size(); ++i) {
    if (lower(text[i]) != lower_word[0]) continue;
    std::size_t k = 1;
    while (k < lower_word.size() && lower(text[i + k]) == lower_word[k]) ++k;
    if (k < lower_word.size()) continue;
    if (whole_word && ((i > 0 && word_char(text[i - 1])) || (i + k < text.size() && word_char(text[i + k])))) continue;
    return i;
  }
  return std::string_view::npos;
}

// Offset of the first character that is neither white space nor inside a -- or /* */ comment,
// starting at `from`; text.size() when there is none. nested_comments: PostgreSQL nests /* */.
inline std::size_t skip_blank(std::string_view text, std::size_t from, bool nested_comments) {
  std::size_t i = from;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      int depth = 1;
      i += 2;
      while (i < text.size() && depth > 0) {
        if (text[i] == '*' && i + 1 < text.size() && text[i + 1] == '/') {
          --depth;
          i += 2;
        } else if (nested_comments && text[i] == '/' && i + 1 < text.size() && text[i + 1] == '*') {
          ++depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else {
      break;
    }
  }
  return i;
}

// `text` without the white space around it (comments are kept: they are part of the statement).
inline std::string_view trim_space(std::string_view text) {
  const char* k_space = " \t\r\n\f\v";
  std::size_t first = text.find_first_not_of(k_space);
  if (first == std::string_view::npos) return text.substr(0, 0);
  std::size_t last = text.find_last_not_of(k_space);
  return text.substr(first, last - first + 1);
}

// The keyword (letters only, upper-cased) starting at `from`, empty when none.
inline std::string keyword_at(std::string_view text, std::size_t from) {
  std::string word;
  for (std::size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
      word.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
    else
      break;
  }
  return word;
}

// Standard SQL identifier quoting: wrap in double quotes, double any inside.
inline std::string double_quote(std::string_view name) {
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q.push_back('"');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

// Standard SQL string literal: wrap in single quotes, double any inside.
inline std::string single_quote(std::string_view value) {
  std::string q = "'";
  for (char c : value) {
    if (c == '\'') q.push_back('\'');
    q.push_back(c);
  }
  q.push_back('\'');
  return q;
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

}  // namespace runner::sdk

// Defines the plugin's one exported symbol. `table` is a static runner_dialect. A host that does
// not speak this plugin's ABI gets nothing, with the reason in its log when it can take it.
#define RUNNER_DEFINE_DIALECT(table)                                                            \
  extern "C" __attribute__((visibility("default"))) const runner_dialect* runner_dialect_entry( \
      const runner_host* host) {                                                                \
    if (!runner::sdk::host_speaks_this_abi(host)) return nullptr;                               \
    runner::sdk::host() = host;                                                                 \
    return &(table);                                                                            \
  }
