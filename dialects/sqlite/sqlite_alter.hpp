// SPDX-License-Identifier: MIT
// ALTER TABLE on SQLite: what SQLite does natively stays native (ADD COLUMN it accepts, RENAME);
// the rest (constraints, NOT NULL, defaults, types, most DROP COLUMNs) becomes a table rebuild.
// Before any row moves, the rows are checked against the new rules, so that a change that would
// lose or reject data fails naming the table, the constraint and how many rows break it.
#pragma once

#include "pg_tree.hpp"
#include "plugins/sdk/dialect_sdk.hpp"
#include "sqlite_catalog.hpp"

#include <cstdint>

namespace runner::sqlite {

// Plan time: throws Untranslatable for a subcommand SQLite cannot be given.
void check_alter_table(const Json& alter_table_stmt);

// Whether the statement is one SQLite's own ALTER TABLE takes (a single ADD COLUMN or DROP
// COLUMN): on a table written for SQLite, it then runs as written, and SQLite judges it.
bool sqlite_alter_form(const Json& alter_table_stmt);

// An AlterTableStmt body against the live database.
void translate_alter_table(const Json& alter_table_stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);

// ALTER TABLE t RENAME CONSTRAINT a TO b (a RenameStmt body).
void translate_rename_constraint(const Json& rename_stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line);

struct Rebuild;

// Counts the rows of `table` that `constraint` rejects; throws sdk::Failure naming both when any.
// A rule the rebuild's copy does not enforce by itself is added to `rebuild`'s guards.
void check_rows(const Catalog& db, const Table& table, const Constraint& constraint, std::uint32_t line,
                Rebuild* rebuild = nullptr);

}  // namespace runner::sqlite
