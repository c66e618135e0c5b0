// SPDX-License-Identifier: MIT
// What one MySQL statement does, read from its words: to the transaction (control, an implicit
// commit), to the session (USE, SET), and what of it is refused when the run is planned.
#pragma once

#include <cstdint>
#include <string_view>

namespace runner::mysql {

// RUNNER_STMT_TX_* for transaction control, RUNNER_STMT_IMPLICIT_COMMIT for a statement MySQL commits
// around (DDL, GRANT, replication; CALL and EXECUTE, which may run DDL runner cannot see; SET
// STATEMENT ... FOR as the statement after FOR), RUNNER_STMT_SESSION for USE and a session SET.
std::uint32_t classify(std::string_view statement);

// Refuses (sdk::Failure naming the line) what would stop runner recording a migration as it runs:
// LOCK TABLES (no other table may be used while tables are locked), FLUSH TABLES ... WITH READ LOCK
// and SET autocommit.
void refuse_unrecordable(std::string_view statement, std::uint32_t line);

// Refuses PostgreSQL's DDL that MySQL would refuse half-way through a run (or read otherwise) in a
// statement the dialect does not translate, naming what to write instead.
void refuse_postgresql_only(std::string_view body, std::uint32_t line);

}  // namespace runner::mysql
