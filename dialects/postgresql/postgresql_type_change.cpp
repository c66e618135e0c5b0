// SPDX-License-Identifier: MIT
#include "postgresql_type_change.hpp"

#include <cstdlib>
#include <map>
#include <vector>

namespace runner::postgresql {
namespace {

struct Type {
  std::string base;             // the internal name: varchar, int4, timestamptz...
  std::vector<long long> mods;  // (20) -> {20}; (10,2) -> {10, 2}
};

// format_type()'s spelling -> the internal name the parser gives.
Type from_catalog(const std::string& text) {
  static const std::map<std::string, std::string> k = {{"character varying", "varchar"},
                                                       {"character", "bpchar"},
                                                       {"integer", "int4"},
                                                       {"bigint", "int8"},
                                                       {"smallint", "int2"},
                                                       {"real", "float4"},
                                                       {"double precision", "float8"},
                                                       {"boolean", "bool"},
                                                       {"timestamp without time zone", "timestamp"},
                                                       {"timestamp with time zone", "timestamptz"},
                                                       {"time without time zone", "time"},
                                                       {"time with time zone", "timetz"}};
  Type t;
  std::string name = text;
  const std::size_t open = text.find('(');
  if (open != std::string::npos) {
    const std::size_t close = text.find(')', open);
    name = text.substr(0, open);
    std::string rest = close == std::string::npos ? "" : text.substr(close + 1);  // "timestamp(3) with time zone"
    std::string args = text.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    for (std::size_t i = 0; i < args.size();) {
      t.mods.push_back(std::atoll(args.c_str() + i));
      const std::size_t comma = args.find(',', i);
      i = comma == std::string::npos ? args.size() : comma + 1;
    }
    name += rest;
  }
  auto it = k.find(name);
  t.base = it == k.end() ? name : it->second;
  if (t.base.rfind("timestamp", 0) == 0 || t.base.rfind("time", 0) == 0) t.mods.clear();  // precision only
  return t;
}

Type from_statement(const sdk::lint::Json& type_name_node) {
  Type t{sdk::lint::type_name(type_name_node), sdk::lint::type_modifiers(type_name_node)};
  static const std::map<std::string, std::string> k = {
      {"integer", "int4"}, {"int", "int4"}, {"bigint", "int8"}, {"smallint", "int2"}, {"boolean", "bool"}};
  auto it = k.find(t.base);
  if (it != k.end()) t.base = it->second;
  if (t.base.rfind("timestamp", 0) == 0 || t.base.rfind("time", 0) == 0) t.mods.clear();
  return t;
}

bool is_integer(const std::string& b) { return b == "int2" || b == "int4" || b == "int8"; }
bool is_text(const std::string& b) { return b == "varchar" || b == "text"; }

bool binary_coercible(const Type& from, const Type& to) {
  if (from.base == to.base && from.mods == to.mods) return true;
  if (is_text(from.base) && to.base == "text") return true;
  if (is_text(from.base) && to.base == "varchar")
    return to.mods.empty() || (from.base == "varchar" && !from.mods.empty() && to.mods[0] >= from.mods[0]);
  if (from.base == "numeric" && to.base == "numeric") {
    if (to.mods.empty()) return true;
    if (from.mods.empty()) return false;
    const long long from_scale = from.mods.size() > 1 ? from.mods[1] : 0;
    const long long to_scale = to.mods.size() > 1 ? to.mods[1] : 0;
    return to.mods[0] >= from.mods[0] && to_scale == from_scale;
  }
  return false;
}

std::string loses(const Type& from, const Type& to) {
  const bool fractional = from.base == "numeric" || from.base == "float4" || from.base == "float8";
  if (fractional && is_integer(to.base)) return "rounds every fraction to a whole number";
  if (from.base == "float8" && to.base == "float4") return "keeps about 6 significant digits of each value";
  if (from.base == "numeric" && (to.base == "float4" || to.base == "float8"))
    return "turns exact decimals into binary floating point";
  if (from.base == "numeric" && to.base == "numeric" && !to.mods.empty()) {
    const long long to_scale = to.mods.size() > 1 ? to.mods[1] : 0;
    const long long from_scale = from.mods.empty() ? -1 : (from.mods.size() > 1 ? from.mods[1] : 0);
    if (from_scale < 0 || to_scale < from_scale)
      return "rounds each value to " + std::to_string(to_scale) + " decimal places";
  }
  if ((from.base == "timestamp" || from.base == "timestamptz") && to.base == "date")
    return "drops the time of day from each value";
  if ((from.base == "timestamp" || from.base == "timestamptz") && (to.base == "time" || to.base == "timetz"))
    return "drops the date from each value";
  if (from.base == "timestamptz" && to.base == "timestamp")
    return "drops each value's time zone, keeping the session's local time";
  return "";
}

}  // namespace

TypeChange judge_type_change(const std::optional<std::string>& old_type, const sdk::lint::Json& new_type,
                             bool has_using) {
  TypeChange change;
  if (!old_type) return change;
  const Type from = from_catalog(*old_type), to = from_statement(new_type);
  change.rewrite = !has_using && binary_coercible(from, to) ? TypeChange::Rewrite::no : TypeChange::Rewrite::yes;
  change.loses = loses(from, to);
  return change;
}

}  // namespace runner::postgresql
