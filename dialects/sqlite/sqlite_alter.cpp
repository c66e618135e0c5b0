// SPDX-License-Identifier: MIT
#include "sqlite_alter.hpp"

#include "sqlite_expr.hpp"
#include "sqlite_rebuild.hpp"

#include <algorithm>
#include <set>

namespace runner::sqlite {
namespace {

[[noreturn]] void fail(std::uint32_t line, const std::string& message) {
  throw sdk::Failure(RUNNER_ERR_USAGE, line, message);
}

std::string rows_word(long long n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

const std::set<std::string>& supported_subtypes() {
  static const std::set<std::string> k = {"AT_AddColumn",  "AT_DropColumn",  "AT_AddConstraint", "AT_DropConstraint",
                                          "AT_SetNotNull", "AT_DropNotNull", "AT_ColumnDefault", "AT_AlterColumnType"};
  return k;
}

std::string describe_subtype(const std::string& subtype) {
  return "ALTER TABLE ... " + subtype.substr(std::min<std::size_t>(3, subtype.size()));
}

// A SQL predicate true when `expr` (over the old table) cannot be stored as a value of a column of
// `type` without changing it: PostgreSQL would refuse the conversion, SQLite would keep the text or
// silently turn it into 0. Booleans take PostgreSQL's boolean words and integers, json must be
// valid. "0" when every value is kept: text and blob columns, and the other types SQLite gives
// NUMERIC affinity that are not numbers (dates, times, uuid), whose text it stores as it is;
// their formats are PostgreSQL's to judge, and refusing a date SQLite's functions cannot read
// would refuse good rows.
std::string unconvertible(const std::string& expr, const std::string& type) {
  const std::string e = "(" + expr + ")";
  if (type == "boolean")
    return e + " IS NOT NULL AND NOT (typeof(" + e + ") = 'integer' OR (typeof(" + e + ") = 'text' AND lower(trim(" +
           e + ")) IN ('t', 'f', 'true', 'false', 'y', 'n', 'yes', 'no', 'on', 'off', '1', '0')))";
  if (type == "json" || type == "jsonb") return e + " IS NOT NULL AND NOT json_valid(" + e + ")";
  std::string aff = affinity(type);
  if (aff == "NUMERIC" && type.rfind("numeric", 0) != 0 && type.rfind("decimal", 0) != 0) aff = "TEXT";
  if (aff == "INTEGER")
    return e + " IS NOT NULL AND NOT (typeof(" + e + ") = 'integer' OR (typeof(" + e + ") = 'real' AND " + e +
           " = CAST(" + e + " AS INTEGER)) OR (typeof(" + e + ") = 'text' AND CAST(CAST(" + e +
           " AS INTEGER) AS TEXT) = trim(" + e + ")))";
  if (aff == "REAL" || aff == "NUMERIC")
    return e + " IS NOT NULL AND NOT (typeof(" + e + ") IN ('integer', 'real') OR (typeof(" + e +
           ") = 'text' AND (CAST(CAST(" + e + " AS INTEGER) AS TEXT) = trim(" + e + ") OR CAST(CAST(" + e +
           " AS REAL) AS TEXT) = trim(" + e + "))))";
  return "0";  // TEXT and BLOB hold anything
}

Column& need_column(Table& t, const std::string& name, std::uint32_t line) {
  Column* c = t.column(name);
  if (c == nullptr) fail(line, "column \"" + name + "\" of relation \"" + t.name + "\" does not exist");
  return *c;
}

// ADD COLUMN as SQLite runs it natively: no key, a constant default, and NOT NULL only with a
// default (sqlite.org/lang_altertable.html, ALTER TABLE ADD COLUMN).
bool native_add_column(const Table& before, const Table& after, const Column& col) {
  if (after.constraints.size() != before.constraints.size()) return false;
  if (!col.default_constant) return false;
  if (col.not_null && col.default_sql.empty()) return false;
  return true;
}

}  // namespace

void check_rows(const Catalog& db, const Table& t, const Constraint& k, std::uint32_t line, Rebuild* rebuild) {
  const std::string table = quote_name(t.name);
  std::string not_null;
  for (const auto& c : k.columns) not_null += (not_null.empty() ? "" : " AND ") + quote_name(c) + " IS NOT NULL";
  std::string keys;
  for (const auto& c : k.columns) keys += (keys.empty() ? "" : ", ") + quote_name(c);
  long long bad = 0;
  std::string what;
  switch (k.kind) {
    case Constraint::Kind::check:
      // A CHECK passes when its expression is NULL; only FALSE rejects a row.
      bad = db.count("SELECT count(*) FROM " + table + " WHERE (" + k.check_sql + ") IS FALSE");
      what = "fail|fails the check";
      break;
    case Constraint::Kind::primary:
    case Constraint::Kind::unique: {
      bad = db.count("SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + not_null + " GROUP BY " + keys +
                     " HAVING count(*) > 1)");
      what = "repeat|repeats a key value";
      if (bad == 0 && k.kind == Constraint::Kind::primary) {
        std::string any_null;
        for (const auto& c : k.columns) any_null += (any_null.empty() ? "" : " OR ") + quote_name(c) + " IS NULL";
        bad = db.count("SELECT count(*) FROM " + table + " WHERE " + any_null);
        what = "hold|holds NULL in the key";
      }
      break;
    }
    case Constraint::Kind::foreign: {
      std::vector<std::string> ref_cols = k.ref_columns.empty() ? db.primary_key_of(k.ref_table) : k.ref_columns;
      if (!db.table(k.ref_table)) fail(line, "relation \"" + k.ref_table + "\" does not exist");
      if (ref_cols.size() != k.columns.size())
        fail(line, "foreign key \"" + k.name + "\" has " + std::to_string(k.columns.size()) + " columns but \"" +
                       k.ref_table + "\" has a " + std::to_string(ref_cols.size()) + "-column key");
      std::string match;
      for (std::size_t i = 0; i < ref_cols.size(); ++i)
        match += (match.empty() ? "" : " AND ") + std::string("r.") + quote_name(ref_cols[i]) + " = c." +
                 quote_name(k.columns[i]);
      std::string c_not_null;
      for (const auto& c : k.columns)
        c_not_null += (c_not_null.empty() ? "" : " AND ") + std::string("c.") + quote_name(c) + " IS NOT NULL";
      const std::string orphans = "SELECT count(*) FROM " + table + " AS c WHERE " + c_not_null +
                                  " AND NOT EXISTS (SELECT 1 FROM " + quote_name(k.ref_table) + " AS r WHERE " + match +
                                  ")";
      bad = db.count(orphans);
      what = "reference|references a missing row of \"" + k.ref_table + "\"";
      if (rebuild != nullptr)
        rebuild->guards.emplace_back(k.name + ": rows of " + t.name + " reference a missing row of " + k.ref_table,
                                     orphans);
      break;
    }
  }
  if (bad > 0) {
    // what: "plural|singular verb ..."
    const std::size_t bar = what.find('|');
    const std::size_t space = what.find(' ');
    const std::string verb = bad == 1 ? what.substr(bar + 1, space - bar - 1) : what.substr(0, bar);
    fail(line, "table \"" + t.name + "\", constraint \"" + k.name + "\": " + rows_word(bad) + " " + verb +
                   what.substr(space) + "; nothing was changed");
  }
}

void check_alter_table(const Json& b) {
  if (b.value("objtype", "OBJECT_TABLE") != "OBJECT_TABLE")
    throw Untranslatable("ALTER " + b.value("objtype", std::string("OBJECT_?")).substr(7));
  for (const auto& cmd : member(b, "cmds")) {
    const Json& c = node_body(cmd);
    const std::string subtype = c.value("subtype", "");
    if (!supported_subtypes().count(subtype)) throw Untranslatable(describe_subtype(subtype));
    if (c.value("behavior", "") == "DROP_CASCADE") throw Untranslatable(describe_subtype(subtype) + " CASCADE");
    // Expressions and types are rendered now, so that what SQLite lacks stops the plan.
    const Json& def = node_at(c, "def");
    if (subtype == "AT_AddColumn") {
      Table scratch;
      scratch.name = "t";
      // The column's own constraints may name other columns; only the column itself is checked.
      Json col = node_body(def);
      add_column(scratch, col, nullptr);
    } else if (subtype == "AT_AddConstraint") {
      const Json& k = node_body(def);
      if (k.contains("raw_expr")) render_expr(k["raw_expr"]);
      if (k.value("contype", "") == "CONSTR_EXCLUSION") throw Untranslatable("EXCLUDE constraint");
      if (k.contains("initially_valid") && !k.value("initially_valid", true))
        throw Untranslatable("NOT VALID (SQLite checks every row when a constraint is added)");
      if (k.contains("indexname")) throw Untranslatable("ADD CONSTRAINT ... USING INDEX");
    } else if (subtype == "AT_ColumnDefault" && !def.is_null()) {
      render_expr(def);
    } else if (subtype == "AT_AlterColumnType") {
      const Json& cd = node_body(def);
      render_type(member(cd, "typeName"));
      if (cd.contains("raw_default")) render_expr(cd["raw_default"]);
      if (cd.contains("collClause")) throw Untranslatable("COLLATE");
    }
  }
}

namespace {

// One ALTER TABLE being translated: the table as it was, the rebuild it is turning into, and
// what must be checked against the rows before anything runs.
struct Alter {
  const Catalog& db;
  std::uint32_t line;
  const Table before;
  Rebuild r;
  EnumLookup enums;
  std::vector<Column> added_natively;
  std::vector<Constraint> new_rules;  // checked against the rows before anything runs
  std::vector<std::string> not_null_now;
  bool native = true;  // only ADD COLUMNs SQLite's own ALTER TABLE can take so far
  long long rows = -1;

  Alter(const Catalog& catalog, std::uint32_t at, const Table& table)
      : db(catalog), line(at), before(table), r(rebuild_of(table)), enums(catalog.enum_lookup()) {}
  Table& t() { return r.after; }
  long long row_count() {
    if (rows < 0) rows = db.count("SELECT count(*) FROM " + quote_name(before.name));
    return rows;
  }
};

void add_column_cmd(Alter& a, const Json& c, const Json& def) {
  Table& t = a.t();
  Json cd = node_body(def);
  const std::string new_name = cd.value("colname", "");
  if (t.column(new_name) != nullptr) {
    if (c.value("missing_ok", false)) return;
    fail(a.line, "column \"" + new_name + "\" of relation \"" + t.name + "\" already exists");
  }
  const std::size_t constraints_before = t.constraints.size();
  Table snapshot = t;
  try {
    add_column(t, cd, a.enums);
  } catch (const Untranslatable& e) {
    fail(a.line, std::string(e.what()) + " cannot be added on SQLite");
  }
  const Column& added = t.columns.back();
  for (std::size_t i = constraints_before; i < t.constraints.size(); ++i) a.new_rules.push_back(t.constraints[i]);
  if (added.not_null && added.default_sql.empty() && a.row_count() > 0)
    fail(a.line, "table \"" + t.name + "\": column \"" + added.name + "\" is NOT NULL without a default, and " +
                     rows_word(a.row_count()) + " would hold NULL in it; add a DEFAULT, or add the column " +
                     "nullable, fill it, then SET NOT NULL");
  if (a.native && native_add_column(snapshot, t, added))
    a.added_natively.push_back(added);
  else
    a.native = false;
}

void drop_column_cmd(Alter& a, const Json& c, const std::string& col) {
  Table& t = a.t();
  if (t.column(col) == nullptr) {
    if (c.value("missing_ok", false)) return;
    need_column(t, col, a.line);
  }
  // PostgreSQL drops the indexes and table constraints involving the column with it.
  t.columns.erase(std::remove_if(t.columns.begin(), t.columns.end(), [&](const Column& x) { return x.name == col; }),
                  t.columns.end());
  t.constraints.erase(std::remove_if(t.constraints.begin(), t.constraints.end(),
                                     [&](const Constraint& k) {
                                       return std::count(k.columns.begin(), k.columns.end(), col) > 0 ||
                                              k.check_refs.count(col) > 0;
                                     }),
                      t.constraints.end());
  a.r.copy.erase(std::remove_if(a.r.copy.begin(), a.r.copy.end(), [&](const auto& p) { return p.first == col; }),
                 a.r.copy.end());
  a.r.dropped_columns.insert(col);
}

void add_constraint_cmd(Alter& a, const Json& def) {
  Table& t = a.t();
  Json k = node_body(def);
  try {
    add_constraint(t, k);
  } catch (const Untranslatable& e) {
    fail(a.line, std::string(e.what()) + " cannot be added on SQLite");
  }
  const std::string name = k.value("conname", "");
  if (!name.empty() && std::count_if(t.constraints.begin(), t.constraints.end(),
                                     [&](const Constraint& x) { return x.name == name; }) > 1)
    fail(a.line, "constraint \"" + name + "\" for relation \"" + t.name + "\" already exists");
  a.new_rules.push_back(t.constraints.back());
}

void drop_constraint_cmd(Alter& a, const Json& c, const std::string& name) {
  Table& t = a.t();
  auto it = t.constraint(name);
  if (it == t.constraints.end()) {
    if (c.value("missing_ok", false)) return;
    fail(a.line, "constraint \"" + name + "\" of relation \"" + t.name + "\" does not exist");
  }
  t.constraints.erase(it);
}

void alter_column_type_cmd(Alter& a, const std::string& col, const Json& def) {
  Table& t = a.t();
  Column& x = need_column(t, col, a.line);
  const Json& cd = node_body(def);
  const Json& type_name = member(cd, "typeName");
  const std::string key = type_key(type_name);
  std::string source = cd.contains("raw_default") ? render_expr(cd["raw_default"]) : quote_name(col);
  // USING x::integer: SQLite's CAST turns what PostgreSQL refuses into 0, so what is checked
  // is whether x itself converts.
  std::string checked = source;
  if (cd.contains("raw_default") && node_type(cd["raw_default"]) == "TypeCast")
    checked = render_expr(node_at(node_body(cd["raw_default"]), "arg"));
  if (auto values = builtin_type(type_name) ? std::optional<std::vector<std::string>>() : a.enums(key)) {
    x.type = "text";
    x.enum_type = key;
    x.enum_values = *values;
    std::string list;
    for (const auto& v : *values) list += (list.empty() ? "" : ", ") + quote_text(v);
    long long bad = a.db.count("SELECT count(*) FROM " + quote_name(a.before.name) + " WHERE (" + source +
                               ") IS NOT NULL AND (" + source + ") NOT IN (" + list + ")");
    if (bad > 0)
      fail(a.line, "table \"" + t.name + "\", column \"" + col + "\": " + rows_word(bad) +
                       " hold a value that is not a label of " + key + "; nothing was changed");
  } else {
    x.enum_type.clear();
    x.enum_values.clear();
    x.type = render_type(type_name);
    const std::string predicate = unconvertible(checked, x.type);
    const std::string failing = "SELECT count(*) FROM " + quote_name(a.before.name) + " WHERE " + predicate;
    long long bad = predicate == "0" ? 0 : a.db.count(failing);
    if (predicate != "0")
      a.r.guards.emplace_back(t.name + "." + col + ": rows hold values that do not convert to " + x.type, failing);
    if (bad > 0)
      fail(a.line, "table \"" + t.name + "\", column \"" + col + "\": " + rows_word(bad) + " cannot be converted to " +
                       x.type + "; nothing was changed (give a USING expression that converts them)");
  }
  for (auto& p : a.r.copy)
    if (p.first == col) p.second = source;
}

// The rows must already satisfy what the statement adds: NOT NULL set now, and new rules on
// columns that were there (a new column is NULL or its default in every row, so its rules hold).
void check_rows_against_new_rules(Alter& a) {
  Table& t = a.t();
  for (const auto& col : a.not_null_now) {
    if (t.column(col) == nullptr) continue;
    long long nulls =
        a.db.count("SELECT count(*) FROM " + quote_name(a.before.name) + " WHERE " + quote_name(col) + " IS NULL");
    if (nulls > 0)
      fail(a.line, "table \"" + t.name + "\", column \"" + col + "\" (SET NOT NULL): " + rows_word(nulls) +
                       " hold NULL; nothing was changed");
  }
  auto on_old_columns = [&](const Constraint& k) {
    for (const auto& c : k.columns)
      if (a.before.column(c) == nullptr) return false;
    for (const auto& c : k.check_refs)
      if (a.before.column(c) == nullptr) return false;
    return true;
  };
  for (const auto& k : a.new_rules)
    if (t.constraint(k.name) != t.constraints.end() && on_old_columns(k)) check_rows(a.db, a.before, k, a.line, &a.r);
}

// The table an ALTER TABLE names; nothing for a missing one with IF EXISTS, else fails naming it.
std::optional<Table> altered_table(const Json& b, const Catalog& db, std::uint32_t line) {
  const std::string name = member(b, "relation").value("relname", "");
  auto found = db.table(name);
  if (!found && !b.value("missing_ok", false)) fail(line, "relation \"" + name + "\" does not exist");
  return found;
}

}  // namespace

bool sqlite_alter_form(const Json& b) {
  if (b.value("objtype", "") != "OBJECT_TABLE") return false;
  const Json& cmds = member(b, "cmds");
  if (cmds.size() != 1) return false;
  const std::string subtype = node_body(cmds[0]).value("subtype", "");
  return subtype == "AT_AddColumn" || subtype == "AT_DropColumn";
}

void translate_alter_table(const Json& b, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  auto found = altered_table(b, db, line);
  if (!found) return;
  Alter a(db, line, *found);
  for (const auto& cmd : member(b, "cmds")) {
    const Json& c = node_body(cmd);
    const std::string subtype = c.value("subtype", "");
    const std::string col = c.value("name", "");
    const Json& def = node_at(c, "def");
    if (subtype == "AT_AddColumn") {
      add_column_cmd(a, c, def);
      continue;
    }
    a.native = false;  // anything but ADD COLUMN rebuilds the table
    if (subtype == "AT_DropColumn") {
      drop_column_cmd(a, c, col);
    } else if (subtype == "AT_AddConstraint") {
      add_constraint_cmd(a, def);
    } else if (subtype == "AT_DropConstraint") {
      drop_constraint_cmd(a, c, col);
    } else if (subtype == "AT_SetNotNull") {
      need_column(a.t(), col, line).not_null = true;
      a.not_null_now.push_back(col);
    } else if (subtype == "AT_DropNotNull") {
      Column& x = need_column(a.t(), col, line);
      const Constraint* pk = a.t().primary_key();
      if (pk != nullptr && std::count(pk->columns.begin(), pk->columns.end(), col) > 0)
        fail(line, "column \"" + col + "\" is in a primary key");
      x.not_null = false;
    } else if (subtype == "AT_ColumnDefault") {
      Column& x = need_column(a.t(), col, line);
      x.default_sql = def.is_null() ? std::string() : render_expr(def);
      x.default_constant = def.is_null() || is_constant(def);
    } else if (subtype == "AT_AlterColumnType") {
      alter_column_type_cmd(a, col, def);
    }
  }
  check_rows_against_new_rules(a);
  if (a.native) {
    for (const Column& c : a.added_natively)
      out.statement("ALTER TABLE " + quote_name(a.t().name) + " ADD COLUMN " + render_column(c), line, 0);
    return;
  }
  emit_rebuild(db, a.r, out, line);
}

void translate_rename_constraint(const Json& b, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  auto found = altered_table(b, db, line);
  if (!found) return;
  const std::string name = member(b, "relation").value("relname", "");  // as written, for messages
  Rebuild r = rebuild_of(*found);
  const std::string from = b.value("subname", "");
  const std::string to = b.value("newname", "");
  auto it = r.after.constraint(from);
  if (it == r.after.constraints.end())
    fail(line, "constraint \"" + from + "\" of relation \"" + name + "\" does not exist");
  if (r.after.has_constraint(to)) fail(line, "constraint \"" + to + "\" for relation \"" + name + "\" already exists");
  it->name = to;
  emit_rebuild(db, r, out, line);
}

}  // namespace runner::sqlite
