// SPDX-License-Identifier: MIT
// The migration file-name grammar: any name is a migration file or a reason it is not.
#include "runner/core/migration_name.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name(reinterpret_cast<const char*>(data), size);
  runner::MigrationFileName parsed;
  std::string why;
  if (!runner::parse_migration_file_name(name, &parsed, &why) && why.empty()) __builtin_trap();
  (void)runner::valid_migration_name(name);
  return 0;
}
