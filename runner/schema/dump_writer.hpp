// SPDX-License-Identifier: MIT
// A schema written out as the SQL that recreates it (runner dump, upgrade --dump-schema): each
// object's own statements in a stable order, so that the same schema always gives the same text
// and a diff of two dumps shows what changed. Order: extensions, enums, sequences, functions,
// tables, views, indexes, triggers, then what needs every table (foreign keys); by name within
// each kind, except that a table or view comes after those it depends on.
#pragma once

#include "runner/schema/schema_model.hpp"

#include <string>
#include <vector>

namespace runner {

// dialect: named in the header line. One schema is written without its name, so that it loads into
// any (a project's); several are each created and entered (Schema::create, use) before their objects.
std::string write_dump(const std::vector<Schema>& schemas, const std::string& dialect);

}  // namespace runner
