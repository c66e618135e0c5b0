// SPDX-License-Identifier: MIT
// A table as the sqlite dialect models it: read from a CREATE TABLE parse tree (a migration's, or
// the SQL SQLite stored for a table the dialect wrote), changed by ALTER TABLE, and written back
// as SQLite DDL that PostgreSQL's parser can read again. Unnamed constraints get PostgreSQL's
// default names, so a down migration written for PostgreSQL names the same constraint here.
#pragma once

#include "pg_tree.hpp"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace runner::sqlite {

// The CHECK that makes a TEXT column an enum is named k_enum_prefix + the type's name.
constexpr const char* k_enum_prefix = "runner_enum_";

struct Column {
  std::string name;
  std::string type;  // declared type, as SQLite gets it
  bool not_null = false;
  std::string default_sql;       // rendered; "" for none
  bool default_constant = true;  // SQLite's ADD COLUMN accepts only constant defaults
  std::string enum_type;         // the enum type it holds; "" for none
  std::vector<std::string> enum_values;
  bool generated_key = false;  // serial / identity: must become INTEGER PRIMARY KEY
};

struct Constraint {
  enum class Kind { primary, unique, check, foreign };
  Kind kind = Kind::check;
  std::string name;
  std::vector<std::string> columns;      // key columns (primary, unique, foreign)
  std::string check_sql;                 // check
  std::set<std::string> check_refs;      // columns the check reads
  std::string ref_table;                 // foreign
  std::vector<std::string> ref_columns;  // empty: the referenced table's primary key
  std::string on_delete, on_update;      // "CASCADE", "SET NULL", ...; "" for NO ACTION
  std::string deferral;                  // "DEFERRABLE INITIALLY DEFERRED" or ""
};

struct Table {
  std::string name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<Column> columns;
  std::vector<Constraint> constraints;

  Column* column(const std::string& name);
  const Column* column(const std::string& name) const;
  std::vector<Constraint>::iterator constraint(const std::string& name);
  bool has_constraint(const std::string& name) const;
  const Constraint* primary_key() const;
};

// The values of enum type `name`, or nullopt when it is not an enum.
using EnumLookup = std::function<std::optional<std::vector<std::string>>(const std::string& name)>;

// Reads a CreateStmt body. Throws Untranslatable for what SQLite cannot hold (inheritance,
// partitions, arrays, exclusion constraints, generated columns, serial outside a primary key...).
Table table_from_create(const Json& create_stmt, const EnumLookup& enums);

// Adds a column (a ColumnDef body), with its inline constraints. Throws Untranslatable.
void add_column(Table& table, const Json& column_def, const EnumLookup& enums);

// PostgreSQL's own types (a TypeName node), which no CREATE TYPE can shadow here: the parser
// qualifies most of them with pg_catalog, the rest are named bare. The enum catalog is not asked
// about them: that would cost a query per column.
bool builtin_type(const Json& type_name);

// Adds a table constraint (a Constraint body), naming it as PostgreSQL would when unnamed.
// Throws Untranslatable for kinds SQLite lacks (EXCLUDE) and for NOT VALID.
void add_constraint(Table& table, const Json& constraint);

// PostgreSQL's default name for a constraint of `table` on `columns` ("t_a_b_key"), made unique
// among the table's constraints with a number as PostgreSQL does.
std::string default_constraint_name(const Table& table, const std::vector<std::string>& columns,
                                    const std::string& suffix);

// CREATE TABLE for `table`, named `as_name` (the rebuild creates it under a temporary name).
std::string render_create(const Table& table, const std::string& as_name);

// A column definition for ALTER TABLE ... ADD COLUMN, with its enum CHECK.
std::string render_column(const Column& column);

// A constraint as a table element ("CONSTRAINT n CHECK (...)").
std::string render_constraint(const Constraint& c);

// The enum CHECK of a column.
std::string enum_check(const Column& column);

}  // namespace runner::sqlite
