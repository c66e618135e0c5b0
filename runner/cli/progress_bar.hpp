// SPDX-License-Identifier: MIT
// --all-projects' progress line on stderr: projects done of all, failures, elapsed time and rate,
// redrawn in place; drawn only on a terminal.
#pragma once

#include <chrono>
#include <cstddef>

namespace runner::cli {

class ProgressBar {
 public:
  ProgressBar(std::size_t total, bool enabled);
  void draw(std::size_t done, std::size_t failed);
  // Erases the line, so that the summary starts on a clean one.
  void clear();

 private:
  std::size_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace runner::cli
