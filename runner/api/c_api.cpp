// SPDX-License-Identifier: MIT
// The C API over runner::Migrator: exceptions become exit-code categories and messages in the
// caller's buffer; nothing escapes a function.
#include "runner/runner.h"

#include "runner/base/version.hpp"
#include "runner/migrator.hpp"

#include <cstring>
#include <new>
#include <string>

struct runner_migrator {
  runner::Migrator migrator;
};

namespace {

// The message, cut to err_len with its NUL; never inside a UTF-8 character (a file name or a
// database's message in another language), so that the caller can always decode it.
void put(char* err, size_t err_len, const char* text) {
  if (err == nullptr || err_len == 0) return;
  size_t n = std::strlen(text);
  if (n > err_len - 1) {
    n = err_len - 1;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // text[n] continues a character
  }
  std::memcpy(err, text, n);
  err[n] = '\0';
}

// Runs `work`, turning what it throws into runner's exit-code category and a message.
template <class Work>
int guarded(char* err, size_t err_len, Work&& work) noexcept {
  try {
    put(err, err_len, "");
    work();
    return runner::k_exit_ok;
  } catch (const runner::Error& e) {
    put(err, err_len, e.what());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    put(err, err_len, "out of memory");
  } catch (const std::exception& e) {
    put(err, err_len, e.what());
  } catch (...) {
    put(err, err_len, "unknown error");
  }
  return runner::k_exit_failure;
}

int no_handle(char* err, size_t err_len) {
  put(err, err_len, "no migrator: the handle is NULL (runner_open failed, or was not called)");
  return runner::k_exit_usage;
}

}  // namespace

extern "C" {

int runner_open(const char* url, const char* sql_dir, runner_migrator** out, char* err, size_t err_len) {
  if (out == nullptr) {
    put(err, err_len, "runner_open: out is NULL");
    return runner::k_exit_usage;
  }
  *out = nullptr;
  return guarded(err, err_len, [&] {
    if (url == nullptr || *url == '\0') throw runner::UsageError("runner_open: no database URL");
    runner::MigratorOptions options;
    options.url = url;
    if (sql_dir != nullptr) options.sql_dir = sql_dir;
    *out = new runner_migrator{runner::Migrator(std::move(options))};
  });
}

int runner_upgrade(runner_migrator* m, const char* target, char* err, size_t err_len) {
  if (m == nullptr) return no_handle(err, err_len);
  return guarded(err, err_len, [&] { m->migrator.upgrade(target != nullptr ? target : "head"); });
}

int runner_downgrade(runner_migrator* m, const char* target, char* err, size_t err_len) {
  if (m == nullptr) return no_handle(err, err_len);
  return guarded(err, err_len, [&] {
    if (target == nullptr) throw runner::UsageError("runner_downgrade: say how far: \"-1\", a version or \"base\"");
    m->migrator.downgrade(target);
  });
}

int runner_stamp(runner_migrator* m, const char* target, char* err, size_t err_len) {
  if (m == nullptr) return no_handle(err, err_len);
  return guarded(err, err_len, [&] {
    if (target == nullptr) throw runner::UsageError("runner_stamp: say where: \"head\", a version or \"base\"");
    m->migrator.stamp(target);
  });
}

int runner_current(runner_migrator* m, int64_t* version, char* err, size_t err_len) {
  if (m == nullptr) return no_handle(err, err_len);
  return guarded(err, err_len, [&] {
    if (version == nullptr) throw runner::UsageError("runner_current: version is NULL");
    *version = m->migrator.current();
  });
}

int runner_validate(runner_migrator* m, char* err, size_t err_len) {
  if (m == nullptr) return no_handle(err, err_len);
  return guarded(err, err_len, [&] { m->migrator.validate(); });
}

int runner_sql_script(runner_migrator* m, const char* range, int up, char* out, size_t out_len, size_t* needed,
                      char* err, size_t err_len) {
  if (m == nullptr) return no_handle(err, err_len);
  return guarded(err, err_len, [&] {
    const std::string script = m->migrator.sql_script(range != nullptr ? range : "", up != 0);
    if (needed != nullptr) *needed = script.size() + 1;
    if (out == nullptr || out_len < script.size() + 1)
      throw runner::UsageError("runner_sql_script: the script needs " + std::to_string(script.size() + 1) +
                               " bytes with its NUL; out has " + std::to_string(out == nullptr ? 0 : out_len));
    std::memcpy(out, script.data(), script.size());
    out[script.size()] = '\0';
  });
}

void runner_interrupt(runner_migrator* m) {
  if (m != nullptr) m->migrator.interrupt();
}

void runner_close(runner_migrator* m) { delete m; }

const char* runner_version(void) { return runner::version(); }

}  // extern "C"
