// SPDX-License-Identifier: MIT
#include "pg_tree.hpp"

#include <pg_query.h>

#include <mutex>
#include <unordered_map>

namespace runner::sqlite {

namespace {

// Bounded: a run of a thousand new migrations, whose statements are all distinct, keeps about
// 2 MB of trees more at its peak (1024 entries: 7 MB, for no gain over a fleet's files); when
// full, the memo starts again. Long statements (seed data) are never kept.
constexpr std::size_t k_memo_entries = 256;
constexpr std::size_t k_memo_longest = 16 * 1024;

std::shared_ptr<const Json> parse_uncached(const std::string& text) {
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  std::shared_ptr<const Json> node;
  if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
    Json tree = Json::parse(parsed.parse_tree, nullptr, false);
    if (tree.is_object() && tree.contains("stmts") && tree["stmts"].size() == 1)
      node = std::make_shared<const Json>(std::move(tree["stmts"][0]["stmt"]));
  }
  pg_query_free_parse_result(parsed);
  return node;
}

struct Memo {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<const Json>> trees;
};

Memo& memo() {
  static Memo m;
  return m;
}

}  // namespace

std::shared_ptr<const Json> parse_statement(std::string_view sql) {
  std::string text(sql);
  if (text.size() > k_memo_longest) return parse_uncached(text);
  Memo& m = memo();
  {
    std::lock_guard<std::mutex> lock(m.mutex);
    if (auto it = m.trees.find(text); it != m.trees.end()) return it->second;
  }
  std::shared_ptr<const Json> node = parse_uncached(text);
  std::lock_guard<std::mutex> lock(m.mutex);
  if (m.trees.size() >= k_memo_entries) m.trees.clear();
  m.trees.emplace(std::move(text), node);
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
