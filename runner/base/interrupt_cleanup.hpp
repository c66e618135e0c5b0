// SPDX-License-Identifier: MIT
// What a Ctrl-C or a deploy system's SIGTERM must not leave behind: a temporary file removed before
// the signal ends the process, and short sequences of file operations that complete (or undo)
// before a signal is let in.
#pragma once

#include <signal.h>

#include <filesystem>

namespace runner {

// Removes `path` if SIGINT, SIGTERM or SIGHUP ends the process while this object lives; the signal
// then takes its default course (the exit status says it). At most a few at once.
class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(const std::filesystem::path& path);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  int slot_ = -1;
};

// Holds SIGINT, SIGTERM and SIGHUP back for a scope: a signal sent meanwhile arrives when it ends.
// For work that takes moments and must finish or undo itself whole (placing a set of files).
class SignalsHeld {
 public:
  SignalsHeld();
  ~SignalsHeld();
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t saved_;  // the mask before
};

}  // namespace runner
