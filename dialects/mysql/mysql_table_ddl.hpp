// SPDX-License-Identifier: MIT
// CREATE TABLE, ALTER TABLE, CREATE INDEX and DROP INDEX in PostgreSQL's DDL, rewritten for MySQL
// by editing the statement's text where MySQL differs: column types (enum types, TIMESTAMPTZ,
// serial), identity, unnamed constraints (given PostgreSQL's default names, inline ones moved to
// the table), ALTER COLUMN ... SET/DROP NOT NULL and TYPE (a MODIFY COLUMN restating the column as
// the catalog holds it), '...'::text casts, DROP INDEX's table.
#pragma once

#include "mysql_catalog.hpp"
#include "mysql_pg_text.hpp"

#include <cstdint>

namespace runner::mysql {

void create_table(std::string_view sql, const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);
void alter_table(std::string_view sql, const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);
void create_index(std::string_view sql, const Json& stmt, const sdk::Sink& out, std::uint32_t line);
void drop_index(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);

}  // namespace runner::mysql
