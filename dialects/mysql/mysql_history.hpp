// SPDX-License-Identifier: MIT
// The SQL of runner's own work on MySQL: runner_history, runner_meta and runner_progress in the
// target database, the run lock (GET_LOCK, named after the database), offline scripts.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string>
#include <string_view>

namespace runner::mysql {

// The runner_sql fields for `schema` (the database; "": the connection's).
void runner_sql(std::string_view schema, const sdk::Sink& sink);

// The run lock's name as SQL: 'runner.DB' (at most 64 characters, as GET_LOCK takes).
std::string lock_name_sql(std::string_view schema);

}  // namespace runner::mysql
