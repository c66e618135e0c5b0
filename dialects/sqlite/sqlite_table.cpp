// SPDX-License-Identifier: MIT
#include "sqlite_table.hpp"

#include "sqlite_expr.hpp"

#include <algorithm>

namespace runner::sqlite {
namespace {

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + quote_name(n);
  return out;
}

std::string fk_action(const std::string& code) {
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  if (code == "r") return "RESTRICT";
  return "";  // "a": NO ACTION, the default
}

bool is_integer_family(const std::string& pg_type) {
  static const std::set<std::string> k = {"int2",    "int4",        "int8",    "serial",  "serial4",  "bigserial",
                                          "serial8", "smallserial", "serial2", "integer", "smallint", "bigint"};
  return k.count(pg_type) > 0;
}

bool is_serial(const std::string& pg_type) {
  static const std::set<std::string> k = {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"};
  return k.count(pg_type) > 0;
}

// Reads an inline (column) constraint into the column or the table.
void column_constraint(Table& table, Column& col, const Json& c) {
  const std::string type = c.value("contype", "");
  const std::string name = c.value("conname", "");
  if (type == "CONSTR_NOTNULL") {
    col.not_null = true;
  } else if (type == "CONSTR_NULL") {
    col.not_null = false;
  } else if (type == "CONSTR_DEFAULT") {
    const Json& expr = node_at(c, "raw_expr");
    col.default_sql = render_expr(expr);
    col.default_constant = is_constant(expr);
  } else if (type == "CONSTR_IDENTITY") {
    col.generated_key = true;
  } else if (type == "CONSTR_CHECK" && name.rfind(k_enum_prefix, 0) == 0) {
    // The stored SQL of a table this dialect wrote: the CHECK says which enum the column holds.
    // Its IN list is the table's truth about the values it accepts.
    col.enum_type = name.substr(std::char_traits<char>::length(k_enum_prefix));
    col.type = "text";
    const Json& expr = node_at(c, "raw_expr");
    const Json& in = node_body(expr);
    for (const auto& v : member(node_body(node_at(in, "rexpr")), "items"))
      col.enum_values.push_back(member(node_body(v), "sval").value("sval", ""));
  } else {
    Json body = c;
    if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" || type == "CONSTR_CHECK" || type == "CONSTR_FOREIGN") {
      if (type == "CONSTR_FOREIGN")
        body["fk_attrs"] = Json::array({Json{{"String", Json{{"sval", col.name}}}}});
      else if (type != "CONSTR_CHECK")
        body["keys"] = Json::array({Json{{"String", Json{{"sval", col.name}}}}});
      add_constraint(table, body);
      // PostgreSQL names an inline CHECK after its column even when the expression reads others.
      if (type == "CONSTR_CHECK" && name.empty()) {
        auto& added = table.constraints.back();
        added.name.clear();
        added.name = default_constraint_name(table, {col.name}, "check");
      }
    } else if (type == "CONSTR_GENERATED") {
      throw Untranslatable("generated column " + col.name);
    } else {
      throw Untranslatable("column constraint " + type.substr(std::min<std::size_t>(7, type.size())));
    }
  }
}

}  // namespace

Column* Table::column(const std::string& n) {
  for (auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}
const Column* Table::column(const std::string& n) const { return const_cast<Table*>(this)->column(n); }
std::vector<Constraint>::iterator Table::constraint(const std::string& n) {
  return std::find_if(constraints.begin(), constraints.end(), [&](const Constraint& c) { return c.name == n; });
}
bool Table::has_constraint(const std::string& n) const {
  return std::any_of(constraints.begin(), constraints.end(), [&](const Constraint& c) { return c.name == n; });
}
const Constraint* Table::primary_key() const {
  for (const auto& c : constraints)
    if (c.kind == Constraint::Kind::primary) return &c;
  return nullptr;
}

std::string default_constraint_name(const Table& table, const std::vector<std::string>& columns,
                                    const std::string& suffix) {
  std::string base = table.name;
  for (const auto& c : columns) base += "_" + c;
  std::string name = base + "_" + suffix;
  for (int n = 1; table.has_constraint(name); ++n) name = base + "_" + suffix + std::to_string(n);
  return name;
}

bool builtin_type(const Json& type_name) {
  static const std::set<std::string> k_bare = {"text",   "uuid",    "json",    "jsonb",   "bytea",     "date",
                                               "serial", "serial2", "serial4", "serial8", "bigserial", "smallserial"};
  auto names = string_list(member(type_name, "names"));
  return (names.size() == 2 && names[0] == "pg_catalog") || (names.size() == 1 && k_bare.count(names[0]) > 0);
}

void add_column(Table& table, const Json& def, const EnumLookup& enums) {
  Column col;
  col.name = def.value("colname", "");
  if (table.column(col.name) != nullptr) throw Untranslatable("a second column named " + col.name);
  const Json& type_name = member(def, "typeName");
  const std::string key = type_key(type_name);
  if (def.contains("collClause")) throw Untranslatable("COLLATE on column " + col.name);
  if (auto values = enums && !builtin_type(type_name) ? enums(key) : std::nullopt) {
    col.type = "text";
    col.enum_type = key;
    col.enum_values = *values;
  } else {
    col.type = render_type(type_name);
  }
  col.generated_key = is_serial(key);
  table.columns.push_back(col);
  for (const auto& c : member(def, "constraints")) column_constraint(table, table.columns.back(), node_body(c));
  Column& added = table.columns.back();
  if (added.generated_key) {
    const Constraint* pk = table.primary_key();
    if (pk == nullptr || pk->columns != std::vector<std::string>{added.name})
      throw Untranslatable("serial or identity column " + added.name + " outside a one-column PRIMARY KEY");
    if (!is_integer_family(key)) throw Untranslatable("identity column " + added.name + " of type " + key);
  }
}

void add_constraint(Table& table, const Json& c) {
  const std::string type = c.value("contype", "");
  if (c.contains("initially_valid") && !c.value("initially_valid", true))
    throw Untranslatable("NOT VALID (SQLite checks every row when a constraint is added)");
  Constraint k;
  k.name = c.value("conname", "");
  if (c.value("deferrable", false))
    k.deferral = c.value("initdeferred", false) ? "DEFERRABLE INITIALLY DEFERRED" : "DEFERRABLE INITIALLY IMMEDIATE";
  if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE") {
    if (c.contains("including") || c.contains("indexname") || c.contains("options"))
      throw Untranslatable("index options on a " + std::string(type == "CONSTR_PRIMARY" ? "PRIMARY KEY" : "UNIQUE"));
    k.kind = type == "CONSTR_PRIMARY" ? Constraint::Kind::primary : Constraint::Kind::unique;
    k.columns = string_list(member(c, "keys"));
    if (k.kind == Constraint::Kind::primary && table.primary_key() != nullptr)
      throw Untranslatable("a second PRIMARY KEY on " + table.name);
    if (k.name.empty())
      k.name = k.kind == Constraint::Kind::primary ? default_constraint_name(table, {}, "pkey")
                                                   : default_constraint_name(table, k.columns, "key");
    for (const auto& col : k.columns)
      if (table.column(col) == nullptr) throw Untranslatable("a key on unknown column " + col);
    if (k.kind == Constraint::Kind::primary)
      for (const auto& col : k.columns) table.column(col)->not_null = true;
  } else if (type == "CONSTR_CHECK") {
    k.kind = Constraint::Kind::check;
    const Json& expr = node_at(c, "raw_expr");
    k.check_sql = render_expr(expr);
    column_refs(expr, k.check_refs);
    if (k.name.empty())
      k.name = k.check_refs.size() == 1 ? default_constraint_name(table, {*k.check_refs.begin()}, "check")
                                        : default_constraint_name(table, {}, "check");
  } else if (type == "CONSTR_FOREIGN") {
    k.kind = Constraint::Kind::foreign;
    k.columns = string_list(member(c, "fk_attrs"));
    k.ref_table = member(c, "pktable").value("relname", "");
    k.ref_columns = string_list(member(c, "pk_attrs"));
    k.on_delete = fk_action(c.value("fk_del_action", "a"));
    k.on_update = fk_action(c.value("fk_upd_action", "a"));
    if (c.value("fk_matchtype", "s") == "f") throw Untranslatable("MATCH FULL");
    if (k.name.empty()) k.name = default_constraint_name(table, k.columns, "fkey");
  } else if (type == "CONSTR_EXCLUSION") {
    throw Untranslatable("EXCLUDE constraint");
  } else {
    throw Untranslatable("constraint " + type.substr(std::min<std::size_t>(7, type.size())));
  }
  table.constraints.push_back(std::move(k));
}

Table table_from_create(const Json& b, const EnumLookup& enums) {
  Table t;
  const Json& rel = member(b, "relation");
  t.name = rel.value("relname", "");
  t.temporary = rel.value("relpersistence", "p") == "t";
  t.if_not_exists = b.value("if_not_exists", false);
  if (b.contains("inhRelations")) throw Untranslatable("INHERITS");
  if (b.contains("partspec") || b.contains("partbound")) throw Untranslatable("a partitioned table");
  if (b.contains("ofTypename")) throw Untranslatable("CREATE TABLE ... OF type");
  if (b.contains("options") || b.contains("tablespacename") || b.contains("accessMethod"))
    throw Untranslatable("storage options (WITH, TABLESPACE, USING)");
  if (b.value("oncommit", "ONCOMMIT_NOOP") != "ONCOMMIT_NOOP") throw Untranslatable("ON COMMIT");
  // Constraints first, so that a serial column finds its table-level PRIMARY KEY.
  const Json& elements = member(b, "tableElts");
  std::vector<const Json*> later;
  for (const auto& elt : elements) {
    const std::string type = node_type(elt);
    if (type == "ColumnDef") continue;
    if (type != "Constraint") throw Untranslatable(type == "TableLikeClause" ? "LIKE" : type);
    later.push_back(&elt);
  }
  // Columns, then table constraints; inline ones were added with their columns. Serial columns
  // are checked once the whole key is known.
  std::vector<std::string> serials;
  for (const auto& elt : elements) {
    if (node_type(elt) != "ColumnDef") continue;
    const Json& def = node_body(elt);
    const std::string key = type_key(member(def, "typeName"));
    bool identity = false;
    for (const auto& c : member(def, "constraints"))
      identity = identity || node_body(c).value("contype", "") == "CONSTR_IDENTITY";
    if (is_serial(key) || identity) {
      // Checked below, once table-level keys are in.
      serials.push_back(def.value("colname", ""));
      Json plain = def;
      Json constraints = Json::array();
      for (const auto& c : member(def, "constraints"))
        if (node_body(c).value("contype", "") != "CONSTR_IDENTITY") constraints.push_back(c);
      plain["constraints"] = constraints;
      plain["typeName"]["names"] = Json::array({Json{{"String", Json{{"sval", "int4"}}}}});
      add_column(t, plain, enums);
      t.columns.back().generated_key = true;
    } else {
      add_column(t, def, enums);
    }
  }
  for (const Json* elt : later) add_constraint(t, node_body(*elt));
  for (const auto& name : serials) {
    const Constraint* pk = t.primary_key();
    if (pk == nullptr || pk->columns != std::vector<std::string>{name})
      throw Untranslatable("serial or identity column " + name + " outside a one-column PRIMARY KEY");
  }
  return t;
}

std::string enum_check(const Column& col) {
  std::string values;
  for (const auto& v : col.enum_values) values += (values.empty() ? "" : ", ") + quote_text(v);
  return "CONSTRAINT " + quote_name(k_enum_prefix + col.enum_type) + " CHECK (" + quote_name(col.name) + " IN (" +
         values + "))";
}

std::string render_column(const Column& col) {
  std::string out = quote_name(col.name) + " " + (col.type.empty() ? "" : col.type);
  if (col.not_null) out += " NOT NULL";
  if (!col.default_sql.empty())
    out += " DEFAULT " + (col.default_constant || col.default_sql == "CURRENT_TIMESTAMP" ||
                                  col.default_sql == "CURRENT_DATE" || col.default_sql == "CURRENT_TIME"
                              ? col.default_sql
                              : "(" + col.default_sql + ")");
  if (!col.enum_type.empty()) out += " " + enum_check(col);
  return out;
}

std::string render_constraint(const Constraint& k) {
  std::string out = "CONSTRAINT " + quote_name(k.name) + " ";
  switch (k.kind) {
    case Constraint::Kind::primary: out += "PRIMARY KEY (" + join_names(k.columns) + ")"; break;
    case Constraint::Kind::unique: out += "UNIQUE (" + join_names(k.columns) + ")"; break;
    case Constraint::Kind::check: out += "CHECK (" + k.check_sql + ")"; break;
    case Constraint::Kind::foreign:
      out += "FOREIGN KEY (" + join_names(k.columns) + ") REFERENCES " + quote_name(k.ref_table);
      if (!k.ref_columns.empty()) out += " (" + join_names(k.ref_columns) + ")";
      if (!k.on_delete.empty()) out += " ON DELETE " + k.on_delete;
      if (!k.on_update.empty()) out += " ON UPDATE " + k.on_update;
      break;
  }
  if (!k.deferral.empty()) out += " " + k.deferral;
  return out;
}

std::string render_create(const Table& t, const std::string& as_name) {
  std::string out = std::string("CREATE ") + (t.temporary ? "TEMPORARY " : "") + "TABLE " +
                    (t.if_not_exists ? "IF NOT EXISTS " : "") + quote_name(as_name) + " (";
  bool first = true;
  const Constraint* pk = t.primary_key();
  for (const auto& col : t.columns) {
    Column c = col;
    // A one-column integer primary key becomes SQLite's rowid (INTEGER PRIMARY KEY), which is how
    // SQLite numbers rows by itself: what serial and identity columns need.
    if (pk != nullptr && pk->columns.size() == 1 && pk->columns[0] == c.name &&
        (c.generated_key || affinity(c.type) == "INTEGER"))
      c.type = "INTEGER";
    out += std::string(first ? "\n  " : ",\n  ") + render_column(c);
    first = false;
  }
  for (const auto& k : t.constraints) out += ",\n  " + render_constraint(k);
  return out + "\n)";
}

}  // namespace runner::sqlite
