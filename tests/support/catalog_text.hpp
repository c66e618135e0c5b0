// SPDX-License-Identifier: MIT
// A database's whole schema as its own catalog states it, one object per line, sorted: for
// comparing two databases of the same kind that should hold the same schema (one built by runner,
// one by the database's own client). Unlike schema_shape.hpp it keeps types, definitions and
// the objects besides tables (views, functions, triggers, enums, sequences, extensions); tables
// named runner_* are left out.
#pragma once

#include <string>
#include <vector>

namespace runner::test {

class DatabaseProbe;

std::vector<std::string> sqlite_catalog(DatabaseProbe& probe);
std::vector<std::string> postgresql_catalog(DatabaseProbe& probe, const std::string& schema);
// MySQL's information_schema for `database`: tables, columns, indexes, foreign keys, checks,
// views, routines and triggers.
std::vector<std::string> mysql_catalog(DatabaseProbe& probe, const std::string& database);

// The lines only one side has, each marked "- " (left) or "+ " (right); empty when equal.
std::string catalog_difference(const std::vector<std::string>& left, const std::vector<std::string>& right);

}  // namespace runner::test
