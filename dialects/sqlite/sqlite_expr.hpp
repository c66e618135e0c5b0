// SPDX-License-Identifier: MIT
// PostgreSQL expressions and type names (parse-tree nodes) written out as SQLite SQL: defaults,
// CHECK and USING expressions, index keys. What SQLite cannot express throws Untranslatable.
#pragma once

#include "pg_tree.hpp"

#include <set>
#include <stdexcept>
#include <string>

namespace runner::sqlite {

// A construct of the portable DDL that SQLite has no equivalent for; what() names it.
class Untranslatable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The expression as SQLite SQL. Throws Untranslatable.
std::string render_expr(const Json& node);

// Whether the expression is a constant SQLite accepts as an ALTER TABLE ADD COLUMN default.
bool is_constant(const Json& node);

// The names of the columns `node` refers to.
void column_refs(const Json& node, std::set<std::string>& out);

// PostgreSQL's name of a type ("int4", "varchar", "timestamptz", or a user type's own name).
std::string type_key(const Json& type_name);

// The declared type SQLite is given for a PostgreSQL type name. Throws Untranslatable for arrays.
std::string render_type(const Json& type_name);

// The SQLite type affinity of a declared type (the rules of SQLite's datatype3.html, 3.1):
// "INTEGER", "TEXT", "BLOB", "REAL" or "NUMERIC".
std::string affinity(const std::string& declared_type);

// Double-quoted identifier / single-quoted literal.
std::string quote_name(const std::string& name);
std::string quote_text(const std::string& value);

}  // namespace runner::sqlite
