// SPDX-License-Identifier: MIT
// What a sqlite: URL names, and how the host connects to it and locks it.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <cstdint>
#include <string_view>

namespace runner::sqlite {

// Accepts sqlite:PATH, sqlite://PATH, sqlite:///ABSOLUTE and sqlite::memory:. A relative PATH is
// relative to base_dir when that is not empty.
void describe_database(std::string_view url, std::string_view base_dir, std::uint32_t lock_timeout_s,
                       const sdk::Sink& out);

}  // namespace runner::sqlite
