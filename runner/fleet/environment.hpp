// SPDX-License-Identifier: MIT
// How the fleet's pieces read environment variables: through a lookup the caller gives (the
// command line's settings read the real environment; tests give their own).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace runner {

// What environment variable `name` holds; nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

}  // namespace runner
