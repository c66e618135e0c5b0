// SPDX-License-Identifier: MIT
#include "runner/base/cancellation.hpp"

#include <signal.h>

#include <utility>

namespace runner {

Cancellation::Registration::Registration(Registration&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), entry_(other.entry_) {}

Cancellation::Registration& Cancellation::Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    Registration gone(std::move(*this));
    owner_ = std::exchange(other.owner_, nullptr);
    entry_ = other.entry_;
  }
  return *this;
}

Cancellation::Registration::~Registration() {
  if (owner_ == nullptr) return;
  std::lock_guard<std::mutex> lock(owner_->mutex_);
  owner_->callbacks_.erase(entry_);
}

Cancellation::Registration Cancellation::on(When when, std::function<void()> cancel) {
  Registration r;
  bool now = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    r.owner_ = this;
    r.entry_ = callbacks_.insert(callbacks_.end(), Callback{when, std::move(cancel)});
    now = aborted_.load() || (when == When::request && requested_.load());
    if (now) r.entry_->cancel();
  }
  return r;
}

void Cancellation::call(bool all) {
  // Under the mutex: a callback is never called once its registration is gone (the connection
  // it cancels may be closed right after).
  std::lock_guard<std::mutex> lock(mutex_);
  for (const Callback& c : callbacks_)
    if (all || c.when == When::request) c.cancel();
}

void Cancellation::request(int signal) {
  int none = 0;
  signal_.compare_exchange_strong(none, signal);
  if (requested_.exchange(true, std::memory_order_acq_rel)) return;
  call(false);
}

void Cancellation::abort(int signal) {
  int none = 0;
  signal_.compare_exchange_strong(none, signal);
  requested_.store(true, std::memory_order_release);
  if (aborted_.exchange(true)) return;
  call(true);
}

void Cancellation::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  requested_.store(false);
  aborted_.store(false);
  signal_.store(0);
}

int interrupted_exit_code(int signal) noexcept { return 128 + (signal > 0 ? signal : SIGINT); }

const char* interrupt_name(int signal) noexcept {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "an interrupt request";
  }
}

}  // namespace runner
