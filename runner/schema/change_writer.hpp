// SPDX-License-Identifier: MIT
// The statements that take one schema to another (runner diff, new --to), written in runner's
// portable DDL, which is PostgreSQL's: the sqlite dialect translates it like any migration, so one
// generated pair runs on both databases. Both schemas come from the same dialect's catalog.
//
// Generated: enums (create, add a value in its place, drop a value, drop), sequences (create,
// drop), tables (create, drop), columns (add, drop, type, default, nullability), keys, checks and
// foreign keys as named constraints, indexes, views. Renames are never guessed: a column dropped
// and one added with the same type get a comment suggesting RENAME. What is not generated
// (functions, triggers, a changed sequence or extension, identity and generated columns that
// change, enum labels reordered) is listed in a comment by name, never skipped in silence.
#pragma once

#include "runner/schema/schema_model.hpp"

#include <string>
#include <vector>

namespace runner {

struct ChangeScript {
  // Each statement with the comment lines that go above it ("-- destructive: ...").
  std::vector<std::string> statements;
  std::vector<std::string> not_generated;  // "function touch() differs", for the file's header
  bool destructive = false;                // drops a table or column, or an enum label
  bool needs_no_transaction = false;       // ALTER TYPE ... ADD VALUE, used by a later statement
  bool empty() const { return statements.empty() && not_generated.empty(); }
};

// The statements that make `from` into `to`.
ChangeScript write_changes(const Schema& from, const Schema& to);

// A migration file's text: `header` comment lines, the directive the script needs, then each
// statement ending in ";".
std::string change_file_text(const ChangeScript& script, const std::vector<std::string>& header);

// `name` as a PostgreSQL identifier: bare when lower-case and not reserved, else double-quoted.
std::string sql_identifier(const std::string& name);

}  // namespace runner
