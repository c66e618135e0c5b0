// SPDX-License-Identifier: MIT
#include "sqlite_expr.hpp"

#include "plugins/sdk/dialect_sdk.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>

namespace runner::sqlite {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string render_const(const Json& b) {
  if (b.value("isnull", false)) return "NULL";
  if (b.contains("ival")) return std::to_string(b["ival"].value("ival", 0LL));
  if (b.contains("fval")) return b["fval"].value("fval", "0");
  if (b.contains("boolval")) return b["boolval"].value("boolval", false) ? "TRUE" : "FALSE";
  if (b.contains("sval")) return quote_text(b["sval"].value("sval", ""));
  throw Untranslatable("a bit-string constant");
}

// Operands that are themselves operators get parentheses; SQLite's precedence differs from
// PostgreSQL's in places (|| binds tighter in SQLite), so nothing is left to it.
std::string operand(const Json& node) {
  const std::string t = node_type(node);
  std::string s = render_expr(node);
  if (t == "A_Expr" || t == "BoolExpr" || t == "NullTest" || t == "BooleanTest") return "(" + s + ")";
  return s;
}

std::string list_items(const Json& list) {
  std::string out;
  const Json& items = node_type(list) == "List" ? member(node_body(list), "items") : list;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + render_expr(item);
  return out;
}

const std::map<std::string, std::string>& known_functions() {
  // PostgreSQL functions with the same meaning and name in SQLite (or the SQLite name).
  static const std::map<std::string, std::string> k = {
      {"lower", "lower"},       {"upper", "upper"},   {"length", "length"},    {"char_length", "length"},
      {"coalesce", "coalesce"}, {"nullif", "nullif"}, {"abs", "abs"},          {"round", "round"},
      {"trim", "trim"},         {"btrim", "trim"},    {"ltrim", "ltrim"},      {"rtrim", "rtrim"},
      {"replace", "replace"},   {"substr", "substr"}, {"substring", "substr"}, {"greatest", "max"},
      {"least", "min"}};
  return k;
}

// The functions this build of SQLite has, asked of SQLite itself once.
const std::set<std::string>& sqlite_functions() {
  static const std::set<std::string> k = [] {
    std::set<std::string> names;
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) == SQLITE_OK) {
      sqlite3_exec(
          db, "SELECT name FROM pragma_function_list",
          [](void* ctx, int, char** values, char**) {
            if (values[0] != nullptr) static_cast<std::set<std::string>*>(ctx)->insert(values[0]);
            return 0;
          },
          &names, nullptr);
    }
    sqlite3_close(db);
    return names;
  }();
  return k;
}

std::string render_func(const Json& b) {
  const std::string name = last_name(member(b, "funcname"));
  if (b.value("agg_star", false) || b.contains("over") || b.value("agg_distinct", false))
    throw Untranslatable("aggregate or window function " + name + "()");
  const Json& args = member(b, "args");
  if (name == "now" && args.empty()) return "CURRENT_TIMESTAMP";
  if (name == "length" || name == "char_length") return "length(" + list_items(args) + ")";
  auto it = known_functions().find(name);
  if (it != known_functions().end()) return it->second + "(" + list_items(args) + ")";
  // A function SQLite has under the same name (json(), datetime(), ...) is taken as written.
  if (sqlite_functions().count(name)) return name + "(" + list_items(args) + ")";
  throw Untranslatable("function " + name + "() (SQLite has none of that name)");
}

std::string render_a_expr(const Json& b) {
  const std::string kind = b.value("kind", "");
  const std::string op = last_name(member(b, "name"));
  const Json& l = node_at(b, "lexpr");
  const Json& r = node_at(b, "rexpr");
  if (kind == "AEXPR_OP") {
    static const std::set<std::string> k_ops = {"=", "<>", "!=", "<",  ">", "<=", ">=", "+", "-",
                                                "*", "/",  "%",  "||", "&", "|",  "<<", ">>"};
    if (!k_ops.count(op)) throw Untranslatable("operator " + op);
    if (l.is_null()) return op + operand(r);
    return operand(l) + " " + op + " " + operand(r);
  }
  if (kind == "AEXPR_IN") return operand(l) + (op == "=" ? " IN (" : " NOT IN (") + list_items(r) + ")";
  if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE")
    return operand(l) + (op.rfind("!", 0) == 0 ? " NOT LIKE " : " LIKE ") + operand(r);
  if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") {
    const Json& items = member(node_body(r), "items");
    if (items.size() != 2) throw Untranslatable("BETWEEN");
    return operand(l) + (kind == "AEXPR_BETWEEN" ? " BETWEEN " : " NOT BETWEEN ") + operand(items[0]) + " AND " +
           operand(items[1]);
  }
  if (kind == "AEXPR_DISTINCT") return operand(l) + " IS NOT " + operand(r);
  if (kind == "AEXPR_NOT_DISTINCT") return operand(l) + " IS " + operand(r);
  if (kind == "AEXPR_NULLIF") return "nullif(" + render_expr(l) + ", " + render_expr(r) + ")";
  throw Untranslatable("expression " + kind.substr(std::min<std::size_t>(6, kind.size())));
}

std::string render_cast(const Json& b) {
  const Json& arg = node_at(b, "arg");
  const std::string target = render_type(member(b, "typeName"));
  const std::string aff = affinity(target);
  const bool literal = node_type(arg) == "A_Const";
  const std::string key = type_key(member(b, "typeName"));
  if (key == "bool" && literal && node_body(arg).contains("sval")) {
    std::string v = upper(node_body(arg)["sval"].value("sval", ""));
    if (v == "T" || v == "TRUE" || v == "Y" || v == "YES" || v == "ON" || v == "1") return "TRUE";
    if (v == "F" || v == "FALSE" || v == "N" || v == "NO" || v == "OFF" || v == "0") return "FALSE";
    throw Untranslatable("boolean literal '" + v + "'");
  }
  if (aff == "INTEGER") return "CAST(" + render_expr(arg) + " AS INTEGER)";
  if (aff == "REAL") return "CAST(" + render_expr(arg) + " AS REAL)";
  if (key == "numeric") return "CAST(" + render_expr(arg) + " AS NUMERIC)";
  // Text, dates, JSON, UUIDs and enum labels are text in SQLite: a literal stays as written.
  if (literal) return render_expr(arg);
  return "CAST(" + render_expr(arg) + " AS TEXT)";
}

}  // namespace

std::string quote_name(const std::string& name) { return sdk::double_quote(name); }
std::string quote_text(const std::string& value) { return sdk::single_quote(value); }

std::string render_expr(const Json& node) {
  const std::string t = node_type(node);
  const Json& b = node_body(node);
  if (t == "A_Const") return render_const(b);
  if (t == "ColumnRef") {
    std::string out;
    for (const auto& f : member(b, "fields")) {
      if (node_type(f) != "String") throw Untranslatable("column reference *");
      out += (out.empty() ? "" : ".") + quote_name(node_body(f).value("sval", ""));
    }
    return out;
  }
  if (t == "A_Expr") return render_a_expr(b);
  if (t == "BoolExpr") {
    const std::string op = b.value("boolop", "");
    const Json& args = member(b, "args");
    if (op == "NOT_EXPR") return "NOT " + operand(args.at(0));
    std::string out;
    for (const auto& a : args) out += (out.empty() ? "" : op == "AND_EXPR" ? " AND " : " OR ") + operand(a);
    return out;
  }
  if (t == "NullTest")
    return operand(node_at(b, "arg")) + (b.value("nulltesttype", "") == "IS_NULL" ? " IS NULL" : " IS NOT NULL");
  if (t == "BooleanTest") {
    static const std::map<std::string, std::string> k = {
        {"IS_TRUE", " IS TRUE"},           {"IS_NOT_TRUE", " IS NOT TRUE"}, {"IS_FALSE", " IS FALSE"},
        {"IS_NOT_FALSE", " IS NOT FALSE"}, {"IS_UNKNOWN", " IS NULL"},      {"IS_NOT_UNKNOWN", " IS NOT NULL"}};
    return operand(node_at(b, "arg")) + k.at(b.value("booltesttype", "IS_TRUE"));
  }
  if (t == "TypeCast") return render_cast(b);
  if (t == "FuncCall") return render_func(b);
  if (t == "SQLValueFunction") {
    const std::string op = b.value("op", "");
    if (op.find("CURRENT_TIMESTAMP") != std::string::npos || op.find("LOCALTIMESTAMP") != std::string::npos)
      return "CURRENT_TIMESTAMP";
    if (op.find("CURRENT_DATE") != std::string::npos) return "CURRENT_DATE";
    if (op.find("TIME") != std::string::npos) return "CURRENT_TIME";
    throw Untranslatable(op.substr(std::min<std::size_t>(6, op.size())));
  }
  if (t == "CaseExpr") {
    std::string out = "CASE";
    if (b.contains("arg")) out += " " + operand(b["arg"]);
    for (const auto& w : member(b, "args"))
      out += " WHEN " + render_expr(node_at(node_body(w), "expr")) + " THEN " +
             render_expr(node_at(node_body(w), "result"));
    if (b.contains("defresult")) out += " ELSE " + render_expr(b["defresult"]);
    return out + " END";
  }
  if (t == "CoalesceExpr") return "coalesce(" + list_items(member(b, "args")) + ")";
  if (t == "MinMaxExpr")
    return std::string(b.value("op", "") == "IS_GREATEST" ? "max(" : "min(") + list_items(member(b, "args")) + ")";
  if (t.empty()) throw Untranslatable("an empty expression");
  throw Untranslatable(t == "SubLink" ? "a subquery" : t == "A_ArrayExpr" ? "an ARRAY constructor" : "expression " + t);
}

bool is_constant(const Json& node) {
  const std::string t = node_type(node);
  if (t == "A_Const") return true;
  if (t == "TypeCast") return is_constant(node_at(node_body(node), "arg"));
  if (t == "A_Expr" && node_body(node).value("kind", "") == "AEXPR_OP" && !node_body(node).contains("lexpr"))
    return is_constant(node_at(node_body(node), "rexpr"));
  return false;
}

void column_refs(const Json& node, std::set<std::string>& out) {
  if (node.is_array()) {
    for (const auto& n : node) column_refs(n, out);
    return;
  }
  if (!node.is_object()) return;
  if (node_type(node) == "ColumnRef") {
    auto names = string_list(member(node_body(node), "fields"));
    if (!names.empty()) out.insert(names.back());
    return;
  }
  for (const auto& item : node.items()) column_refs(item.value(), out);
}

std::string type_key(const Json& type_name) {
  auto names = string_list(member(type_name, "names"));
  return names.empty() ? std::string() : names.back();
}

std::string render_type(const Json& type_name) {
  if (type_name.contains("arrayBounds")) throw Untranslatable("array type " + type_key(type_name) + "[]");
  const std::string key = type_key(type_name);
  static const std::map<std::string, std::string> k_names = {{"int2", "smallint"},
                                                             {"int4", "integer"},
                                                             {"int8", "bigint"},
                                                             {"bool", "boolean"},
                                                             {"float4", "real"},
                                                             {"float8", "double precision"},
                                                             {"bpchar", "char"},
                                                             {"timestamptz", "timestamptz"},
                                                             {"serial", "integer"},
                                                             {"serial4", "integer"},
                                                             {"bigserial", "bigint"},
                                                             {"serial8", "bigint"},
                                                             {"smallserial", "smallint"},
                                                             {"serial2", "smallint"},
                                                             {"bytea", "blob"}};
  auto it = k_names.find(key);
  std::string out = it != k_names.end() ? it->second : key;
  std::string mods;
  for (const auto& m : member(type_name, "typmods")) {
    if (node_type(m) != "A_Const") throw Untranslatable("type modifier of " + key);
    mods += (mods.empty() ? "" : ", ") + render_expr(m);
  }
  if (!mods.empty()) out += "(" + mods + ")";
  return out;
}

std::string affinity(const std::string& declared_type) {
  const std::string t = upper(declared_type);
  if (t.find("INT") != std::string::npos) return "INTEGER";
  if (t.find("CHAR") != std::string::npos || t.find("CLOB") != std::string::npos || t.find("TEXT") != std::string::npos)
    return "TEXT";
  if (t.empty() || t.find("BLOB") != std::string::npos) return "BLOB";
  if (t.find("REAL") != std::string::npos || t.find("FLOA") != std::string::npos || t.find("DOUB") != std::string::npos)
    return "REAL";
  return "NUMERIC";
}

}  // namespace runner::sqlite
