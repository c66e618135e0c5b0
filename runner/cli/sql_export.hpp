// SPDX-License-Identifier: MIT
// upgrade/downgrade --sql: the offline script, for one database or every project.
#pragma once

#include "runner/core/migration.hpp"

namespace runner::cli {

class Context;

// Prints (or writes with -o) the script for `direction` from the command's [FROM:]TO argument.
// Connects to nothing unless FROM is left to the database's current version. Returns the exit code.
int export_sql(Context& ctx, Direction direction);

}  // namespace runner::cli
