// SPDX-License-Identifier: MIT
// What differs between two schemas read by the same dialect: the one the migration files build
// (expected) and another (the live database, a migration's snapshot, a desired schema). Objects
// are matched by kind, table and name; what is not schema (create statements, dependencies) is
// not compared, and definitions compare with runs of blanks as one.
#pragma once

#include "runner/schema/schema_model.hpp"

#include <string>
#include <vector>

namespace runner {

struct SchemaDifference {
  enum class Kind { missing, extra, differs };
  Kind kind = Kind::differs;
  std::string object;  // kind of the object: table, column, index...
  std::string name;
  std::string table;  // for what belongs to a table
  // For `differs`: each field that differs, "type: bigint expected, integer found".
  std::vector<std::string> details;
  // "table tasks: column priority missing", "index runs_task_id_idx: extra".
  std::string text() const;
};

// Differences in a stable order (kind of object, table, name). Objects of a table missing (or
// extra) as a whole are not listed again one by one.
std::vector<SchemaDifference> compare_schemas(const Schema& expected, const Schema& found);

// compare_schemas of each pair (expected[i], found[i]); with several, each difference is named with
// its schema ("table api.accounts: column name extra"). REQUIRES: the three of one size.
std::vector<SchemaDifference> compare_schema_lists(const std::vector<Schema>& expected,
                                                   const std::vector<Schema>& found,
                                                   const std::vector<std::string>& names);

const char* difference_kind_name(SchemaDifference::Kind kind);

// The described fields (type, default, definition...) whose values differ between two versions of
// one object, compared as compare_schemas compares them.
std::vector<std::string> differing_fields(const SchemaObject& a, const SchemaObject& b);

}  // namespace runner
