// SPDX-License-Identifier: MIT
// Reading PostgreSQL's parse tree (libpg_query's JSON) for the portable DDL the sqlite dialect
// translates. Node shapes are PostgreSQL's own (src/include/nodes/parsenodes.h).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace runner::sqlite {

using Json = nlohmann::json;

// The one statement node of `sql` ({"CreateStmt": {...}}), or null when PostgreSQL's grammar
// rejects it or it holds more than one statement. The tree is shared and never changes: a
// statement is parsed by the split and again by its translation, and --all-projects reads the
// same files for every project, so recent trees are kept by their text (pg_tree.cpp).
std::shared_ptr<const Json> parse_statement(std::string_view sql);

// body[key] without copying it (Json::value copies the whole subtree), or an empty object when
// absent. The reference lives as long as `body`: never pass a temporary.
const Json& member(const Json& body, const char* key);
// A child node (an expression: arg, expr, raw_expr...) without copying it, or null when absent.
const Json& node_at(const Json& body, const char* key);

// The node's type ("CreateStmt") and body; "" and null for anything else.
std::string node_type(const Json& node);
const Json& node_body(const Json& node);

// String members of a list of {"String": {"sval": ...}} nodes.
std::vector<std::string> string_list(const Json& list);
// The last element of a qualified name list (schema.type -> type).
std::string last_name(const Json& list);

std::string str(const Json& body, const char* key);

}  // namespace runner::sqlite
