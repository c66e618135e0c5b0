// SPDX-License-Identifier: MIT
// `runner restore`: a backup --backup wrote put back in place of the database, under the run lock,
// once it is known to be a database runner recognises.
#pragma once

#include "runner/engine/operations.hpp"

#include <string>

namespace runner {

// Checks `file` is a backup of a database runner keeps (its runner_history readable, a layout this
// runner knows), then, unless options.dry_run, replaces the database's content with it. outcome
// .before and .after: the history before and after. Throws UsageError (not such a backup, or the
// dialect cannot restore: the message says how by hand), SafetyError (lock timeout).
Outcome restore_database(const Dialect& dialect, const DatabaseInfo& target, const std::string& file,
                         const RunOptions& options);

}  // namespace runner
