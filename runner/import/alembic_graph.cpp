// SPDX-License-Identifier: MIT
#include "runner/import/alembic_graph.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace runner {
namespace {

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const std::size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a != std::string::npos) items.push_back(item.substr(a, b - a + 1));
  }
  return items;
}

}  // namespace

std::vector<AlembicRevision> parse_alembic_history(const std::string& output) {
  std::vector<AlembicRevision> revisions;
  std::stringstream in(output);
  std::string line;
  bool in_doc = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (starts_with(line, "Rev: ")) {
      AlembicRevision r;
      std::string rest = line.substr(5);
      r.id = rest.substr(0, rest.find(' '));
      revisions.push_back(std::move(r));
      in_doc = false;
      continue;
    }
    if (revisions.empty()) continue;
    AlembicRevision& r = revisions.back();
    if (starts_with(line, "Parent: ")) {
      const std::string parent = line.substr(8);
      if (parent != "<base>") r.parents = comma_list(parent);
    } else if (starts_with(line, "Merges: ")) {
      r.parents = comma_list(line.substr(8));
    } else if (starts_with(line, "Also depends on: ")) {
      r.depends_on = comma_list(line.substr(17));
    } else if (starts_with(line, "Path: ")) {
      r.path = line.substr(6);
      in_doc = true;
    } else if (in_doc && starts_with(line, "    ")) {
      const std::string text = line.substr(4);
      if (r.message.empty() && text.find_first_not_of(" \t") != std::string::npos) r.message = text;
      if (starts_with(text, "Create Date: ")) r.create_date = text.substr(13);
    }
  }
  if (revisions.empty())
    throw UsageError("alembic history printed no revision (is the folder's script_location right?):\n" + output);
  return revisions;
}

std::vector<AlembicRevision> linearise(std::vector<AlembicRevision> revisions) {
  std::map<std::string, const AlembicRevision*> by_id;
  for (const auto& r : revisions) by_id[r.id] = &r;
  std::map<std::string, std::size_t> waiting;  // how many of its prerequisites are not yet placed
  std::map<std::string, std::vector<std::string>> unlocks;
  for (const auto& r : revisions) {
    std::vector<std::string> before = r.parents;
    before.insert(before.end(), r.depends_on.begin(), r.depends_on.end());
    for (const auto& p : before) {
      if (!by_id.count(p))
        throw SourceError(r.path, 0,
                          fmt::format("revision {} revises {}, which is not in the revision graph", r.id, p));
      unlocks[p].push_back(r.id);
    }
    waiting[r.id] = before.size();
  }
  auto earlier = [&](const std::string& a, const std::string& b) {
    const AlembicRevision &ra = *by_id[a], &rb = *by_id[b];
    return ra.create_date != rb.create_date ? ra.create_date < rb.create_date : ra.id < rb.id;
  };
  std::vector<std::string> ready;
  for (const auto& [id, n] : waiting)
    if (n == 0) ready.push_back(id);
  std::vector<AlembicRevision> order;
  while (!ready.empty()) {
    auto next = std::min_element(ready.begin(), ready.end(), earlier);
    const std::string id = *next;
    ready.erase(next);
    order.push_back(*by_id[id]);
    for (const auto& child : unlocks[id])
      if (--waiting[child] == 0) ready.push_back(child);
  }
  if (order.size() != revisions.size()) {
    std::string stuck;
    for (const auto& [id, n] : waiting)
      if (n > 0) stuck += (stuck.empty() ? "" : ", ") + id;
    throw SourceError(fmt::format("the revision graph has a cycle: {} each stand on one another", stuck));
  }
  return order;
}

std::set<std::string> with_ancestors(const std::vector<AlembicRevision>& revisions, const std::string& id) {
  std::map<std::string, const AlembicRevision*> by_id;
  for (const auto& r : revisions) by_id[r.id] = &r;
  std::set<std::string> seen;
  std::vector<std::string> todo{id};
  while (!todo.empty()) {
    std::string cur = todo.back();
    todo.pop_back();
    if (!seen.insert(cur).second) continue;
    auto it = by_id.find(cur);
    if (it == by_id.end()) continue;
    for (const auto& p : it->second->parents) todo.push_back(p);
    for (const auto& p : it->second->depends_on) todo.push_back(p);
  }
  return seen;
}

}  // namespace runner
