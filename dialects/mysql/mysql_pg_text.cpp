// SPDX-License-Identifier: MIT
#include "mysql_pg_text.hpp"

#include <pg_query.h>

#include <algorithm>

namespace runner::mysql {

std::optional<Json> parse_pg(std::string_view sql) {
  const std::string text(sql);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  std::optional<Json> out;
  if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
    Json tree = Json::parse(parsed.parse_tree, nullptr, false);
    const Json& stmts = tree.is_object() && tree.contains("stmts") ? tree["stmts"] : Json();
    if (stmts.is_array() && stmts.size() == 1 && stmts[0].contains("stmt")) out = stmts[0]["stmt"];
  }
  pg_query_free_parse_result(parsed);
  return out;
}

std::string node_type(const Json& node) {
  return node.is_object() && !node.empty() ? node.begin().key() : std::string();
}

const Json& node_body(const Json& node) {
  static const Json k_null;
  return node.is_object() && !node.empty() ? node.begin().value() : k_null;
}

const Json& member(const Json& body, const char* key) {
  static const Json k_null;
  if (!body.is_object()) return k_null;
  const auto it = body.find(key);
  return it == body.end() ? k_null : *it;
}

std::vector<std::string> names_of(const Json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list)
    if (node_type(item) == "String") out.push_back(node_body(item).value("sval", ""));
  return out;
}

std::vector<Token> tokens_of(std::string_view sql) {
  std::vector<std::size_t> offsets;
  const auto scanned = sdk::detail::scan(sql, &offsets);
  std::vector<Token> out;
  out.reserve(scanned.size());
  for (std::size_t i = 0; i < scanned.size(); ++i) {
    Token t;
    t.text = scanned[i].text;
    t.from = offsets[i];
    t.to = offsets[i] + scanned[i].text.size();
    t.word = scanned[i].keyword || scanned[i].kind == PG_QUERY__TOKEN__IDENT;
    if (t.word && !t.text.empty() && t.text.front() != '"') {
      t.upper = std::string(t.text);
      for (char& c : t.upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
    out.push_back(t);
  }
  return out;
}

std::size_t token_at(const std::vector<Token>& t, std::size_t offset) {
  std::size_t i = 0;
  while (i < t.size() && t[i].from < offset) ++i;
  return i;
}

std::size_t closing(const std::vector<Token>& t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i].text == "(") ++depth;
    if (t[i].text == ")" && --depth == 0) return i;
  }
  return t.size();
}

std::string apply_edits(std::string_view sql, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.from > b.from; });
  std::string out(sql);
  for (const auto& e : edits) out.replace(e.from, e.to - e.from, e.text);
  return out;
}

}  // namespace runner::mysql
