// SPDX-License-Identifier: MIT
#include "runner/cli/signal_watch.hpp"

#include "runner/base/cancellation.hpp"
#include "runner/base/errors.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace runner::cli {
namespace {

constexpr int k_signals[] = {SIGINT, SIGTERM, SIGHUP};

// The handler's whole state: it only counts and writes the signal's number to the watcher's pipe
// (async-signal-safe); the watcher thread does the rest.
std::atomic<int> g_write_fd{-1};
std::atomic<int> g_received{0};

extern "C" void on_signal(int sig) {
  const int saved_errno = errno;
  if (g_received.fetch_add(1) >= 2) {
    // The watcher did not end the process on the second: the signal's own course.
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
  const unsigned char b = static_cast<unsigned char>(sig);
  const int fd = g_write_fd.load();
  if (fd >= 0) (void)!::write(fd, &b, 1);
  errno = saved_errno;
}

void say(const std::string& text) {
  // stderr, unbuffered: the message is out before anything the run prints about stopping.
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace

SignalWatch::SignalWatch(Cancellation& cancel) : cancel_(cancel) {
  if (::pipe2(pipe_, O_CLOEXEC) != 0)
    throw Error(std::string("cannot watch for signals: pipe: ") + std::strerror(errno));
  g_received.store(0);
  g_write_fd.store(pipe_[1]);
  thread_ = std::thread([this] { watch(); });
  struct sigaction sa {};
  sa.sa_handler = &on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // the run's own reads and writes carry on; it checks the request itself
  for (int i = 0; i < 3; ++i) sigaction(k_signals[i], &sa, &saved_[i]);
}

SignalWatch::~SignalWatch() {
  for (int i = 0; i < 3; ++i) sigaction(k_signals[i], &saved_[i], nullptr);
  g_write_fd.store(-1);
  const unsigned char stop = 0;
  (void)!::write(pipe_[1], &stop, 1);
  if (thread_.joinable()) thread_.join();
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

void SignalWatch::watch() {
  int seen = 0;
  for (;;) {
    unsigned char sig = 0;
    const ssize_t n = ::read(pipe_[0], &sig, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || sig == 0) return;
    if (++seen == 1) {
      say(std::string("runner: ") + interrupt_name(sig) +
          " received: stopping at the next safe point (a migration in a transaction is cancelled and rolled "
          "back; one without a transaction finishes its current statement). Send it again to abort at once.\n");
      cancel_.request(sig);
      continue;
    }
    say(std::string("runner: ") + interrupt_name(sig) +
        " received again: aborting now; statements running are cancelled, and each database stays at the last "
        "migration that committed\n");
    cancel_.abort(sig);
    std::_Exit(interrupted_exit_code(sig));
  }
}

}  // namespace runner::cli
