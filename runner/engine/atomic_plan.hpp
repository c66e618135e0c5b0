// SPDX-License-Identifier: MIT
// --atomic: whether a run's planned migrations can share one transaction with their history rows.
#pragma once

#include "runner/engine/step_source.hpp"

#include <vector>

namespace runner {

class Dialect;
class SqlReader;

// Throws SourceError (exit 2), naming the file and line, for the first migration that cannot run
// inside the run's one transaction: one the dialect runs without a transaction
// (-- runner:no-transaction), one whose own BEGIN sets how its transaction runs, or one with
// statements outside its transaction; and for what the dialect refuses in one transaction across
// files (PostgreSQL: an enum value added by one migration and used by a later one). db: the
// database the run will use, for the dialect's review (null: none).
void check_atomic(const Dialect& dialect, const std::vector<PreparedStep>& steps, SqlReader* db);

}  // namespace runner
