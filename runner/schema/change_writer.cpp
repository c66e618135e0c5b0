// SPDX-License-Identifier: MIT
#include "runner/schema/change_writer.hpp"

#include "runner/schema/schema_compare.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

namespace runner {
namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // kind, table, name

// PostgreSQL's reserved key words: as names they must be quoted.
const std::set<std::string>& reserved() {
  static const std::set<std::string> words = {"all",
                                              "analyse",
                                              "analyze",
                                              "and",
                                              "any",
                                              "array",
                                              "as",
                                              "asc",
                                              "asymmetric",
                                              "authorization",
                                              "binary",
                                              "both",
                                              "case",
                                              "cast",
                                              "check",
                                              "collate",
                                              "collation",
                                              "column",
                                              "concurrently",
                                              "constraint",
                                              "create",
                                              "cross",
                                              "current_catalog",
                                              "current_date",
                                              "current_role",
                                              "current_schema",
                                              "current_time",
                                              "current_timestamp",
                                              "current_user",
                                              "default",
                                              "deferrable",
                                              "desc",
                                              "distinct",
                                              "do",
                                              "else",
                                              "end",
                                              "except",
                                              "false",
                                              "fetch",
                                              "for",
                                              "foreign",
                                              "freeze",
                                              "from",
                                              "full",
                                              "grant",
                                              "group",
                                              "having",
                                              "ilike",
                                              "in",
                                              "initially",
                                              "inner",
                                              "intersect",
                                              "into",
                                              "is",
                                              "isnull",
                                              "join",
                                              "lateral",
                                              "leading",
                                              "left",
                                              "like",
                                              "limit",
                                              "localtime",
                                              "localtimestamp",
                                              "natural",
                                              "not",
                                              "notnull",
                                              "null",
                                              "offset",
                                              "on",
                                              "only",
                                              "or",
                                              "order",
                                              "outer",
                                              "overlaps",
                                              "placing",
                                              "primary",
                                              "references",
                                              "returning",
                                              "right",
                                              "select",
                                              "session_user",
                                              "similar",
                                              "some",
                                              "symmetric",
                                              "system_user",
                                              "table",
                                              "tablesample",
                                              "then",
                                              "to",
                                              "trailing",
                                              "true",
                                              "union",
                                              "unique",
                                              "user",
                                              "using",
                                              "variadic",
                                              "verbose",
                                              "when",
                                              "where",
                                              "window",
                                              "with"};
  return words;
}

std::string literal(const std::string& value) {
  std::string q = "'";
  for (char c : value) {
    if (c == '\'') q.push_back('\'');
    q.push_back(c);
  }
  return q + "'";
}

struct Side {
  std::map<Key, const SchemaObject*> by_key;
  explicit Side(const Schema& s) {
    for (const auto& o : s.objects) by_key.emplace(Key{o.kind, o.table, o.name}, &o);
  }
  const SchemaObject* get(const std::string& kind, const std::string& table, const std::string& name) const {
    auto it = by_key.find(Key{kind, table, name});
    return it == by_key.end() ? nullptr : it->second;
  }
  std::vector<const SchemaObject*> of(const std::string& kind) const {
    std::vector<const SchemaObject*> out;
    for (const auto& [k, o] : by_key)
      if (std::get<0>(k) == kind) out.push_back(o);
    return out;
  }
  std::vector<const SchemaObject*> of_table(const std::string& kind, const std::string& table) const {
    std::vector<const SchemaObject*> out;
    for (const auto& [k, o] : by_key)
      if (std::get<0>(k) == kind && std::get<1>(k) == table) out.push_back(o);
    return out;
  }
};

std::string column_sql(const SchemaObject& c) {
  std::string s = sql_identifier(c.name) + " " + c.value("type");
  if (!c.value("collation").empty()) s += " COLLATE " + c.value("collation");
  const std::string identity = c.value("identity");
  if (identity == "always") s += " GENERATED ALWAYS AS IDENTITY";
  if (identity == "by default") s += " GENERATED BY DEFAULT AS IDENTITY";
  if (!c.value("default").empty()) s += " DEFAULT " + c.value("default");
  if (c.value("not_null") == "1") s += " NOT NULL";
  return s;
}

std::string constraint_sql(const SchemaObject& k) {
  return "ALTER TABLE " + sql_identifier(k.table) + " ADD CONSTRAINT " + sql_identifier(k.name) + " " +
         k.value("definition") + (k.value("validated") == "0" ? " NOT VALID" : "");
}

// Whether `a` keeps its order inside `b` (each label of a that b has, in a's order).
bool keeps_order(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> common;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) common.push_back(x);
  std::vector<std::string> in_b;
  for (const auto& x : b)
    if (std::find(a.begin(), a.end(), x) != a.end()) in_b.push_back(x);
  return common == in_b;
}

class Writer {
 public:
  Writer(const Schema& from, const Schema& to) : a_(from), b_(to) {}

  ChangeScript run() {
    plan_tables();
    plan_views();
    drop_views();
    drop_constraints();
    drop_indexes();
    create_extensions();
    change_enums_before();
    create_sequences();
    create_tables();
    change_columns();
    add_constraints(false);
    drop_columns();
    drop_tables();
    drop_sequences();
    change_enums_after();
    create_views();
    create_indexes();
    add_constraints(true);
    owned_sequences();
    not_generated();
    for (const auto& label : added_labels_)
      for (std::size_t i = added_at_; i < out_.statements.size(); ++i)
        if (out_.statements[i].rfind("ALTER TYPE ", 0) != 0 &&
            out_.statements[i].find(literal(label)) != std::string::npos)
          out_.needs_no_transaction = true;
    return std::move(out_);
  }

 private:
  void emit(const std::string& sql, const std::string& comment = "") {
    out_.statements.push_back((comment.empty() ? "" : comment + "\n") + sql);
  }
  void skip(const std::string& what) { out_.not_generated.push_back(what); }

  bool changed(const SchemaObject& x, const SchemaObject& y) const { return !differing_fields(x, y).empty(); }

  // Tables whose columns change type or go (the views reading them are made again), and the
  // foreign keys to drop and add again around a key they rely on that changes.
  void plan_tables() {
    for (const auto* c : a_.of("column")) {
      if (b_.get("table", "", c->table) == nullptr) continue;
      const SchemaObject* now = b_.get("column", c->table, c->name);
      if (now == nullptr) {
        altered_tables_.insert(c->table);
        continue;
      }
      const auto fields = differing_fields(*c, *now);
      if (std::find(fields.begin(), fields.end(), "type") != fields.end()) altered_tables_.insert(c->table);
    }
    std::set<std::string> rekeyed;  // tables whose primary or unique keys change or go
    for (const auto* k : a_.of("constraint")) {
      const std::string type = k->value("contype");
      if (type != "primary" && type != "unique") continue;
      const SchemaObject* l = b_.get("constraint", k->table, k->name);
      if (l == nullptr || changed(*k, *l)) rekeyed.insert(k->table);
    }
    for (const auto* k : a_.of("constraint"))
      if (k->value("contype") == "foreign" && rekeyed.count(k->value("ref_table")) &&
          b_.get("table", "", k->table) != nullptr)
        rekeyed_fks_.insert({k->table, k->name});
  }

  // Views to drop first (removed, changed, reading a table whose columns change, or reading one of
  // those) and to create last.
  void plan_views() {
    for (const auto* v : a_.of("view")) {
      const SchemaObject* w = b_.get("view", "", v->name);
      bool reads_altered = false;
      for (const auto& d : v->values("depends")) reads_altered = reads_altered || altered_tables_.count(d) > 0;
      if (w == nullptr || changed(*v, *w) || reads_altered) drop_views_.insert(v->name);
    }
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto* v : a_.of("view"))
        if (!drop_views_.count(v->name))
          for (const auto& d : v->values("depends"))
            if (drop_views_.count(d) && b_.get("view", "", v->name) != nullptr) {
              drop_views_.insert(v->name);
              grew = true;
            }
    }
    for (const auto* w : b_.of("view"))
      if (a_.get("view", "", w->name) == nullptr || drop_views_.count(w->name)) create_views_.insert(w->name);
  }

  void drop_views() {
    // Dependents first: a view another reads goes after it.
    std::vector<std::string> order;
    std::set<std::string> done;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
      if (done.count(name)) return;
      done.insert(name);
      for (const auto* v : a_.of("view"))
        if (drop_views_.count(v->name))
          for (const auto& d : v->values("depends"))
            if (d == name) visit(v->name);
      order.push_back(name);
    };
    for (const auto& name : drop_views_) visit(name);
    for (const auto& name : order) {
      const SchemaObject* v = a_.get("view", "", name);
      emit(std::string("DROP ") + (v->value("materialized") == "1" ? "MATERIALIZED " : "") + "VIEW " +
           sql_identifier(name));
    }
  }

  // Foreign keys first: a key they rely on may go next.
  void drop_constraints() {
    for (const bool foreign : {true, false})
      for (const auto* k : a_.of("constraint")) {
        if ((k->value("contype") == "foreign") != foreign) continue;
        if (b_.get("table", "", k->table) == nullptr) continue;  // goes with its table
        const SchemaObject* l = b_.get("constraint", k->table, k->name);
        if (l != nullptr && !changed(*k, *l) && !rekeyed_fks_.count({k->table, k->name})) continue;
        emit("ALTER TABLE " + sql_identifier(k->table) + " DROP CONSTRAINT " + sql_identifier(k->name));
      }
  }

  void drop_indexes() {
    for (const auto* i : a_.of("index")) {
      if (b_.get("table", "", i->table) == nullptr && b_.get("view", "", i->table) == nullptr) continue;
      const SchemaObject* j = b_.get("index", i->table, i->name);
      if (j != nullptr && !changed(*i, *j)) continue;
      emit("DROP INDEX " + sql_identifier(i->name));
    }
  }

  void create_extensions() {
    for (const auto* e : b_.of("extension"))
      if (a_.get("extension", "", e->name) == nullptr)
        for (const auto& sql : e->create) emit(sql);
  }

  void change_enums_before() {
    for (const auto* e : b_.of("enum")) {
      const SchemaObject* old = a_.get("enum", "", e->name);
      if (old == nullptr) {
        for (const auto& sql : e->create) emit(sql);
        continue;
      }
      const std::vector<std::string> was = old->values("label"), now = e->values("label");
      if (was == now) continue;
      if (!keeps_order(was, now)) {
        skip("enum " + e->name + ": labels reordered (" + join(was) + " to " + join(now) + ")");
        continue;
      }
      if (added_labels_.empty()) added_at_ = out_.statements.size();
      for (std::size_t i = 0; i < now.size(); ++i) {
        if (std::find(was.begin(), was.end(), now[i]) != was.end()) continue;
        // Placed before the next label that exists already, else at the end: never beside one this
        // script adds (PostgreSQL would have to see it committed first).
        std::string where;
        for (std::size_t j = i + 1; j < now.size() && where.empty(); ++j)
          if (std::find(was.begin(), was.end(), now[j]) != was.end()) where = " BEFORE " + literal(now[j]);
        emit("ALTER TYPE " + sql_identifier(e->name) + " ADD VALUE " + literal(now[i]) + where);
        added_labels_.push_back(now[i]);
      }
    }
  }

  void change_enums_after() {
    for (const auto* e : a_.of("enum")) {
      const SchemaObject* now = b_.get("enum", "", e->name);
      if (now == nullptr) {
        emit("DROP TYPE " + sql_identifier(e->name), "-- destructive: drops type " + e->name);
        out_.destructive = true;
        continue;
      }
      const std::vector<std::string> was = e->values("label"), is = now->values("label");
      if (!keeps_order(was, is)) continue;  // listed as not generated
      for (const auto& label : was)
        if (std::find(is.begin(), is.end(), label) == is.end()) {
          // runner's own statement: the dialect refuses it while a row holds the label.
          emit("ALTER TYPE " + sql_identifier(e->name) + " DROP VALUE " + literal(label),
               "-- destructive: rows holding " + literal(label) + " must be changed first");
          out_.destructive = true;
        }
    }
  }

  void create_sequences() {
    for (const auto* s : b_.of("sequence")) {
      const SchemaObject* old = a_.get("sequence", "", s->name);
      if (old == nullptr) {
        for (const auto& sql : s->create) emit(sql);
      } else if (changed(*old, *s)) {
        skip("sequence " + s->name + " differs");
      }
    }
  }

  void owned_sequences() {
    for (const auto* s : b_.of("sequence"))
      if (a_.get("sequence", "", s->name) == nullptr)
        for (const auto& sql : s->after) emit(sql);
  }

  void drop_sequences() {
    for (const auto* s : a_.of("sequence"))
      if (b_.get("sequence", "", s->name) == nullptr)
        // A serial's sequence went with its column already.
        emit("DROP SEQUENCE IF EXISTS " + sql_identifier(s->name));
  }

  // New tables, each after the ones it depends on (a partition after its parent).
  void create_tables() {
    for (const auto* t : b_.of("table"))
      if (a_.get("table", "", t->name) == nullptr) new_tables_.insert(t->name);
    std::set<std::string> done;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
      if (done.count(name) || !new_tables_.count(name)) return;
      done.insert(name);
      const SchemaObject* t = b_.get("table", "", name);
      for (const auto& d : t->values("depends")) visit(d);
      for (const auto& sql : t->create) emit(sql);
    };
    for (const auto& name : new_tables_) visit(name);
    // What else makes a kept table (partitioning, inheritance, storage) is not generated.
    for (const auto* t : b_.of("table")) {
      const SchemaObject* old = a_.get("table", "", t->name);
      if (old == nullptr) continue;
      for (const auto& field : differing_fields(*old, *t)) skip("table " + t->name + ": " + field + " changes");
    }
  }

  // In one statement, so that foreign keys between them and partitions of each other are no
  // matter of order.
  void drop_tables() {
    std::string names, list;
    for (const auto* t : a_.of("table"))
      if (b_.get("table", "", t->name) == nullptr) {
        names += (names.empty() ? "" : ", ") + sql_identifier(t->name);
        list += (list.empty() ? "" : ", ") + t->name;
      }
    if (names.empty()) return;
    emit("DROP TABLE " + names, "-- destructive: drops " + list + " and all their rows");
    out_.destructive = true;
  }

  void change_columns() {
    for (const auto* c : b_.of("column")) {
      if (new_tables_.count(c->table)) continue;
      const SchemaObject* old = a_.get("column", c->table, c->name);
      const std::string table = sql_identifier(c->table), column = sql_identifier(c->name);
      if (old == nullptr) {
        if (!c->value("generated").empty()) {
          skip("column " + c->table + "." + c->name + ": a generated column");
          continue;
        }
        emit("ALTER TABLE " + table + " ADD COLUMN " + column_sql(*c),
             c->value("not_null") == "1" && c->value("default").empty() && c->value("identity").empty()
                 ? "-- fails on a table with rows: add it with a DEFAULT, or nullable, fill it, then SET NOT NULL"
                 : "");
        continue;
      }
      const auto fields = differing_fields(*old, *c);
      const auto has = [&](const char* f) { return std::find(fields.begin(), fields.end(), f) != fields.end(); };
      const std::string alter = "ALTER TABLE " + table + " ALTER COLUMN " + column;
      const bool retype = has("type") || has("collation");
      if (retype) {
        // The old default may not cast to the new type: off first, the new one after.
        if (!old->value("default").empty()) emit(alter + " DROP DEFAULT");
        const std::string collate =
            has("collation")
                ? " COLLATE " + (c->value("collation").empty() ? std::string("\"default\"") : c->value("collation"))
            : c->value("collation").empty() ? ""
                                            : " COLLATE " + c->value("collation");
        emit(alter + " TYPE " + c->value("type") + collate +
                 (has("type") ? " USING " + column + "::" + c->value("type") : ""),
             has("type") ? "-- " + c->table + "." + c->name + ": " + old->value("type") + " to " + c->value("type")
                         : "");
        if (!c->value("default").empty()) emit(alter + " SET DEFAULT " + c->value("default"));
      } else if (has("default")) {
        emit(c->value("default").empty() ? alter + " DROP DEFAULT" : alter + " SET DEFAULT " + c->value("default"));
      }
      if (has("not_null")) emit(alter + (c->value("not_null") == "1" ? " SET NOT NULL" : " DROP NOT NULL"));
      for (const auto& field : fields)
        if (field != "type" && field != "collation" && field != "default" && field != "not_null")
          skip("column " + c->table + "." + c->name + ": " + field + " changes");
    }
  }

  void drop_columns() {
    for (const auto* c : a_.of("column")) {
      if (b_.get("table", "", c->table) == nullptr) continue;
      if (b_.get("column", c->table, c->name) != nullptr) continue;
      std::string comment = "-- destructive: drops column " + c->table + "." + c->name + " and its values";
      // Renames are not guessed; a column of the same type added to the table may be this one.
      for (const auto* n : b_.of_table("column", c->table))
        if (a_.get("column", c->table, n->name) == nullptr && n->value("type") == c->value("type"))
          comment += "\n-- if " + c->name + " became " + n->name + ", write instead: ALTER TABLE " +
                     sql_identifier(c->table) + " RENAME COLUMN " + sql_identifier(c->name) + " TO " +
                     sql_identifier(n->name) + " (and drop the ADD COLUMN above)";
      emit("ALTER TABLE " + sql_identifier(c->table) + " DROP COLUMN " + sql_identifier(c->name), comment);
      out_.destructive = true;
    }
  }

  // Constraints that need no other table (keys, checks) first; foreign keys once every table is.
  void add_constraints(bool foreign) {
    for (const auto* k : b_.of("constraint")) {
      if ((k->value("contype") == "foreign") != foreign) continue;
      if (new_tables_.count(k->table)) {
        for (const auto& sql : k->after) emit(sql);  // not in its table's CREATE
        continue;
      }
      const SchemaObject* old = a_.get("constraint", k->table, k->name);
      if (old != nullptr && !changed(*old, *k) && !rekeyed_fks_.count({k->table, k->name})) continue;
      emit(constraint_sql(*k));
    }
  }

  void create_indexes() {
    for (const auto* i : b_.of("index")) {
      const SchemaObject* old = a_.get("index", i->table, i->name);
      if (old != nullptr && !changed(*old, *i) && !new_tables_.count(i->table) && !create_views_.count(i->table))
        continue;
      for (const auto& sql : i->create) emit(sql);
    }
  }

  void create_views() {
    std::vector<std::string> order;
    std::set<std::string> done;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
      if (done.count(name) || !create_views_.count(name)) return;
      done.insert(name);
      for (const auto& d : b_.get("view", "", name)->values("depends")) visit(d);
      order.push_back(name);
    };
    for (const auto& name : create_views_) visit(name);
    for (const auto& name : order)
      for (const auto& sql : b_.get("view", "", name)->create) emit(sql);
  }

  void not_generated() {
    for (const char* kind : {"function", "trigger", "extension"}) {
      for (const auto* o : b_.of(kind)) {
        const SchemaObject* old = a_.get(kind, o->table, o->name);
        if (old == nullptr && std::string(kind) != "extension")
          skip(std::string(kind) + " " + o->name + " is new");
        else if (old != nullptr && changed(*old, *o))
          skip(std::string(kind) + " " + o->name + " differs");
      }
      for (const auto* o : a_.of(kind))
        if (b_.get(kind, o->table, o->name) == nullptr) skip(std::string(kind) + " " + o->name + " is gone");
    }
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
  }

  Side a_, b_;
  ChangeScript out_;
  std::set<std::string> new_tables_;
  std::set<std::string> altered_tables_;
  std::set<std::pair<std::string, std::string>> rekeyed_fks_;  // table, name
  std::set<std::string> drop_views_, create_views_;
  std::vector<std::string> added_labels_;
  std::size_t added_at_ = 0;
};

}  // namespace

std::string sql_identifier(const std::string& name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (plain && !reserved().count(name)) return name;
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q.push_back('"');
    q.push_back(c);
  }
  return q + "\"";
}

ChangeScript write_changes(const Schema& from, const Schema& to) { return Writer(from, to).run(); }

std::string change_file_text(const ChangeScript& script, const std::vector<std::string>& header) {
  std::string out;
  // Every line a comment, also of a message of several lines: none may become SQL.
  const auto comment = [&out](const std::string& text) {
    std::string::size_type from = 0;
    for (auto nl = text.find('\n');; nl = text.find('\n', from)) {
      out += "-- " + text.substr(from, nl == std::string::npos ? std::string::npos : nl - from) + "\n";
      if (nl == std::string::npos) break;
      from = nl + 1;
    }
  };
  for (const auto& h : header) comment(h);
  if (script.needs_no_transaction)
    out +=
        "-- An enum value added here is used below, which PostgreSQL allows only once it is committed:\n"
        "-- runner:no-transaction\n";
  for (const auto& n : script.not_generated) comment("not generated (write it by hand): " + n);
  for (const auto& s : script.statements) out += "\n" + s + ";\n";
  return out;
}

}  // namespace runner
