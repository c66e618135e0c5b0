// SPDX-License-Identifier: MIT
// The dialect's splitter, through the host's loader as `runner` loads it: any bytes either split or
// are refused with a SourceError (file, line), never a crash, a hang or a sanitizer report. The
// first byte chooses -- runner:as-written (the second splitter, where a dialect has one).
#include "plugins/loader/dialect_loader.hpp"
#include "runner/base/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static runner::DialectLoader loader({RUNNER_FUZZ_DIALECT_DIR});
  static const runner::Dialect& dialect = loader.load(RUNNER_FUZZ_DIALECT);
  if (size == 0) return 0;
  const bool as_written = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    for (const auto& st : dialect.split(text, "fuzz.sql", as_written))
      if (st.line == 0) __builtin_trap();  // every statement names its line
  } catch (const runner::SourceError&) {
  }
  return 0;
}
