// SPDX-License-Identifier: MIT
// The runner's version, from the build (CMake's project version).
#pragma once

namespace runner {

const char* version();

}  // namespace runner
