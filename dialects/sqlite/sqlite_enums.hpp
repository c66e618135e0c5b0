// SPDX-License-Identifier: MIT
// Enum types on SQLite. A type lives in the runner_enum_values catalog table of the database; a
// column of the type is TEXT with a CHECK named runner_enum_<type> listing the labels. Changing
// the labels rewrites that CHECK in every table using the type (a table rebuild).
#pragma once

#include "pg_tree.hpp"
#include "plugins/sdk/dialect_sdk.hpp"
#include "plugins/sdk/pg_scan.hpp"
#include "sqlite_catalog.hpp"

#include <cstdint>

namespace runner::sqlite {

// CREATE TYPE name AS ENUM (...) (a CreateEnumStmt body).
void translate_create_enum(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);
// ALTER TYPE name ADD VALUE / RENAME VALUE (an AlterEnumStmt body).
void translate_alter_enum(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);
// ALTER TYPE name DROP VALUE 'label'.
void translate_drop_enum_value(const sdk::DropEnumValue& stmt, const Catalog& db, const sdk::Sink& out,
                               std::uint32_t line);
// DROP TYPE (a DropStmt body with removeType OBJECT_TYPE).
void translate_drop_type(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);

}  // namespace runner::sqlite
