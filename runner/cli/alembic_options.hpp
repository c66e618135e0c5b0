// SPDX-License-Identifier: MIT
// How import and adopt reach the user's Alembic project: --from, --alembic-config, --alembic,
// --url-env.
#pragma once

#include "runner/import/alembic_import.hpp"

namespace runner::cli {

class Context;

// Throws UsageError when --alembic names no command.
AlembicSource alembic_source(const Context& ctx);

}  // namespace runner::cli
