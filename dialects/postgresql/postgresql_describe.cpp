// SPDX-License-Identifier: MIT
#include "postgresql_describe.hpp"

#include "plugins/sdk/sql_text.hpp"

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace runner::postgresql {
namespace {

using Row = std::vector<std::optional<std::string>>;

std::vector<Row> rows(const runner_query* db, const std::string& sql) {
  std::vector<Row> out;
  sdk::query_rows(db, sql, [&](std::uint32_t n, const char* const* values) {
    Row r;
    for (std::uint32_t i = 0; i < n; ++i)
      r.push_back(values[i] != nullptr ? std::optional<std::string>(values[i]) : std::nullopt);
    out.push_back(std::move(r));
  });
  return out;
}

std::string text(const Row& r, std::size_t i) { return i < r.size() && r[i] ? *r[i] : std::string(); }
bool yes(const Row& r, std::size_t i) { return text(r, i) == "t"; }

std::string trim_end(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == ';')) s.pop_back();
  return s;
}

// Not an object an extension brought (its functions, types, tables): the extension is listed.
std::string not_from_extension(const std::string& catalog, const std::string& oid) {
  return "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = " + oid +
         " AND e.deptype = 'e')";
}

struct TableInfo {
  std::string quoted;  // the name as SQL writes it (regclass text: unqualified in its schema)
  char kind = 'r';
  bool partition = false;
  bool unlogged = false;
  std::string bound;                 // FOR VALUES ... of a partition
  std::string partkey;               // PARTITION BY ... of a partitioned table
  std::vector<std::string> parents;  // quoted
  std::vector<std::string> parent_names;
  std::vector<std::string> elements;  // columns, then constraints written inside CREATE TABLE
  std::string options;                // storage parameters (fillfactor=50), as reloptions lists them
};

const char* contype_name(const std::string& c) {
  if (c == "p") return "primary";
  if (c == "u") return "unique";
  if (c == "c") return "check";
  if (c == "f") return "foreign";
  return "exclusion";
}

class Reader {
 public:
  Reader(const runner_query* db, const sdk::Sink& out, std::string ns, std::string qualifier)
      : db_(db), out_(out), ns_(std::move(ns)), qualifier_(std::move(qualifier)) {}

  void run() {
    extensions();
    enums();
    sequences();
    functions();
    tables();
    views();
    indexes();
    triggers();
  }

 private:
  void object(const char* kind, const std::string& name) const {
    out_.field("object", kind);
    out_.field("name", name);
  }

  void extensions() {
    for (const auto& r : rows(db_,
                              "SELECT extname, quote_ident(extname), extversion FROM pg_extension "
                              "WHERE extname <> 'plpgsql' ORDER BY extname")) {
      object("extension", text(r, 0));
      out_.field("definition", "version " + text(r, 2));
      out_.field("create", "CREATE EXTENSION IF NOT EXISTS " + text(r, 1));
    }
  }

  void enums() {
    std::string current;
    std::string create;
    const auto flush = [&] {
      if (!current.empty()) out_.field("create", create + ")");
    };
    for (const auto& r :
         rows(db_,
              "SELECT t.typname, t.oid::regtype::text, e.enumlabel, quote_literal(e.enumlabel) FROM pg_type t "
              "JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = " +
                  ns_ + " AND " + not_from_extension("pg_type", "t.oid") + " ORDER BY t.typname, e.enumsortorder")) {
      if (text(r, 0) != current) {
        flush();
        current = text(r, 0);
        object("enum", current);
        create = "CREATE TYPE " + text(r, 1) + " AS ENUM (";
      } else {
        create += ", ";
      }
      out_.field("label", text(r, 2));
      create += text(r, 3);
    }
    flush();
  }

  void sequences() {
    // Identity columns' sequences belong to their column; a serial's is listed, owned by it.
    for (const auto& r :
         rows(db_,
              "SELECT c.relname, c.oid::regclass::text, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, "
              "s.seqmin, s.seqmax, s.seqcache, s.seqcycle, (SELECT t.oid::regclass::text || '.' || "
              "quote_ident(a.attname) "
              "FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = d.refobjid "
              "AND a.attnum = d.refobjsubid WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
              "d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1) FROM pg_class c JOIN pg_sequence s ON "
              "s.seqrelid = c.oid WHERE c.relkind = 'S' AND c.relnamespace = " +
                  ns_ +
                  " AND c.relname !~ '^runner_' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
                  "'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('i', 'e')) ORDER BY c.relname")) {
      object("sequence", text(r, 0));
      const std::string params = "AS " + text(r, 2) + " START WITH " + text(r, 3) + " INCREMENT BY " + text(r, 4) +
                                 " MINVALUE " + text(r, 5) + " MAXVALUE " + text(r, 6) + " CACHE " + text(r, 7) +
                                 (yes(r, 8) ? " CYCLE" : " NO CYCLE");
      const std::string owner = text(r, 9);
      out_.field("definition", params + (owner.empty() ? "" : " OWNED BY " + owner));
      out_.field("create", "CREATE SEQUENCE " + text(r, 1) + " " + params);
      if (!owner.empty()) out_.field("after", "ALTER SEQUENCE " + text(r, 1) + " OWNED BY " + owner);
    }
  }

  void functions() {
    // Aggregates have no pg_get_functiondef: listed by name and their final function, if any.
    for (const auto& r : rows(db_,
                              "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', "
                              "pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = " +
                                  ns_ + " AND p.prokind IN ('f', 'p', 'w') AND " +
                                  not_from_extension("pg_proc", "p.oid") + " ORDER BY 1")) {
      object("function", text(r, 0));
      // pg_get_functiondef names the function with its schema whatever search_path says.
      std::string def = trim_end(text(r, 1));
      for (const char* kind : {"FUNCTION ", "PROCEDURE "}) {
        const auto at = def.find(kind + qualifier_);
        if (at != std::string::npos && at < def.find('(')) {
          def.erase(at + std::char_traits<char>::length(kind), qualifier_.size());
          break;
        }
      }
      out_.field("definition", def);
      out_.field("create", def);
    }
  }

  void tables() {
    std::map<std::string, TableInfo> tables;
    for (const auto& r : rows(db_,
                              "SELECT c.relname, c.oid::regclass::text, c.relkind, c.relispartition, "
                              "pg_get_expr(c.relpartbound, c.oid), CASE WHEN c.relkind = 'p' THEN "
                              "pg_get_partkeydef(c.oid) END, c.relpersistence, array_to_string(c.reloptions, ', ') "
                              "FROM pg_class c WHERE c.relnamespace = " +
                                  ns_ + " AND c.relkind IN ('r', 'p') AND c.relname !~ '^runner_' AND " +
                                  not_from_extension("pg_class", "c.oid"))) {
      TableInfo& t = tables[text(r, 0)];
      t.quoted = text(r, 1);
      t.kind = text(r, 2).empty() ? 'r' : text(r, 2)[0];
      t.partition = yes(r, 3);
      t.bound = text(r, 4);
      t.partkey = text(r, 5);
      t.unlogged = text(r, 6) == "u";
      t.options = text(r, 7);
    }
    for (const auto& r :
         rows(db_,
              "SELECT c.relname, p.oid::regclass::text, p.relname FROM pg_inherits i JOIN pg_class c ON "
              "c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE c.relnamespace = " +
                  ns_ + " AND c.relkind IN ('r', 'p') ORDER BY c.relname, i.inhseqno")) {
      auto t = tables.find(text(r, 0));
      if (t == tables.end()) continue;
      t->second.parents.push_back(text(r, 1));
      t->second.parent_names.push_back(text(r, 2));
    }
    columns(tables);
    constraints(tables);
    for (const auto& [name, t] : tables) {
      object("table", name);
      // What a table is beyond its columns: compared, so that drift sees it changed.
      for (const auto& p : t.parent_names) {
        out_.field("depends", p);
        out_.field(t.partition ? "partition_of" : "inherits", p);
      }
      if (!t.bound.empty()) out_.field("partition_bound", t.bound);
      if (!t.partkey.empty()) out_.field("partition_key", t.partkey);
      if (t.unlogged) out_.field("unlogged", "1");
      if (!t.options.empty()) out_.field("options", t.options);
      std::string create = std::string("CREATE ") + (t.unlogged ? "UNLOGGED " : "") + "TABLE " + t.quoted;
      if (t.partition && !t.parents.empty()) {
        create += " PARTITION OF " + t.parents.front();
        if (!t.elements.empty()) create += " (" + join(t.elements, ",\n    ", "\n    ") + "\n)";
        create += " " + t.bound;
      } else {
        create += " (" + join(t.elements, ",\n    ", "\n    ") + (t.elements.empty() ? ")" : "\n)");
        if (!t.parents.empty()) create += " INHERITS (" + join(t.parents, ", ", "") + ")";
      }
      if (!t.partkey.empty()) create += " PARTITION BY " + t.partkey;
      if (!t.options.empty()) create += " WITH (" + t.options + ")";
      out_.field("create", create);
    }
  }

  static std::string join(const std::vector<std::string>& parts, const std::string& sep, const std::string& lead) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? lead : sep) + parts[i];
    return out;
  }

  void columns(std::map<std::string, TableInfo>& tables) {
    // Columns a table inherits are its parent's: only the ones it declares itself are its own.
    for (const auto& r : rows(
             db_,
             "SELECT c.relname, a.attname, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), "
             "a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, a.attidentity, "
             "CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END, CASE WHEN a.attcollation <> 0 "
             "AND a.attcollation <> t.typcollation THEN quote_ident(co.collname) END, a.attislocal, "
             // An identity's sequence options: the ids it hands out.
             "(SELECT 'START WITH ' || s.seqstart || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin || "
             "' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END "
             "FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid WHERE dep.classid = 'pg_class'::regclass "
             "AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i' LIMIT 1) "
             "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid "
             "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum LEFT JOIN pg_collation co ON "
             "co.oid = a.attcollation WHERE c.relnamespace = " +
                 ns_ +
                 " AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum")) {
      auto t = tables.find(text(r, 0));
      if (t == tables.end() || !yes(r, 9)) continue;
      object("column", text(r, 1));
      out_.field("table", text(r, 0));
      out_.field("type", text(r, 3));
      out_.field("not_null", yes(r, 4) ? "1" : "0");
      std::string element = text(r, 2) + " " + text(r, 3);
      if (r[8]) {
        out_.field("collation", text(r, 8));
        element += " COLLATE " + text(r, 8);
      }
      if (r[7]) {
        out_.field("generated", text(r, 7));
        element += " GENERATED ALWAYS AS (" + text(r, 7) + ") STORED";
      }
      const std::string identity = text(r, 6);
      if (identity == "a" || identity == "d") {
        out_.field("identity", identity == "a" ? "always" : "by default");
        out_.field("identity_options", text(r, 10));
        element +=
            std::string(identity == "a" ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY") +
            (r[10] ? " (" + text(r, 10) + ")" : "");
      }
      if (r[5]) {
        out_.field("default", text(r, 5));
        element += " DEFAULT " + text(r, 5);
      }
      if (yes(r, 4)) element += " NOT NULL";
      if (!t->second.partition) t->second.elements.push_back(element);
    }
  }

  void constraints(std::map<std::string, TableInfo>& tables) {
    // Constraints a partition or child inherits are its parent's (conparentid, conislocal).
    for (const auto& r : rows(db_,
                              "SELECT cl.relname, co.conname, quote_ident(co.conname), co.contype, "
                              "pg_get_constraintdef(co.oid, true), co.convalidated, (SELECT f.relname FROM pg_class f "
                              "WHERE f.oid = co.confrelid) FROM pg_constraint co JOIN pg_class "
                              "cl ON cl.oid = co.conrelid WHERE cl.relnamespace = " +
                                  ns_ +
                                  " AND cl.relkind IN ('r', 'p') AND co.contype IN ('p', 'u', 'c', 'f', 'x') AND "
                                  "co.conislocal AND co.conparentid = 0 ORDER BY cl.relname, co.conname")) {
      auto t = tables.find(text(r, 0));
      if (t == tables.end()) continue;
      const std::string type = text(r, 3);
      const bool validated = yes(r, 5);
      std::string def = text(r, 4);
      const std::string not_valid = " NOT VALID";
      if (!validated && def.size() > not_valid.size() &&
          def.compare(def.size() - not_valid.size(), not_valid.size(), not_valid) == 0)
        def.erase(def.size() - not_valid.size());
      object("constraint", text(r, 1));
      out_.field("table", text(r, 0));
      out_.field("contype", contype_name(type));
      out_.field("definition", def);
      if (!validated) out_.field("validated", "0");
      if (type == "f") out_.field("ref_table", text(r, 6));
      // A foreign key needs the table it references; a NOT VALID constraint exists only as added
      // after the table (CREATE TABLE validates what it declares).
      if (type == "f" || !validated || t->second.partition)
        out_.field("after", "ALTER TABLE " + t->second.quoted + " ADD CONSTRAINT " + text(r, 2) + " " + text(r, 4));
      else
        t->second.elements.push_back("CONSTRAINT " + text(r, 2) + " " + def);
    }
  }

  void views() {
    std::map<std::string, std::vector<std::string>> depends;
    for (const auto& r :
         rows(db_,
              "SELECT DISTINCT v.relname, r.relname FROM pg_rewrite w JOIN pg_class v ON v.oid = w.ev_class JOIN "
              "pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = "
              "'pg_class'::regclass JOIN pg_class r ON r.oid = d.refobjid WHERE v.relnamespace = " +
                  ns_ + " AND v.relkind IN ('v', 'm') AND r.relnamespace = " + ns_ +
                  " AND r.relkind IN ('r', 'p', 'v', 'm') AND r.oid <> v.oid ORDER BY 1, 2"))
      depends[text(r, 0)].push_back(text(r, 1));
    for (const auto& r : rows(db_,
                              "SELECT c.relname, c.oid::regclass::text, c.relkind, pg_get_viewdef(c.oid, true), "
                              "array_to_string(c.reloptions, ', ') FROM pg_class c WHERE c.relnamespace = " +
                                  ns_ + " AND c.relkind IN ('v', 'm') AND " + not_from_extension("pg_class", "c.oid") +
                                  " ORDER BY c.relname")) {
      const bool materialized = text(r, 2) == "m";
      object("view", text(r, 0));
      const std::string def = trim_end(text(r, 3));
      out_.field("definition", def);
      if (materialized) out_.field("materialized", "1");
      // security_invoker, security_barrier, check_option: how the view behaves.
      const std::string options = text(r, 4);
      if (!options.empty()) out_.field("options", options);
      for (const auto& d : depends[text(r, 0)]) out_.field("depends", d);
      out_.field("create", std::string("CREATE ") + (materialized ? "MATERIALIZED " : "") + "VIEW " + text(r, 1) +
                               (options.empty() ? "" : " WITH (" + options + ")") + " AS\n" + def +
                               (materialized ? "\nWITH NO DATA" : ""));
    }
  }

  void indexes() {
    // An index backing a constraint is the constraint's; one a partition inherits is its parent's.
    for (const auto& r :
         rows(db_,
              "SELECT t.relname, i.relname, pg_get_indexdef(i.oid), x.indisunique FROM pg_index x JOIN pg_class i ON "
              "i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = " +
                  ns_ +
                  " AND t.relkind IN ('r', 'p', 'm') AND t.relname !~ '^runner_' AND NOT EXISTS (SELECT 1 FROM "
                  "pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', "
                  "'u', 'x')) AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = x.indexrelid) AND " +
                  not_from_extension("pg_class", "t.oid") + " ORDER BY i.relname")) {
      // pg_get_indexdef names the table with its schema whatever search_path says: the schema is
      // the one being read, so the name stands alone, as everywhere else in the dump.
      std::string def = text(r, 2);
      // ON ONLY is how PostgreSQL writes a partitioned table's index, which it then attaches to
      // each partition's own: created without ONLY, it builds those as well, as it first did.
      for (const char* on : {" ON ONLY ", " ON "}) {
        const auto at = def.find(on + qualifier_);
        if (at != std::string::npos) {
          def.replace(at, std::char_traits<char>::length(on) + qualifier_.size(), " ON ");
          break;
        }
      }
      object("index", text(r, 1));
      out_.field("table", text(r, 0));
      out_.field("definition", def);
      out_.field("unique", yes(r, 3) ? "1" : "0");
      out_.field("create", def);
    }
  }

  void triggers() {
    for (const auto& r : rows(db_,
                              "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid, true), t.tgenabled, "
                              "c.oid::regclass::text, quote_ident(t.tgname) FROM pg_trigger t JOIN "
                              "pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = " +
                                  ns_ +
                                  " AND NOT t.tgisinternal AND t.tgparentid = 0 AND c.relname !~ '^runner_' "
                                  "ORDER BY c.relname, t.tgname")) {
      object("trigger", text(r, 1));
      out_.field("table", text(r, 0));
      out_.field("definition", text(r, 2));
      out_.field("create", text(r, 2));
      // A trigger switched off (or on for replicas only) does not fire as its definition says.
      const std::string enabled = text(r, 3);
      const char* how = enabled == "D"   ? "DISABLE"
                        : enabled == "R" ? "ENABLE REPLICA"
                        : enabled == "A" ? "ENABLE ALWAYS"
                                         : "";
      if (*how != '\0') {
        out_.field("enabled", how);
        out_.field("after", "ALTER TABLE " + text(r, 4) + " " + how + " TRIGGER " + text(r, 5));
      }
    }
  }

  const runner_query* db_;
  const sdk::Sink& out_;
  std::string ns_;         // the schema's oid, as SQL text
  std::string qualifier_;  // "schema." as quote_ident writes it
};

}  // namespace

void describe_schema(const std::string& schema, const runner_query* db, const sdk::Sink& out) {
  if (db == nullptr) throw sdk::Failure(RUNNER_ERR_INTERNAL, 0, "describe_schema needs a database");
  std::string name = schema;
  if (name.empty()) {
    auto r = rows(db, "SELECT current_schema()");
    if (r.empty() || !r[0][0]) throw sdk::Failure(RUNNER_ERR_USAGE, 0, "the connection has no current schema");
    name = *r[0][0];
  }
  auto ns =
      rows(db, "SELECT oid, quote_ident(nspname) || '.' FROM pg_namespace WHERE nspname = " + sdk::single_quote(name));
  if (ns.empty() || !ns[0][0]) {
    out.field("object", "schema");
    out.field("name", name);
    out.field("exists", "0");
    return;
  }
  // For the host's transaction only: deparsed text names the schema's objects unqualified, and
  // objects elsewhere qualified, whatever search_path the session had.
  rows(db, "SELECT set_config('search_path', " + sdk::single_quote(sdk::double_quote(name)) + ", true)");
  // Constants deparse by these (a partition's bounds, a timestamp default): the same text whatever
  // the session's settings.
  rows(db,
       "SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true), "
       "set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true)");
  out.field("object", "schema");
  out.field("name", name);
  out.field("create", "CREATE SCHEMA IF NOT EXISTS " + sdk::double_quote(name));
  out.field("use", "SET search_path TO " + sdk::double_quote(name));
  Reader(db, out, *ns[0][0], text(ns[0], 1)).run();
}

}  // namespace runner::postgresql
