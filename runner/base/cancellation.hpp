// SPDX-License-Identifier: MIT
// A request, made from another thread, that a run stop: the CLI's signal watcher makes it on
// SIGINT/SIGTERM, an application through Migrator::interrupt(). The run checks requested() at its
// safe points (between statements and migrations, while it waits for the run lock); what the
// database is running meanwhile is cancelled through the callbacks the run registered.
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <mutex>

namespace runner {

class Cancellation {
 public:
  Cancellation() = default;
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

 private:
  struct Callback;

 public:
  // When a registered cancel is called: on the first request (a statement that can be stopped
  // and rolled back), or only when the run is aborted (a statement that must be let finish:
  // a no-transaction migration's, whose work cannot be rolled back).
  enum class When { request, abort };

  // Registers `cancel` while the returned object lives. It is called from the requesting
  // thread, so it must be safe there (a connection's cancel() is). Called at once when the
  // request (or abort) was already made.
  class Registration {
   public:
    Registration() = default;
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&& other) noexcept;
    ~Registration();

   private:
    friend class Cancellation;
    Cancellation* owner_ = nullptr;
    std::list<Callback>::iterator entry_;
  };
  Registration on(When when, std::function<void()> cancel);

  // The first request wins: `signal` (0 for none, as from an application) is what the run's
  // exit code reports. Calls the `request` callbacks.
  void request(int signal = 0);
  // Calls every callback (the run is about to be abandoned). Implies request(signal).
  void abort(int signal = 0);
  // Forgets a request, for the next run.
  void reset();

  bool requested() const noexcept { return requested_.load(std::memory_order_acquire); }
  int signal() const noexcept { return signal_.load(std::memory_order_acquire); }

 private:
  struct Callback {
    When when;
    std::function<void()> cancel;
  };
  void call(bool all);

  std::atomic<bool> requested_{false};
  std::atomic<bool> aborted_{false};
  std::atomic<int> signal_{0};
  std::mutex mutex_;  // guards callbacks_, and that none is called after it is unregistered
  std::list<Callback> callbacks_;
};

// The exit code of a run a request stopped: 128 + the signal, as a shell reports a process the
// signal ended (130 for SIGINT, 143 for SIGTERM); 130 when no signal was named.
int interrupted_exit_code(int signal) noexcept;
// "SIGINT", "SIGTERM", "an interrupt request" (signal 0).
const char* interrupt_name(int signal) noexcept;

}  // namespace runner
