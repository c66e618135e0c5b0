// SPDX-License-Identifier: MIT
#include "runner/schema/dump_writer.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace runner {
namespace {

// What a dump creates first. A kind the host does not know comes last, in the dialect's order.
int rank(const std::string& kind) {
  static const char* const k_order[] = {"preamble", "extension", "enum",  "sequence", "function",
                                        "table",    "view",      "index", "trigger"};
  for (int i = 0; i < static_cast<int>(std::size(k_order)); ++i)
    if (kind == k_order[i]) return i;
  return static_cast<int>(std::size(k_order));
}

// Objects of one kind by name, each after the ones of that kind it depends on (cycles, which the
// database cannot hold, are broken by name order).
std::vector<const SchemaObject*> in_order(std::vector<const SchemaObject*> of_kind) {
  std::stable_sort(of_kind.begin(), of_kind.end(), [](const SchemaObject* a, const SchemaObject* b) {
    return std::tie(a->table, a->name) < std::tie(b->table, b->name);
  });
  std::map<std::string, const SchemaObject*> by_name;
  for (const auto* o : of_kind)
    if (o->table.empty()) by_name.emplace(o->name, o);
  std::vector<const SchemaObject*> out;
  std::set<const SchemaObject*> placed, visiting;
  std::function<void(const SchemaObject*)> place = [&](const SchemaObject* o) {
    if (placed.count(o) || visiting.count(o)) return;
    visiting.insert(o);
    std::vector<std::string> deps = o->values("depends");
    std::sort(deps.begin(), deps.end());
    for (const auto& d : deps) {
      auto it = by_name.find(d);
      if (it != by_name.end()) place(it->second);
    }
    visiting.erase(o);
    placed.insert(o);
    out.push_back(o);
  };
  for (const auto* o : of_kind) place(o);
  return out;
}

std::string statement(const std::string& sql) {
  std::string s = sql;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == ';')) s.pop_back();
  return s + ";\n";
}

}  // namespace

// The objects of one schema in dump order.
std::vector<const SchemaObject*> dump_order(const Schema& schema) {
  std::map<int, std::vector<const SchemaObject*>> kinds;
  for (const auto& o : schema.objects)
    if (!o.create.empty() || !o.after.empty()) kinds[rank(o.kind)].push_back(&o);
  std::vector<const SchemaObject*> all;
  for (auto& [r, objects] : kinds) {
    // Unknown kinds keep the dialect's order.
    for (const auto* o : r < rank("") ? in_order(objects) : objects) all.push_back(o);
  }
  return all;
}

std::string write_dump(const std::vector<Schema>& schemas, const std::string& dialect) {
  const bool several = schemas.size() > 1;
  std::string out = "-- The " + dialect + " schema, as `runner dump` reads it from the catalog.\n";
  std::vector<std::vector<const SchemaObject*>> ordered;
  for (const auto& schema : schemas) {
    ordered.push_back(dump_order(schema));
    if (several) {
      out += "\n-- schema " + schema.name + "\n";
      for (const auto& sql : schema.create) out += statement(sql);
      for (const auto& sql : schema.use) out += statement(sql);
    }
    for (const auto* o : ordered.back()) {
      if (o->create.empty()) continue;
      out += "\n";
      for (const auto& sql : o->create) out += statement(sql);
    }
  }
  // Foreign keys last: by then every table of every schema exists.
  for (std::size_t i = 0; i < schemas.size(); ++i) {
    bool first = true;
    for (const auto* o : ordered[i])
      for (const auto& sql : o->after) {
        if (first) {
          out += "\n";
          if (several)
            for (const auto& use : schemas[i].use) out += statement(use);
        }
        first = false;
        out += statement(sql);
      }
  }
  return out;
}

}  // namespace runner
