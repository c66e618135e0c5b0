// SPDX-License-Identifier: MIT
#include "sqlite_describe.hpp"

#include "plugins/sdk/sql_text.hpp"
#include "sqlite_catalog.hpp"

#include <cctype>
#include <map>

namespace runner::sqlite {
namespace {

std::string text(const Catalog::Row& r, std::size_t i) { return i < r.size() && r[i] ? *r[i] : std::string(); }

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const char* k_user_objects =
    "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'runner\\_%' ESCAPE '\\' AND sql IS NOT NULL";

std::string names(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + sdk::double_quote(c);
  return out;
}

const char* kind_name(Constraint::Kind k) {
  switch (k) {
    case Constraint::Kind::primary: return "primary";
    case Constraint::Kind::unique: return "unique";
    case Constraint::Kind::check: return "check";
    case Constraint::Kind::foreign: return "foreign";
  }
  return "check";
}

void constraint(const sdk::Sink& out, const std::string& table, const std::string& name, const char* kind,
                const std::string& definition) {
  out.field("object", "constraint");
  out.field("name", name);
  out.field("table", table);
  out.field("contype", kind);
  out.field("definition", definition);
}

// A table written in SQLite's own dialect: its keys as the PRAGMAs report them, named as
// PostgreSQL would name them (its CHECKs are in its definition alone).
void constraints_from_pragmas(const Catalog& db, const std::string& table, const sdk::Sink& out) {
  const std::string t = sdk::single_quote(table);
  std::vector<std::string> pk;
  for (const auto& r : db.rows("SELECT name FROM pragma_table_xinfo(" + t + ") WHERE pk > 0 ORDER BY pk"))
    pk.push_back(text(r, 0));
  if (!pk.empty()) constraint(out, table, table + "_pkey", "primary", "PRIMARY KEY (" + names(pk) + ")");
  for (const auto& idx : db.rows("SELECT name FROM pragma_index_list(" + t + ") WHERE origin = 'u' ORDER BY seq")) {
    std::vector<std::string> cols;
    for (const auto& r :
         db.rows("SELECT name FROM pragma_index_info(" + sdk::single_quote(text(idx, 0)) + ") ORDER BY seqno"))
      cols.push_back(text(r, 0));
    std::string name = table;
    for (const auto& c : cols) name += "_" + c;
    constraint(out, table, name + "_key", "unique", "UNIQUE (" + names(cols) + ")");
  }
  std::map<std::string, std::vector<Catalog::Row>> fks;
  for (const auto& r : db.rows("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM "
                               "pragma_foreign_key_list(" +
                               t + ") ORDER BY id, seq"))
    fks[text(r, 0)].push_back(r);
  for (const auto& [id, parts] : fks) {
    std::vector<std::string> from, to;
    for (const auto& p : parts) {
      from.push_back(text(p, 2));
      if (p[3]) to.push_back(text(p, 3));
    }
    std::string def = "FOREIGN KEY (" + names(from) + ") REFERENCES " + sdk::double_quote(text(parts[0], 1));
    if (!to.empty()) def += " (" + names(to) + ")";
    if (text(parts[0], 5) != "NO ACTION") def += " ON DELETE " + text(parts[0], 5);
    if (text(parts[0], 4) != "NO ACTION") def += " ON UPDATE " + text(parts[0], 4);
    std::string name = table;
    for (const auto& c : from) name += "_" + c;
    constraint(out, table, name + "_fkey", "foreign", def);
    out.field("ref_table", text(parts[0], 1));
  }
}

void tables(const Catalog& db, const sdk::Sink& out) {
  for (const auto& r :
       db.rows("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND " + std::string(k_user_objects) +
               " AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow') "
               "ORDER BY name")) {
    const std::string name = text(r, 0);
    std::optional<Table> parsed;
    try {
      parsed = db.table(name);
    } catch (const sdk::Failure&) {
      // Written in SQLite's own dialect: the PRAGMAs tell what the parser cannot.
    }
    out.field("object", "table");
    out.field("name", name);
    out.field("create", text(r, 1));
    // A table written in SQLite's own dialect (STRICT, WITHOUT ROWID, AUTOINCREMENT, its own
    // clauses) is compared by its whole stored text too: its CHECKs and options are in nothing else.
    if (!parsed) out.field("definition", sdk::collapse_blanks(text(r, 1)));
    for (const auto& c : db.rows("SELECT name, type, \"notnull\", dflt_value, hidden FROM pragma_table_xinfo(" +
                                 sdk::single_quote(name) + ") ORDER BY cid")) {
      const std::string column = text(c, 0);
      const Column* known = parsed ? parsed->column(column) : nullptr;
      out.field("object", "column");
      out.field("name", column);
      out.field("table", name);
      out.field("type", known != nullptr && !known->enum_type.empty() ? known->enum_type : upper(text(c, 1)));
      out.field("not_null", text(c, 2) == "1" ? "1" : "0");
      if (c[3]) out.field("default", text(c, 3));
      if (text(c, 4) == "2" || text(c, 4) == "3") out.field("generated", text(c, 4) == "2" ? "virtual" : "stored");
    }
    if (!parsed) {
      constraints_from_pragmas(db, name, out);
      continue;
    }
    for (const auto& k : parsed->constraints) {
      // As PostgreSQL's pg_get_constraintdef writes it: without "CONSTRAINT name".
      Constraint unnamed = k;
      unnamed.name = "x";
      std::string def = render_constraint(unnamed);
      def.erase(0, def.find(' ', std::char_traits<char>::length("CONSTRAINT ")) + 1);
      constraint(out, name, k.name, kind_name(k.kind), def);
      if (k.kind == Constraint::Kind::foreign) out.field("ref_table", k.ref_table);
    }
  }
}

void others(const Catalog& db, const sdk::Sink& out) {
  for (const auto& r : db.rows("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'view', "
                               "'trigger') AND " +
                               std::string(k_user_objects) + " ORDER BY type, name")) {
    const std::string type = text(r, 0);
    const std::string sql = text(r, 3);
    out.field("object", type.c_str());
    out.field("name", text(r, 1));
    if (type != "view") out.field("table", text(r, 2));
    out.field("definition", sdk::collapse_blanks(sql));
    if (type == "index")
      out.field("unique", upper(sdk::collapse_blanks(sql)).rfind("CREATE UNIQUE", 0) == 0 ? "1" : "0");
    out.field("create", sql);
  }
}

// Enum types live in runner's catalog table; a dump writes them as the portable CREATE TYPE, which
// this dialect translates back into that catalog when the dump is loaded.
void enums(const Catalog& db, const sdk::Sink& out) {
  if (db.count("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = " +
               sdk::single_quote(k_enum_catalog)) == 0)
    return;
  std::map<std::string, std::vector<std::string>> types;
  for (const auto& r :
       db.rows(std::string("SELECT type_name, value FROM ") + k_enum_catalog + " ORDER BY type_name, position"))
    types[text(r, 0)].push_back(text(r, 1));
  for (const auto& [name, labels] : types) {
    out.field("object", "enum");
    out.field("name", name);
    std::string create = "CREATE TYPE " + sdk::double_quote(name) + " AS ENUM (";
    for (std::size_t i = 0; i < labels.size(); ++i) {
      out.field("label", labels[i]);
      create += (i == 0 ? "" : ", ") + sdk::single_quote(labels[i]);
    }
    out.field("create", create + ")");
  }
}

}  // namespace

void describe_schema(const runner_query* db, const sdk::Sink& out) {
  if (db == nullptr) throw sdk::Failure(RUNNER_ERR_INTERNAL, 0, "describe_schema needs a database");
  Catalog catalog(db);
  enums(catalog, out);
  tables(catalog, out);
  others(catalog, out);
}

}  // namespace runner::sqlite
