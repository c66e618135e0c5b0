// SPDX-License-Identifier: MIT
// What runner diff and runner new --to share: the comparison the command line asked for, and what
// is to be said about the statements it generated.
#pragma once

#include "runner/engine/schema_diff.hpp"

#include <string>
#include <vector>

namespace runner::cli {

class Context;

// diff_schemas with the command line's --to, --from-db, --shadow-url and database. for_new: the
// statements become the next migration (a database --from-db reads must be at head).
SchemaDiffResult run_diff(Context& ctx, bool for_new = false);

// What the generated statements leave to the user: what was not generated, what a shadow showed
// they do not reach. `file`: the --to file, as messages name it.
std::vector<std::string> diff_warnings(const SchemaDiffResult& result, const std::string& file);

}  // namespace runner::cli
