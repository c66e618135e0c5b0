// SPDX-License-Identifier: MIT
#include "tests/support/schema_shape.hpp"

#include "tests/support/database_probe.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>
#include <vector>

namespace runner::test {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The facts of one table; a multiset keeps them sorted (the text does not depend on catalog
// order) and keeps duplicates (two identical indexes on one side are a difference).
struct Facts {
  std::vector<std::string> columns;  // in column order
  std::multiset<std::string> other;

  std::string text() const {
    std::string out;
    for (const auto& c : columns) out += c + "\n";
    for (const auto& o : other) out += o + "\n";
    return out;
  }
};

std::string column_fact(const std::string& name, bool not_null, const std::string& default_sql,
                        const std::string& values) {
  std::string out = "column " + name + (not_null ? " not null" : "");
  std::string d = normalize_default(default_sql);
  if (!d.empty()) out += " default " + d;
  if (!values.empty()) out += " values " + values;
  return out;
}

// --- SQLite: the CREATE TABLE text holds what the pragmas do not (constraint names, enum CHECKs).

struct Token {
  enum Kind { word, name, string, punct } kind;
  std::string text;  // a quoted name or string unquoted
};

std::vector<Token> tokenize(const std::string& sql) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto quoted = [&](char close) {
    std::string v;
    for (++i; i < sql.size(); ++i) {
      if (sql[i] == close) {
        if (i + 1 < sql.size() && sql[i + 1] == close && close != ']') {
          v += close;
          ++i;
          continue;
        }
        ++i;
        break;
      }
      v += sql[i];
    }
    return v;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      i = sql.find('\n', i);
      if (i == std::string::npos) i = sql.size();
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      i = sql.find("*/", i + 2);
      i = i == std::string::npos ? sql.size() : i + 2;
    } else if (c == '\'') {
      out.push_back({Token::string, quoted('\'')});
    } else if (c == '"' || c == '`') {
      out.push_back({Token::name, quoted(c)});
    } else if (c == '[') {
      out.push_back({Token::name, quoted(']')});
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
      std::size_t start = i;
      while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' || sql[i] == '$'))
        ++i;
      out.push_back({Token::word, sql.substr(start, i - start)});
    } else {
      out.push_back({Token::punct, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

bool is_word(const Token& t, const char* w) { return t.kind == Token::word && lower(t.text) == w; }
std::string name_of(const Token& t) { return t.kind == Token::word ? lower(t.text) : t.text; }

struct SqliteTableText {
  std::set<std::string> constraint_names;          // runner_enum_* left out
  std::map<std::string, std::string> enum_values;  // column -> "a,b,c"
};

// CONSTRAINT name ...: every named constraint; CONSTRAINT "runner_enum_T" CHECK (col IN ('a', ...)):
// an enum column's accepted values.
SqliteTableText read_table_text(const std::string& sql) {
  SqliteTableText out;
  std::vector<Token> t = tokenize(sql);
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if (!is_word(t[i], "constraint")) continue;
    std::string name = name_of(t[i + 1]);
    if (name.rfind("runner_enum_", 0) != 0) {
      out.constraint_names.insert(name);
      continue;
    }
    // CHECK ( col IN ( 'a' , 'b' ) )
    std::size_t j = i + 2;
    if (j + 4 >= t.size() || !is_word(t[j], "check") || t[j + 1].text != "(" || !is_word(t[j + 3], "in") ||
        t[j + 4].text != "(")
      throw std::runtime_error("unexpected enum CHECK in: " + sql);
    std::string column = name_of(t[j + 2]);
    std::string values;
    for (j += 5; j < t.size() && t[j].text != ")"; ++j)
      if (t[j].kind == Token::string) values += (values.empty() ? "" : ",") + t[j].text;
    out.enum_values[column] = values;
  }
  return out;
}

std::string on_actions(std::string on_delete, std::string on_update) {
  on_delete = lower(on_delete);
  on_update = lower(on_update);
  return (on_delete == "no action" ? std::string() : " on delete " + on_delete) +
         (on_update == "no action" ? std::string() : " on update " + on_update);
}

}  // namespace

std::string normalize_default(const std::string& expression) {
  std::string out;
  for (std::size_t i = 0; i < expression.size();) {
    char c = expression[i];
    if (c == '\'') {  // a string literal, kept as written
      std::size_t end = i + 1;
      for (; end < expression.size(); ++end)
        if (expression[end] == '\'') {
          if (end + 1 < expression.size() && expression[end + 1] == '\'') {
            ++end;
            continue;
          }
          break;
        }
      out += expression.substr(i, end + 1 - i);
      i = end + 1;
    } else if (c == ':' && i + 1 < expression.size() && expression[i + 1] == ':') {
      // ::type, ::"type", ::character varying, ::timestamp with time zone
      i += 2;
      while (i < expression.size() && (std::isalnum(static_cast<unsigned char>(expression[i])) ||
                                       expression[i] == '_' || expression[i] == '"' || expression[i] == '.' ||
                                       (expression[i] == ' ' && i + 1 < expression.size() &&
                                        std::isalpha(static_cast<unsigned char>(expression[i + 1])))))
        ++i;
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ++i;
    }
  }
  while (out.size() > 2 && out.front() == '(' && out.back() == ')') out = out.substr(1, out.size() - 2);
  if (out == "now()") return "current_timestamp";
  if (out.rfind("nextval(", 0) == 0) return "";
  return out;
}

SchemaShape sqlite_schema_shape(DatabaseProbe& probe) {
  SchemaShape shape;
  for (const auto& table : probe.rows("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                      "'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'runner\\_%' ESCAPE '\\'")) {
    const std::string& name = table[0];
    const std::string t = sql_literal(name);
    SqliteTableText text = read_table_text(table[1]);
    Facts f;
    std::vector<std::pair<int, std::string>> pk;
    for (const auto& c : probe.rows("SELECT name, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(" + t +
                                    ") WHERE hidden = 0 ORDER BY cid")) {
      const int pk_position = std::stoi(c[3]);
      if (pk_position > 0) pk.emplace_back(pk_position, c[0]);
      auto values = text.enum_values.find(lower(c[0]));
      f.columns.push_back(column_fact(c[0], c[1] == "1" || pk_position > 0, c[2],
                                      values == text.enum_values.end() ? "" : values->second));
    }
    std::sort(pk.begin(), pk.end());
    std::string key;
    for (const auto& [position, column] : pk) key += (key.empty() ? "" : ",") + column;
    if (!key.empty()) f.other.insert("primary key (" + key + ")");
    for (const auto& n : text.constraint_names) f.other.insert("constraint " + n);

    for (const auto& index : probe.rows("SELECT name, \"unique\", origin FROM pragma_index_list(" + t + ")")) {
      if (index[2] == "pk") continue;
      std::string columns;
      for (const auto& c : probe.rows("SELECT coalesce(name, 'expr') FROM pragma_index_info(" + sql_literal(index[0]) +
                                      ") ORDER BY seqno"))
        columns += (columns.empty() ? "" : ",") + c[0];
      if (index[1] == "1")
        f.other.insert("unique (" + columns + ")");
      else
        f.other.insert("index " + index[0] + " (" + columns + ")");
    }

    std::map<std::string, std::vector<std::string>> fks;  // id -> table, from, to, on_delete, on_update
    for (const auto& k : probe.rows("SELECT id, \"table\", \"from\", coalesce(\"to\", ''), on_delete, on_update "
                                    "FROM pragma_foreign_key_list(" +
                                    t + ") ORDER BY id, seq")) {
      auto& fk = fks[k[0]];
      if (fk.empty()) fk = {k[1], "", "", k[4], k[5]};
      fk[1] += (fk[1].empty() ? "" : ",") + k[2];
      fk[2] += (fk[2].empty() ? "" : ",") + k[3];
    }
    for (const auto& [id, fk] : fks)
      f.other.insert("foreign key (" + fk[1] + ") references " + fk[0] + " (" + fk[2] + ")" + on_actions(fk[3], fk[4]));
    shape[name] = f.text();
  }
  return shape;
}

void same_unique_names(std::string& other, std::string& mysql) {
  std::string kept;
  std::size_t from = 0;
  while (from < mysql.size()) {
    const std::size_t nl = mysql.find('\n', from);
    const std::string line = mysql.substr(from, nl == std::string::npos ? std::string::npos : nl - from + 1);
    from = nl == std::string::npos ? mysql.size() : nl + 1;
    if (line.rfind("unique-name ", 0) != 0) {
      kept += line;
      continue;
    }
    const std::string constraint = "constraint " + line.substr(12);
    const std::size_t at = other.find(constraint);
    if (at != std::string::npos && (at == 0 || other[at - 1] == '\n')) other.erase(at, constraint.size());
  }
  mysql = kept;
}

SchemaShape mysql_schema_shape(DatabaseProbe& probe, const std::string& database) {
  const std::string db = sql_literal(database);
  const std::string ours = " NOT LIKE 'runner|_%' ESCAPE '|'";
  std::map<std::string, Facts> tables;
  for (const auto& t : probe.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + db +
                                  " AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME" + ours))
    tables[t[0]];
  for (const auto& c :
       probe.rows("SELECT TABLE_NAME, COLUMN_NAME, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, ''), COLUMN_TYPE "
                  "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
                  db + " AND TABLE_NAME" + ours + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
    std::string d = c[3] == "NULL" ? std::string() : c[3];
    if (c[4] == "tinyint(1)" && (d == "0" || d == "1")) d = d == "1" ? "true" : "false";
    // current_timestamp(6): PostgreSQL's CURRENT_TIMESTAMP has its precision built in.
    if (lower(d).rfind("current_timestamp(", 0) == 0) d = "current_timestamp";
    std::string values;
    if (c[4].rfind("enum(", 0) == 0)
      for (const auto& token : tokenize(c[4]))
        if (token.kind == Token::string) values += (values.empty() ? "" : ",") + token.text;
    tables[c[0]].columns.push_back(column_fact(c[1], c[2] == "NO", d, values));
  }
  std::set<std::string> foreign_keys;
  for (const auto& k : probe.rows("SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM "
                                  "information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
                                  db + " AND TABLE_NAME" + ours)) {
    // MariaDB's JSON is LONGTEXT with a CHECK (json_valid(col)) named after the column.
    if (k[2] == "CHECK" &&
        probe.count("SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS WHERE "
                    "CONSTRAINT_SCHEMA = " +
                    db + " AND CONSTRAINT_NAME = " + sql_literal(k[1]) + " AND CHECK_CLAUSE LIKE 'json_valid(%'") > 0)
      continue;
    // A unique key is one object on MySQL whether a constraint or CREATE UNIQUE INDEX made it.
    tables[k[0]].other.insert((k[2] == "UNIQUE" ? "unique-name " : "constraint ") +
                              (k[2] == "PRIMARY KEY" ? k[0] + "_pkey" : k[1]));
    if (k[2] == "FOREIGN KEY") foreign_keys.insert(k[0] + "." + k[1]);
  }
  for (const auto& x : probe.rows("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY "
                                  "SEQ_IN_INDEX) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
                                  db + " AND TABLE_NAME" + ours + " GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE")) {
    if (x[1] == "PRIMARY")
      tables[x[0]].other.insert("primary key (" + x[3] + ")");
    else if (x[2] == "0")
      tables[x[0]].other.insert("unique (" + x[3] + ")");
    else if (foreign_keys.count(x[0] + "." + x[1]) == 0)
      tables[x[0]].other.insert("index " + x[1] + " (" + x[3] + ")");
  }
  // MySQL's default for a key's actions is RESTRICT, which it runs as PostgreSQL's NO ACTION.
  auto action = [](const std::string& a) { return a == "RESTRICT" ? std::string("no action") : lower(a); };
  for (const auto& k : probe.rows(
           "SELECT k.TABLE_NAME, GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION), k.REFERENCED_TABLE_NAME, "
           "GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION), r.DELETE_RULE, r.UPDATE_RULE FROM "
           "information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON "
           "r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = "
           "k.TABLE_NAME WHERE k.TABLE_SCHEMA = " +
           db +
           " AND k.REFERENCED_TABLE_NAME IS NOT NULL GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME, "
           "k.REFERENCED_TABLE_NAME, r.DELETE_RULE, r.UPDATE_RULE"))
    tables[k[0]].other.insert("foreign key (" + k[1] + ") references " + k[2] + " (" + k[3] + ")" +
                              on_actions(action(k[4]), action(k[5])));
  SchemaShape shape;
  for (const auto& [name, facts] : tables) shape[name] = facts.text();
  return shape;
}

SchemaShape postgresql_schema_shape(DatabaseProbe& probe, const std::string& schema) {
  const std::string in_schema =
      "n.nspname = " + sql_literal(schema) + " AND c.relkind = 'r' AND left(c.relname, 7) <> 'runner_'";
  std::map<std::string, Facts> tables;
  for (const auto& c : probe.rows(
           "SELECT c.relname, a.attname, a.attnotnull::text, coalesce(pg_get_expr(d.adbin, d.adrelid), ''), "
           "coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e "
           "WHERE e.enumtypid = a.atttypid), '') "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
           "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
           "WHERE " +
           in_schema + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum"))
    tables[c[0]].columns.push_back(column_fact(c[1], c[2] == "true", c[3], c[4]));

  for (const auto& k :
       probe.rows("SELECT c.relname, con.conname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
                  in_schema))
    tables[k[0]].other.insert("constraint " + k[1]);

  for (const auto& x :
       probe.rows("SELECT c.relname, i.relname, x.indisprimary::text, x.indisunique::text, "
                  "(SELECT string_agg(coalesce(a.attname, 'expr'), ',' ORDER BY k.ord) "
                  "FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
                  "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) "
                  "FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
                  in_schema)) {
    if (x[2] == "true")
      tables[x[0]].other.insert("primary key (" + x[4] + ")");
    else if (x[3] == "true")
      tables[x[0]].other.insert("unique (" + x[4] + ")");
    else
      tables[x[0]].other.insert("index " + x[1] + " (" + x[4] + ")");
  }

  // pg_constraint's one-letter foreign-key action, as SQLite's foreign_key_list words it.
  auto action = [](const char* column) {
    return std::string("CASE ") + column +
           " WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade' "
           "WHEN 'n' THEN 'set null' ELSE 'set default' END";
  };
  // A key's column names, in key order, from its attribute numbers.
  auto columns = [](const char* keys, const char* table) {
    return std::string("(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(") + keys +
           ") WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = " + table +
           " AND a.attnum = k.attnum)";
  };
  for (const auto& k : probe.rows(
           "SELECT c.relname, " + columns("con.conkey", "con.conrelid") + ", r.relname, " +
           columns("con.confkey", "con.confrelid") + ", " + action("con.confdeltype") + ", " +
           action("con.confupdtype") +
           " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'f' AND " +
           in_schema))
    tables[k[0]].other.insert("foreign key (" + k[1] + ") references " + k[2] + " (" + k[3] + ")" +
                              on_actions(k[4], k[5]));

  SchemaShape shape;
  for (const auto& [name, facts] : tables) shape[name] = facts.text();
  return shape;
}

}  // namespace runner::test
