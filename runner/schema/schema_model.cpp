// SPDX-License-Identifier: MIT
#include "runner/schema/schema_model.hpp"

namespace runner {

std::string SchemaObject::value(const std::string& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return v;
  return "";
}

std::vector<std::string> SchemaObject::values(const std::string& key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields)
    if (k == key) out.push_back(v);
  return out;
}

std::string SchemaObject::label() const { return kind + " " + (table.empty() ? name : table + "." + name); }

}  // namespace runner
