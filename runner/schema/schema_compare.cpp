// SPDX-License-Identifier: MIT
#include "runner/schema/schema_compare.hpp"

#include "plugins/sdk/sql_text.hpp"
#include "runner/core/checksum.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace runner {
namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // kind, table, name

Key key_of(const SchemaObject& o) { return {o.kind, o.table, o.name}; }

bool compared(const std::string& field) { return field != "depends"; }

// The described fields, each key's values joined in order (labels keep their order).
std::map<std::string, std::string> described(const SchemaObject& o) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : o.fields) {
    if (!compared(k)) continue;
    std::string& slot = out[k];
    slot += (slot.empty() ? "" : ", ") + sdk::collapse_blanks(v);
  }
  return out;
}

std::string shown(const std::string& value) { return value.empty() ? "(none)" : value; }

// A flag's value in words.
std::string shown(const std::string& field, const std::string& value) {
  if (field == "not_null") return value == "1" ? "NOT NULL" : "NULL";
  if (field == "validated") return value == "0" ? "NOT VALID" : "valid";
  if (field == "unlogged") return value == "1" ? "UNLOGGED" : "logged";
  if (field == "unique") return value == "1" ? "unique" : "not unique";
  if (field == "materialized") return value == "1" ? "materialized" : "not materialized";
  if (field == "enabled") return value.empty() ? "ENABLE" : value;
  return shown(value);
}

constexpr std::size_t k_shown_in_full = 160;

std::string fingerprint(const std::string& text) {
  return text.empty() ? std::string("(none)") : sha256_hex(text).substr(0, 12);
}

}  // namespace

std::vector<std::string> differing_fields(const SchemaObject& a, const SchemaObject& b) {
  const auto x = described(a), y = described(b);
  std::set<std::string> keys;
  for (const auto& [f, v] : x) keys.insert(f);
  for (const auto& [f, v] : y) keys.insert(f);
  std::vector<std::string> out;
  for (const auto& f : keys) {
    const auto i = x.find(f), j = y.find(f);
    if ((i == x.end() ? "" : i->second) != (j == y.end() ? "" : j->second)) out.push_back(f);
  }
  return out;
}

std::vector<SchemaDifference> compare_schema_lists(const std::vector<Schema>& expected,
                                                   const std::vector<Schema>& found,
                                                   const std::vector<std::string>& names) {
  std::vector<SchemaDifference> out;
  for (std::size_t i = 0; i < expected.size(); ++i)
    for (auto& d : compare_schemas(expected[i], found[i])) {
      if (names.size() > 1) {
        if (d.object != "schema" && (d.table.empty() || d.object == "index" || d.object == "trigger"))
          d.name = names[i] + "." + d.name;
        if (!d.table.empty()) d.table = names[i] + "." + d.table;
      }
      out.push_back(std::move(d));
    }
  return out;
}

const char* difference_kind_name(SchemaDifference::Kind kind) {
  switch (kind) {
    case SchemaDifference::Kind::missing: return "missing";
    case SchemaDifference::Kind::extra: return "extra";
    case SchemaDifference::Kind::differs: return "differs";
  }
  return "differs";
}

std::string SchemaDifference::text() const {
  std::string what = object + " " + name;
  std::string out =
      table.empty() || object == "index" || object == "trigger" ? what + ":" : "table " + table + ": " + what;
  out += std::string(" ") + difference_kind_name(kind);
  if (!details.empty()) {
    out += " (";
    for (std::size_t i = 0; i < details.size(); ++i) out += (i == 0 ? "" : "; ") + details[i];
    out += ")";
  }
  return out;
}

std::vector<SchemaDifference> compare_schemas(const Schema& expected, const Schema& found) {
  std::map<Key, const SchemaObject*> want, have;
  for (const auto& o : expected.objects) want.emplace(key_of(o), &o);
  for (const auto& o : found.objects) have.emplace(key_of(o), &o);
  // Tables missing or extra as a whole: what belongs to them is not listed again.
  std::set<std::string> whole_missing, whole_extra;
  for (const auto& [k, o] : want)
    if (o->kind == "table" && !have.count(k)) whole_missing.insert(o->name);
  for (const auto& [k, o] : have)
    if (o->kind == "table" && !want.count(k)) whole_extra.insert(o->name);

  std::vector<SchemaDifference> out;
  // A schema that exists on one side only is one difference, not one per object.
  if (expected.exists != found.exists) {
    out.push_back({expected.exists ? SchemaDifference::Kind::missing : SchemaDifference::Kind::extra,
                   "schema",
                   expected.exists ? expected.name : found.name,
                   "",
                   {}});
    return out;
  }
  const auto add = [&](SchemaDifference::Kind kind, const SchemaObject& o, std::vector<std::string> details = {}) {
    out.push_back({kind, o.kind, o.name, o.table, std::move(details)});
  };
  for (const auto& [k, o] : want) {
    auto it = have.find(k);
    if (it == have.end()) {
      if (!whole_missing.count(o->table)) add(SchemaDifference::Kind::missing, *o);
      continue;
    }
    const auto a = described(*o), b = described(*it->second);
    std::set<std::string> keys;
    for (const auto& [f, v] : a) keys.insert(f);
    for (const auto& [f, v] : b) keys.insert(f);
    std::vector<std::string> details;
    for (const auto& f : keys) {
      const auto x = a.find(f), y = b.find(f);
      const std::string va = x == a.end() ? "" : x->second, vb = y == b.end() ? "" : y->second;
      if (va == vb) continue;
      // A long body (a function's, a view's, a trigger's) is named by a hash of its text: the two
      // versions are for `runner dump` to show.
      if (f == "definition" && (o->kind == "function" || o->kind == "view" || o->kind == "trigger") &&
          (va.size() > k_shown_in_full || vb.size() > k_shown_in_full))
        details.push_back(f + ": sha256 " + fingerprint(va) + " expected, " + fingerprint(vb) + " found");
      else
        details.push_back(f + ": " + shown(f, va) + " expected, " + shown(f, vb) + " found");
    }
    if (!details.empty()) add(SchemaDifference::Kind::differs, *o, std::move(details));
  }
  for (const auto& [k, o] : have)
    if (!want.count(k) && !whole_extra.count(o->table)) add(SchemaDifference::Kind::extra, *o);

  static const char* const k_order[] = {"extension", "enum",       "sequence", "function", "table",
                                        "column",    "constraint", "index",    "view",     "trigger"};
  const auto rank = [](const std::string& kind) {
    const auto* at = std::find(std::begin(k_order), std::end(k_order), kind);
    return static_cast<int>(at - std::begin(k_order));
  };
  std::stable_sort(out.begin(), out.end(), [&](const SchemaDifference& a, const SchemaDifference& b) {
    return std::make_tuple(a.table.empty() ? a.name : a.table, rank(a.object), a.name) <
           std::make_tuple(b.table.empty() ? b.name : b.table, rank(b.object), b.name);
  });
  return out;
}

}  // namespace runner
