// SPDX-License-Identifier: MIT
// PostgreSQL's enum types on MySQL, which has none: a type's labels are kept in runner_enums in the
// database, a column of the type is ENUM(labels), and changing the labels restates every column
// whose type is that ENUM(...) with MODIFY COLUMN. Two enum types with the same labels in the same
// order are one type on MySQL: ADD VALUE on one changes the columns of both.
#pragma once

#include "mysql_catalog.hpp"
#include "mysql_pg_text.hpp"

#include <cstdint>

namespace runner::mysql {

// CREATE TYPE name AS ENUM (...) (a CreateEnumStmt body).
void create_enum(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);
// ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE|AFTER 'w'] (an AlterEnumStmt body).
void add_enum_value(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);
// ALTER TYPE name DROP VALUE 'v' (runner's own statement, for the down of ADD VALUE).
void drop_enum_value(const sdk::DropEnumValue& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);
// DROP TYPE [IF EXISTS] name, ... (a DropStmt body of OBJECT_TYPE).
void drop_type(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);

// A column type's enum labels when `name` is an enum type runner keeps; nullopt otherwise. Throws
// when no database is at hand to tell (offline).
std::optional<std::vector<std::string>> enum_of(const std::string& name, const Catalog& db, std::uint32_t line);

}  // namespace runner::mysql
