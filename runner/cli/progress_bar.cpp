// SPDX-License-Identifier: MIT
#include "runner/cli/progress_bar.hpp"

#include <cstdio>
#include <string>

namespace runner::cli {

ProgressBar::ProgressBar(std::size_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::draw(std::size_t done, std::size_t failed) {
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const int width = 30;
  const int filled = total_ == 0 ? width : static_cast<int>(width * done / total_);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '-');
  std::fprintf(stderr, "\r[%s] %zu/%zu projects, %zu failed, %.1f s, %.1f/s ", bar.c_str(), done, total_, failed,
               elapsed, elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0);
  std::fflush(stderr);
}

void ProgressBar::clear() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace runner::cli
