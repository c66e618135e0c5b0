// SPDX-License-Identifier: MIT
// A database's schema as runner compares and dumps it: objects (tables, columns, constraints,
// indexes, enums, views, sequences, functions, triggers, extensions) with what describes each, as
// the dialect read it from its catalog. Nothing here knows a database: the words are the dialect's.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace runner {

struct SchemaObject {
  std::string kind;   // "table", "column", "constraint", "index", "enum", "view", ...
  std::string name;   // a function's with its argument types
  std::string table;  // for what belongs to a table (column, constraint, index, trigger); else ""
  // What describes it, in the dialect's order: type, not_null, default, definition, label...
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> create;  // the statements creating it alone, in the database's own SQL
  std::vector<std::string> after;   // statements that need every table first (a foreign key)

  // The first value of `key` ("" when none), and all of them in order.
  std::string value(const std::string& key) const;
  std::vector<std::string> values(const std::string& key) const;
  // "table tasks", "column tasks.priority": how messages name it.
  std::string label() const;
};

// One schema of a database (the whole database where it has none, as SQLite).
struct Schema {
  std::string name;                   // "" where the database has no schemas
  bool exists = true;                 // false: no such schema (then no objects)
  std::vector<std::string> create;    // CREATE SCHEMA, for a dump of several
  std::vector<std::string> use;       // makes it where unqualified names go, for a dump of several
  std::vector<SchemaObject> objects;  // in the dialect's order
};

}  // namespace runner
