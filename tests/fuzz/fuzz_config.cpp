// SPDX-License-Identifier: MIT
// The config file (runner.ini) as the command line reads it: any text is settings or a UsageError
// naming the file and what is wrong, never a crash or another exception.
#include "runner/base/errors.hpp"
#include "runner/cli/settings.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/runner-fuzz-config-" + std::to_string(::getpid()) + ".ini";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  const char* argv[] = {"runner", "-c", path.c_str(), "current"};
  try {
    (void)runner::cli::resolve_settings(4, argv);
  } catch (const runner::Error&) {
  }
  return 0;
}
