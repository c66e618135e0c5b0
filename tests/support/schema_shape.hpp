// SPDX-License-Identifier: MIT
// A schema as a DBA compares two databases' schemas: tables; each column's nullability, default
// and (for enums) accepted values; constraint names; primary, unique and foreign keys; plain
// indexes. CHECK constraints are compared by name (the two catalogs write their expressions
// differently); enum CHECKs by the values they accept. Read from SQLite's or PostgreSQL's own catalog and written in
// one normalized text, so the same migrations on both databases can be compared line by line. Column types are left
// out: the two databases name them differently by design. Tables named runner_* are the runner's own.
#pragma once

#include <map>
#include <string>

namespace runner::test {

class DatabaseProbe;

// Table name -> its description, one fact per line, sorted.
using SchemaShape = std::map<std::string, std::string>;

SchemaShape sqlite_schema_shape(DatabaseProbe& probe);
SchemaShape postgresql_schema_shape(DatabaseProbe& probe, const std::string& schema);
// MySQL's information_schema for `database`: its PRIMARY key counts as TABLE_pkey (PostgreSQL's
// name), a unique key's name is a line "unique-name NAME" (MySQL cannot tell a unique constraint from
// a unique index: see same_unique_names), a boolean's 0/1 default as false/true, and the index InnoDB keeps under a
// foreign key (named after it) is left out, as PostgreSQL has none.
SchemaShape mysql_schema_shape(DatabaseProbe& probe, const std::string& database);

// `other` (a table's description from SQLite or PostgreSQL) and `mysql` (MySQL's) made comparable: each
// "unique-name N" of MySQL's goes, and with it the "constraint N" of the other side, if any.
void same_unique_names(std::string& other, std::string& mysql);

// A default as written by either catalog, normalized: casts (::text) dropped, lower case outside
// quotes, now() as current_timestamp, a sequence's nextval() as "" (the key numbers itself).
std::string normalize_default(const std::string& expression);

}  // namespace runner::test
