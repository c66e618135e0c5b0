// SPDX-License-Identifier: MIT
// The file-name grammar: NNNN[_name].(up|down)[.dialect].sql, golang-migrate's layout.
#pragma once

#include "runner/core/migration.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace runner {

struct MigrationFileName {
  std::uint64_t version = 0;
  std::string version_text;
  std::string name;
  Direction direction = Direction::up;
  std::string dialect;  // "" for the plain file, else the variant's dialect ("postgresql")
};

// Parses a file name ending in ".sql". Returns false and sets *why when it does not fit.
bool parse_migration_file_name(std::string_view file_name, MigrationFileName* out, std::string* why);

// True when `name` may stand between the version's '_' and ".up"/".down".
bool valid_migration_name(std::string_view name);

}  // namespace runner
