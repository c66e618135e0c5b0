// SPDX-License-Identifier: MIT
// The postgresql dialect's runner_driver (postgresql_driver.cpp).
#pragma once

#include "plugins/dialect_abi.h"

namespace runner::postgresql {

const runner_driver* driver();

}  // namespace runner::postgresql
