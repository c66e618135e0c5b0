// SPDX-License-Identifier: MIT
// The C API over runner::Migrator: exceptions become exit-code categories and messages in the
// caller's buffer; nothing escapes a function.
#include "runner/runner.h"

#include "runner/base/version.hpp"
#include "runner/migrator.hpp"

#include <cstring>
#include <new>

struct runner_migrator {
  runner::Migrator migrator;
};

namespace {

void put(char* err, size_t err_len, const char* text) {
  if (err == nullptr || err_len == 0) return;
  std::strncpy(err, text, err_len - 1);
  err[err_len - 1] = '\0';
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

void runner_close(runner_migrator* m) { delete m; }

const char* runner_version(void) { return runner::version(); }

}  // extern "C"
