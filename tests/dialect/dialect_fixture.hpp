// SPDX-License-Identifier: MIT
// Loads the built plugins through the host's loader, as the runner does.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/loader/dialect_loader.hpp"
#include "tests/support/test_support.hpp"

#include <string>
#include <vector>

namespace runner::test {

inline const Dialect& load_dialect(const std::string& name) {
  static DialectLoader loader({dialect_dir()});
  return loader.load(name);
}

inline std::vector<std::string> texts(const std::vector<SplitStatement>& statements) {
  std::vector<std::string> out;
  for (const auto& s : statements) out.push_back(s.sql);
  return out;
}

inline std::vector<std::uint32_t> lines(const std::vector<SplitStatement>& statements) {
  std::vector<std::uint32_t> out;
  for (const auto& s : statements) out.push_back(s.line);
  return out;
}

}  // namespace runner::test
