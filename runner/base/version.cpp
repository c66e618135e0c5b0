// SPDX-License-Identifier: MIT
#include "runner/base/version.hpp"

namespace runner {

const char* version() { return RUNNER_VERSION; }

}  // namespace runner
