// SPDX-License-Identifier: MIT
// The runner_driver of the mysql dialect.
#pragma once

#include "plugins/dialect_abi.h"

namespace runner::mysql {

const runner_driver* driver();

}  // namespace runner::mysql
