// SPDX-License-Identifier: MIT
// Reading a statement written in PostgreSQL's DDL for its translation to MySQL: the parse tree
// (libpg_query's JSON) says what is where, PostgreSQL's scanner gives each token's offset, and the
// translation is a list of edits of the text, so that everything it does not change (expressions,
// names, spacing, comments) reaches MySQL as written.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"
#include "plugins/sdk/pg_scan.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runner::mysql {

using Json = nlohmann::json;

// The one statement node of `sql` ({"CreateStmt": {...}}), or nullopt when PostgreSQL's grammar
// rejects it (a statement in MySQL's own SQL) or it holds several.
std::optional<Json> parse_pg(std::string_view sql);

// The node's type ("CreateStmt") and body.
std::string node_type(const Json& node);
const Json& node_body(const Json& node);
// body[key], or null when absent (a const json's operator[] must not be used on a missing key).
const Json& member(const Json& body, const char* key);
// The sval of each {"String": ...} of a list.
std::vector<std::string> names_of(const Json& list);

struct Token {
  std::string_view text;
  std::size_t from = 0, to = 0;  // byte offsets in the statement
  bool word = false;             // an identifier or a keyword
  std::string upper;             // the word upper-cased ("" for anything else)
};

// The statement's tokens, comments left out.
std::vector<Token> tokens_of(std::string_view sql);
// The index of the first token starting at or after `offset`.
std::size_t token_at(const std::vector<Token>& t, std::size_t offset);
// The index of the ')' closing the '(' at `open`, or t.size().
std::size_t closing(const std::vector<Token>& t, std::size_t open);

struct Edit {
  std::size_t from, to;  // the bytes replaced
  std::string text;
};
// `sql` with the edits made (they must not overlap).
std::string apply_edits(std::string_view sql, std::vector<Edit> edits);

}  // namespace runner::mysql
