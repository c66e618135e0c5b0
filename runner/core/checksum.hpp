// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace runner {

// Lower-case hex SHA-256 of `data` (OpenSSL).
std::string sha256_hex(std::string_view data);

}  // namespace runner
