// SPDX-License-Identifier: MIT
// The sqlite dialect's runner_driver (sqlite_driver.cpp).
#pragma once

#include "plugins/dialect_abi.h"

namespace runner::sqlite {

const runner_driver* driver();

}  // namespace runner::sqlite
