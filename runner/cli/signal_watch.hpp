// SPDX-License-Identifier: MIT
// SIGINT, SIGTERM and SIGHUP while a command that writes to databases runs. The first asks the run
// to stop at its next safe point (the migration in flight rolled back, or a no-transaction one
// stopped after its statement; the lock released; what ran reported) and says so on stderr. The
// second aborts at once: what the databases run is cancelled and the process exits 128 + the
// signal, each database still at a migration boundary since each migration commits with its
// history row. A third ends the process as the signal would.
#pragma once

#include <signal.h>

#include <thread>

namespace runner {
class Cancellation;
}

namespace runner::cli {

class SignalWatch {
 public:
  // Handles the signals until destroyed; requests go to `cancel`, which must outlive this.
  explicit SignalWatch(Cancellation& cancel);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  void watch();

  Cancellation& cancel_;
  int pipe_[2] = {-1, -1};
  struct sigaction saved_[3]{};
  std::thread thread_;
};

}  // namespace runner::cli
