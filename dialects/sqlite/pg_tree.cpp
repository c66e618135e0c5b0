// SPDX-License-Identifier: MIT
#include "pg_tree.hpp"

#include <pg_query.h>

namespace runner::sqlite {

std::optional<Json> parse_statement(std::string_view sql) {
  std::string text(sql);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  std::optional<Json> node;
  if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
    Json tree = Json::parse(parsed.parse_tree, nullptr, false);
    if (tree.is_object() && tree.contains("stmts") && tree["stmts"].size() == 1)
      node = std::move(tree["stmts"][0]["stmt"]);
  }
  pg_query_free_parse_result(parsed);
  return node;
}

const Json& member(const Json& body, const char* key) {
  static const Json k_empty = Json::object();
  if (!body.is_object()) return k_empty;
  auto it = body.find(key);
  return it == body.end() ? k_empty : *it;
}

const Json& node_at(const Json& body, const char* key) {
  static const Json k_null;
  if (!body.is_object()) return k_null;
  auto it = body.find(key);
  return it == body.end() ? k_null : *it;
}

std::string node_type(const Json& node) {
  return node.is_object() && node.size() == 1 ? node.begin().key() : std::string();
}

const Json& node_body(const Json& node) {
  static const Json k_null;
  return node.is_object() && node.size() == 1 ? node.begin().value() : k_null;
}

std::vector<std::string> string_list(const Json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list)
    if (node_type(item) == "String") out.push_back(node_body(item).value("sval", ""));
  return out;
}

std::string last_name(const Json& list) {
  auto names = string_list(list);
  return names.empty() ? std::string() : names.back();
}

std::string str(const Json& body, const char* key) {
  if (!body.is_object()) return {};
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace runner::sqlite
