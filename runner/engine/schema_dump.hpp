// SPDX-License-Identifier: MIT
// runner dump and upgrade --dump-schema: a database's schema read from its catalog and written as
// the SQL that recreates it (runner/schema/dump_writer).
#pragma once

#include "plugins/loader/dialect.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace runner {

// The dump of the database `target` names. Reads only: no lock, nothing created. Throws
// UsageError when there is no such database (a SQLite file that does not exist, a schema that
// does not), DatabaseError when it cannot be read.
// schemas: those to dump, in order (empty: the one runner_history is in).
std::string dump_database(const Dialect& dialect, const DatabaseInfo& target, std::chrono::seconds lock_timeout,
                          const std::vector<std::string>& schemas = {});

// Refuses (UsageError) a file write_dump_file cannot create: its folder is missing, or it is a
// folder. Said before a run, so that the run is not followed by a failed dump.
void check_dump_target(const std::filesystem::path& file);

// Replaces `file` with `text` whole: written beside it, then renamed over it, so that a reader
// never sees half a dump. Throws OutputError naming the file.
void write_dump_file(const std::string& text, const std::filesystem::path& file);

}  // namespace runner
