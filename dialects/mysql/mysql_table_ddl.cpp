// SPDX-License-Identifier: MIT
#include "mysql_table_ddl.hpp"

#include "mysql_enums.hpp"
#include "mysql_url.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace runner::mysql {
namespace {

[[noreturn]] void refuse(std::uint32_t line, const std::string& message) {
  throw sdk::Failure(RUNNER_ERR_USAGE, line, message);
}

[[noreturn]] void no_equivalent(std::uint32_t line, const std::string& what) {
  refuse(line, what +
                   " has no MySQL equivalent the mysql dialect translates to: write this migration for MySQL in a "
                   "variant, NNNN_name.up.mysql.sql beside it starting with -- runner:as-written");
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

int location_of(const Json& node) {
  return member(node, "location").is_number() ? member(node, "location").get<int>() : -1;
}

// Words that end a column's type: what may follow it in a column definition.
bool ends_type(const Token& t) {
  static const char* const k_words[] = {"NOT",   "NULL",       "DEFAULT",   "PRIMARY", "UNIQUE", "REFERENCES",
                                        "CHECK", "CONSTRAINT", "GENERATED", "COLLATE", "USING"};
  return !t.word || std::any_of(std::begin(k_words), std::end(k_words), [&](const char* w) { return t.upper == w; });
}

// The token past a type starting at token i (its words, a qualified name, its typmods).
std::size_t type_end(const std::vector<Token>& t, std::size_t i) {
  std::size_t j = i;
  while (j < t.size()) {
    if (t[j].text == "(" && j > i) {
      j = closing(t, j) + 1;
      continue;
    }
    if (t[j].text == "." && j > i) {
      ++j;
      continue;
    }
    if (ends_type(t[j])) break;
    ++j;
  }
  return j;
}

int first_typmod(const Json& type_name, int fallback) {
  const Json& mods = member(type_name, "typmods");
  if (!mods.is_array() || mods.empty()) return fallback;
  const Json& value = member(member(node_body(mods[0]), "ival"), "ival");
  return value.is_number() ? value.get<int>() : fallback;
}

bool builtin_name(const std::string& base) {
  static const char* const k_names[] = {"text",       "uuid",     "json",     "date",    "inet",       "citext",
                                        "money",      "xml",      "interval", "tinyint", "mediumint",  "tinytext",
                                        "mediumtext", "longtext", "tinyblob", "blob",    "mediumblob", "longblob",
                                        "datetime",   "year",     "bit",      "binary",  "varbinary",  "double"};
  return std::any_of(std::begin(k_names), std::end(k_names), [&](const char* n) { return base == n; });
}

// What MySQL is to be told in place of a PostgreSQL type; "" when it takes the type as written.
std::string mysql_type(const Json& type_name, const Catalog& db, std::uint32_t line) {
  if (member(type_name, "arrayBounds").is_array()) no_equivalent(line, "An array type");
  const std::vector<std::string> names = names_of(member(type_name, "names"));
  if (names.empty()) return "";
  const std::string base = lower(names.back());
  const bool catalog_type = names.size() > 1 && names.front() == "pg_catalog";
  if (base == "timestamptz" || (catalog_type && base == "timestamp"))
    return "DATETIME(" + std::to_string(first_typmod(type_name, 6)) + ")";
  if (base == "serial" || base == "serial4") return "INT AUTO_INCREMENT";
  if (base == "bigserial" || base == "serial8") return "BIGINT AUTO_INCREMENT";
  if (base == "smallserial" || base == "serial2") return "SMALLINT AUTO_INCREMENT";
  if (base == "bytea") return "LONGBLOB";
  if (base == "jsonb") return "JSON";
  if (catalog_type || names.size() > 1 || builtin_name(base)) return "";
  if (auto labels = enum_of(base, db, line)) return enum_type(*labels);
  return "";
}

// PostgreSQL's choice of a name for an unnamed constraint: table_columns_suffix, with a number when taken.
class Names {
 public:
  void take(const std::string& name) { used_.insert(lower(name)); }
  std::string choose(const std::string& table, const std::vector<std::string>& columns, const std::string& suffix) {
    std::string base = table;
    for (const auto& c : columns) base += "_" + c;
    base += "_" + suffix;
    std::string name = base;
    for (int n = 1; used_.count(lower(name)) > 0; ++n)
      name = base.substr(0, base.size() - suffix.size()) + suffix + std::to_string(n);
    if (name.size() > 63) return "";  // PostgreSQL would truncate; MySQL's own name then
    used_.insert(lower(name));
    return name;
  }

 private:
  std::set<std::string> used_;
};

std::string text_of(std::string_view sql, const std::vector<Token>& t, std::size_t from, std::size_t to) {
  if (from >= to || from >= t.size()) return "";
  return std::string(sql.substr(t[from].from, t[to - 1].to - t[from].from));
}

// The columns a CHECK's expression reads (ColumnRef nodes), distinct, in order.
void column_refs(const Json& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "ColumnRef") {
        const std::vector<std::string> fields = names_of(member(it.value(), "fields"));
        if (!fields.empty() && std::find(out.begin(), out.end(), fields.back()) == out.end())
          out.push_back(fields.back());
      } else {
        column_refs(it.value(), out);
      }
    }
  } else if (node.is_array()) {
    for (const auto& item : node) column_refs(item, out);
  }
}

// Top-level comma-separated parts of tokens [from, to): each [first, last) token range.
std::vector<std::pair<std::size_t, std::size_t>> parts(const std::vector<Token>& t, std::size_t from, std::size_t to) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  int depth = 0;
  std::size_t start = from;
  for (std::size_t i = from; i < to; ++i) {
    if (t[i].text == "(") ++depth;
    if (t[i].text == ")") --depth;
    if (t[i].text == "," && depth == 0) {
      out.emplace_back(start, i);
      start = i + 1;
    }
  }
  if (start < to) out.emplace_back(start, to);
  return out;
}

// '...'::text and the like, where MySQL reads the literal alike: the cast goes; any other cast is refused.
void cast_edits(const std::vector<Token>& t, std::size_t from, std::size_t to, std::vector<Edit>& edits,
                std::uint32_t line) {
  for (std::size_t i = from; i < to; ++i) {
    if (t[i].text != "::") continue;
    const std::size_t end = type_end(t, i + 1);
    std::string type;
    for (std::size_t k = i + 1; k < end; ++k) type += (type.empty() ? "" : " ") + t[k].upper;
    const bool literal =
        i > 0 && (t[i - 1].text.front() == '\'' || (t[i - 1].text.front() >= '0' && t[i - 1].text.front() <= '9'));
    static const char* const k_plain[] = {"TEXT",   "VARCHAR",  "CHARACTER VARYING", "INT",     "INTEGER",
                                          "BIGINT", "SMALLINT", "NUMERIC",           "BOOLEAN", "BOOL"};
    const std::string head = type.substr(0, type.find(" ("));
    if (!literal ||
        std::none_of(std::begin(k_plain), std::end(k_plain), [&](const char* p) { return head.rfind(p, 0) == 0; }))
      refuse(line, "the cast ::" + lower(type) +
                       " is PostgreSQL's: write CAST(value AS type), or this migration for MySQL in a .up.mysql.sql "
                       "variant");
    edits.push_back({t[i].from, t[end - 1].to, ""});
  }
}

// PostgreSQL's "quoted" identifiers as MySQL's `quoted` ones, where no other edit covers them.
void quote_edits(const std::vector<Token>& t, std::size_t from, std::size_t to, std::vector<Edit>& edits) {
  for (std::size_t i = from; i < to && i < t.size(); ++i) {
    if (!t[i].word || t[i].text.empty() || t[i].text.front() != '"') continue;
    if (std::any_of(edits.begin(), edits.end(), [&](const Edit& e) { return e.from < t[i].to && t[i].from < e.to; }))
      continue;
    std::string name;
    for (std::size_t k = 1; k + 1 < t[i].text.size(); ++k) {
      name += t[i].text[k];
      if (t[i].text[k] == '"') ++k;
    }
    edits.push_back({t[i].from, t[i].to, backquote(name)});
  }
}

struct ColumnWork {
  std::vector<Edit> edits;
  std::vector<std::string> moved;  // table constraints made of inline ones: "CONSTRAINT `n` UNIQUE (`c`)"
};

// A column definition's tokens [from, to): its type, identity, and its inline UNIQUE, REFERENCES and
// CHECK, which move to the table with PostgreSQL's names (MySQL names an inline one its own way).
void edit_column(std::string_view sql, const std::vector<Token>& t, std::size_t to, const Json& column,
                 const std::string& table, Names& names, const Catalog& db, std::uint32_t line, ColumnWork& out) {
  const std::string name = member(column, "colname").get<std::string>();
  // The column's name quoted: a word MySQL reserves (key, order) is a name to PostgreSQL.
  if (const int at = location_of(column); at >= 0) {
    const std::size_t i = token_at(t, static_cast<std::size_t>(at));
    if (i < t.size() && t[i].word) out.edits.push_back({t[i].from, t[i].to, backquote(name)});
  }
  const Json& type_name = member(column, "typeName");
  if (location_of(type_name) < 0) refuse(line, "column " + name + " could not be read for MySQL");
  const std::size_t type_from = token_at(t, static_cast<std::size_t>(location_of(type_name)));
  const std::size_t type_to = type_end(t, type_from);
  if (const std::string mysql = mysql_type(type_name, db, line); !mysql.empty() && type_from < type_to)
    out.edits.push_back({t[type_from].from, t[type_to - 1].to, mysql});
  std::vector<std::pair<std::size_t, const Json*>> constraints;
  for (const auto& c : member(column, "constraints"))
    if (location_of(node_body(c)) >= 0)
      constraints.emplace_back(token_at(t, static_cast<std::size_t>(location_of(node_body(c)))), &node_body(c));
  std::sort(constraints.begin(), constraints.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const std::size_t from = constraints[k].first;
    const std::size_t end = k + 1 < constraints.size() ? constraints[k + 1].first : to;
    const Json& c = *constraints[k].second;
    const std::string kind = c.value("contype", "");
    if (kind == "CONSTR_IDENTITY") {
      out.edits.push_back({t[from].from, t[end - 1].to, "AUTO_INCREMENT"});
      continue;
    }
    const char* keyword = kind == "CONSTR_UNIQUE"    ? "UNIQUE"
                          : kind == "CONSTR_FOREIGN" ? "REFERENCES"
                          : kind == "CONSTR_CHECK"   ? "CHECK"
                                                     : nullptr;
    if (keyword == nullptr) continue;
    std::size_t at = from;
    while (at < end && t[at].upper != keyword) ++at;
    if (at == end) continue;
    std::string conname = c.value("conname", "");
    if (conname.empty())
      conname = names.choose(table, {name},
                             kind == "CONSTR_UNIQUE"    ? "key"
                             : kind == "CONSTR_FOREIGN" ? "fkey"
                                                        : "check");
    const std::string head = conname.empty() ? std::string() : "CONSTRAINT " + backquote(conname) + " ";
    if (kind == "CONSTR_UNIQUE")
      out.moved.push_back(head + "UNIQUE (" + backquote(name) + ")");
    else if (kind == "CONSTR_FOREIGN")
      out.moved.push_back(head + "FOREIGN KEY (" + backquote(name) + ") " + text_of(sql, t, at, end));
    else
      out.moved.push_back(head + text_of(sql, t, at, end));
    out.edits.push_back({t[from].from, t[end - 1].to, ""});
  }
}

// The name PostgreSQL gives an unnamed table constraint; "" for a primary key (MySQL's is PRIMARY).
std::string table_constraint_name(const Json& c, const std::string& table, Names& names, std::uint32_t line) {
  const std::string kind = c.value("contype", "");
  if (!c.value("conname", "").empty() || kind == "CONSTR_PRIMARY" || kind == "CONSTR_NOTNULL") return "";
  if (kind == "CONSTR_EXCLUSION") no_equivalent(line, "An exclusion constraint");
  if (kind == "CONSTR_UNIQUE") return names.choose(table, names_of(member(c, "keys")), "key");
  if (kind == "CONSTR_FOREIGN") return names.choose(table, names_of(member(c, "fk_attrs")), "fkey");
  if (kind == "CONSTR_CHECK") {
    std::vector<std::string> read;
    column_refs(member(c, "raw_expr"), read);
    return names.choose(table, read.size() == 1 ? read : std::vector<std::string>{}, "check");
  }
  return "";
}

// InnoDB keeps an index under every foreign key, and takes an index whose leading columns are the
// key's for it; PostgreSQL needs none. Before `index` goes: each foreign key that has no other index,
// with its columns as SQL, to give it back the index MySQL made for it (named after the key).
std::vector<std::pair<std::string, std::string>> foreign_keys_needing(const std::string& table,
                                                                      const std::string& index, const Catalog& db) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto indexes = db.indexes(table);
  const auto dropped = indexes.find(index);
  if (dropped == indexes.end()) return out;
  for (const auto& key_columns : db.foreign_keys(table)) {
    const std::string& key = key_columns.first;
    const std::vector<std::string>& columns = key_columns.second;
    const auto leads = [&](const std::vector<std::string>& index_columns) {
      return index_columns.size() >= columns.size() &&
             std::equal(columns.begin(), columns.end(), index_columns.begin());
    };
    if (!leads(dropped->second)) continue;
    if (std::any_of(indexes.begin(), indexes.end(), [&](const auto& i) { return i.first != index && leads(i.second); }))
      continue;
    std::string list;
    for (const auto& c : columns) list += (list.empty() ? "" : ", ") + backquote(c);
    out.emplace_back(key, list);
  }
  return out;
}

void register_names(const Json& elements, Names& names) {
  for (const auto& e : elements) {
    if (node_type(e) == "Constraint") names.take(node_body(e).value("conname", ""));
    if (node_type(e) == "ColumnDef")
      for (const auto& c : member(node_body(e), "constraints")) names.take(node_body(c).value("conname", ""));
  }
}

}  // namespace

void create_table(std::string_view sql, const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const Json& relation = member(stmt, "relation");
  const std::string table = member(relation, "relname").get<std::string>();
  if (relation.value("relpersistence", "p") == "u") no_equivalent(line, "UNLOGGED");
  if (member(stmt, "inhRelations").is_array()) no_equivalent(line, "INHERITS");
  if (!member(stmt, "partspec").is_null()) no_equivalent(line, "PARTITION BY (PostgreSQL's partitioning)");
  if (!member(stmt, "partbound").is_null()) no_equivalent(line, "PARTITION OF");
  const std::vector<Token> t = tokens_of(sql);
  std::size_t open = token_at(t, static_cast<std::size_t>(location_of(relation)));
  while (open < t.size() && t[open].text != "(") ++open;
  const std::size_t close = closing(t, open);
  const Json& elements = member(stmt, "tableElts");
  if (close >= t.size() || !elements.is_array()) refuse(line, "this CREATE TABLE could not be read for MySQL");
  const auto spans = parts(t, open + 1, close);
  if (spans.size() != elements.size()) refuse(line, "this CREATE TABLE could not be read for MySQL");
  Names names;
  register_names(elements, names);
  ColumnWork work;
  for (std::size_t k = 0; k < spans.size(); ++k) {
    const std::string kind = node_type(elements[k]);
    const Json& body = node_body(elements[k]);
    if (kind == "ColumnDef") {
      edit_column(sql, t, spans[k].second, body, table, names, db, line, work);
    } else if (kind == "Constraint") {
      const std::string name = table_constraint_name(body, table, names, line);
      if (!name.empty())
        work.edits.push_back({t[spans[k].first].from, t[spans[k].first].from, "CONSTRAINT " + backquote(name) + " "});
    } else {
      no_equivalent(line, "CREATE TABLE ... (LIKE ...)");
    }
  }
  cast_edits(t, open, close, work.edits, line);
  quote_edits(t, 0, t.size(), work.edits);
  if (!work.moved.empty()) {
    std::string added;
    for (const auto& m : work.moved) added += ",\n  " + m;
    work.edits.push_back({t[close - 1].to, t[close - 1].to, added});
  }
  out.statement(apply_edits(sql, work.edits), line, 0);
}

void alter_table(std::string_view sql, const Json& stmt, const Catalog& current, const sdk::Sink& out,
                 std::uint32_t line) {
  const Json& relation = member(stmt, "relation");
  // A table named with its database is read from that database's catalog.
  const Catalog db = current.in(relation.value("schemaname", ""));
  const std::string table = member(relation, "relname").get<std::string>();
  const Json& cmds = member(stmt, "cmds");
  const std::vector<Token> t = tokens_of(sql);
  // The subcommands follow the table's name.
  std::size_t start = token_at(t, static_cast<std::size_t>(location_of(relation)));
  while (start + 2 < t.size() && t[start + 1].text == ".") start += 2;
  ++start;
  std::size_t end = t.size();
  while (end > start && t[end - 1].text == ";") --end;
  const auto spans = parts(t, start, end);
  if (!cmds.is_array() || spans.size() != cmds.size()) refuse(line, "this ALTER TABLE could not be read for MySQL");
  Names names;
  ColumnWork work;
  // Columns restated whole (MODIFY COLUMN): what their subcommands set, folded in order.
  std::map<std::string, Column> restated;
  std::vector<std::string> order;
  std::vector<bool> folded(spans.size(), false);
  for (std::size_t k = 0; k < spans.size(); ++k) {
    const Json& cmd = node_body(cmds[k]);
    const std::string subtype = cmd.value("subtype", "");
    const std::string column = cmd.value("name", "");
    if (subtype == "AT_AddColumn") {
      edit_column(sql, t, spans[k].second, node_body(member(cmd, "def")), table, names, db, line, work);
    } else if (subtype == "AT_AddConstraint") {
      const Json& c = node_body(member(cmd, "def"));
      const std::string name = table_constraint_name(c, table, names, line);
      const std::size_t at = token_at(t, static_cast<std::size_t>(location_of(c)));
      if (!name.empty() && at < t.size())
        work.edits.push_back({t[at].from, t[at].from, "CONSTRAINT " + backquote(name) + " "});
    } else if (subtype == "AT_SetNotNull" || subtype == "AT_DropNotNull" || subtype == "AT_AlterColumnType") {
      if (!db.available())
        refuse(line, "ALTER COLUMN ... " + std::string(subtype == "AT_AlterColumnType" ? "TYPE" : "NOT NULL") +
                         " becomes MySQL's MODIFY COLUMN, which restates the column as the database holds it; offline "
                         "(--sql, explain) give --shadow-url URL, a server where runner may create and drop a scratch "
                         "database to replay the earlier migrations into");
      if (restated.count(column) == 0) {
        auto c = db.column(table, column);
        if (!c) refuse(line, "column " + table + "." + column + " does not exist");
        restated[column] = *c;
        order.push_back(column);
      }
      Column& c = restated[column];
      if (subtype == "AT_SetNotNull") c.nullable = false;
      if (subtype == "AT_DropNotNull") c.nullable = true;
      if (subtype == "AT_AlterColumnType") {
        const Json& def = node_body(member(cmd, "def"));
        if (!member(def, "raw_default").is_null()) no_equivalent(line, "ALTER COLUMN ... TYPE ... USING");
        const Json& type_name = member(def, "typeName");
        const std::size_t from = token_at(t, static_cast<std::size_t>(location_of(type_name)));
        const std::string mysql = mysql_type(type_name, db, line);
        c.type = mysql.empty() ? text_of(sql, t, from, type_end(t, from)) : mysql;
      }
      folded[k] = true;
    }
  }
  // A default set or dropped in the same statement joins its column's MODIFY.
  for (std::size_t k = 0; k < spans.size(); ++k) {
    const Json& cmd = node_body(cmds[k]);
    if (cmd.value("subtype", "") != "AT_ColumnDefault" || restated.count(cmd.value("name", "")) == 0) continue;
    Column& c = restated[cmd.value("name", "")];
    std::size_t d = spans[k].first;
    while (d < spans[k].second && t[d].upper != "DEFAULT") ++d;
    if (member(cmd, "def").is_null())
      c.default_sql.reset();
    else
      c.default_sql = text_of(sql, t, d + 1, spans[k].second);
    folded[k] = true;
  }
  cast_edits(t, start, end, work.edits, line);
  quote_edits(t, 0, end, work.edits);
  // Offline, what DROP CONSTRAINT and DROP COLUMN become cannot be told (a unique key, a foreign key,
  // the keys on a column): refused rather than written as MySQL would refuse it.
  if (!db.available())
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const std::string subtype = node_body(cmds[k]).value("subtype", "");
      if (subtype == "AT_DropConstraint" || subtype == "AT_DropColumn")
        refuse(line, std::string(subtype == "AT_DropColumn" ? "DROP COLUMN" : "DROP CONSTRAINT") +
                         " becomes what the catalog says (DROP INDEX or DROP FOREIGN KEY, the column's foreign keys "
                         "first); offline (--sql, explain) give --shadow-url URL, a server where runner may create and "
                         "drop a scratch database to replay the earlier migrations into");
    }
  // DROP CONSTRAINT of a unique key is MySQL's DROP INDEX, of a foreign key DROP FOREIGN KEY (and
  // the index MySQL made under it); a check's is as written.
  std::map<std::size_t, std::string> replaced;
  if (db.available())
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const Json& cmd = node_body(cmds[k]);
      if (cmd.value("subtype", "") != "AT_DropConstraint") continue;
      const std::string name = cmd.value("name", "");
      const std::string kind = db.constraint_type(table, name);
      if (kind == "UNIQUE") {
        std::string text;
        for (const auto& [key, columns] : foreign_keys_needing(table, name, db))
          text += "ADD INDEX " + backquote(key) + " (" + columns + "), ";
        replaced[k] = text + "DROP INDEX " + backquote(name);
      } else if (kind == "FOREIGN KEY") {
        replaced[k] = "DROP FOREIGN KEY " + backquote(name) +
                      (db.indexes(table).count(name) > 0 ? ", DROP INDEX " + backquote(name) : std::string());
      }
    }
  // PostgreSQL drops the foreign keys on a column it drops; MySQL refuses while one is there.
  std::vector<std::string> dropped_keys;
  if (db.available())
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const Json& cmd = node_body(cmds[k]);
      if (cmd.value("subtype", "") != "AT_DropColumn") continue;
      for (const auto& [key, columns] : db.foreign_keys(table))
        if (std::find(columns.begin(), columns.end(), cmd.value("name", "")) != columns.end() &&
            std::find(dropped_keys.begin(), dropped_keys.end(), key) == dropped_keys.end())
          dropped_keys.push_back(key);
    }
  // The statement again: each subcommand kept (with its edits), a folded column's MODIFY in place of
  // its first subcommand, the inline constraints of added columns as ADD CONSTRAINT.
  std::vector<std::string> subcommands;
  for (const auto& key : dropped_keys) subcommands.push_back("DROP FOREIGN KEY " + backquote(key));
  std::set<std::string> written;
  for (std::size_t k = 0; k < spans.size(); ++k) {
    if (replaced.count(k) > 0) {
      subcommands.push_back(replaced[k]);
      continue;
    }
    if (!folded[k]) {
      std::vector<Edit> mine;
      for (const auto& e : work.edits)
        if (e.from >= t[spans[k].first].from && e.to <= t[spans[k].second - 1].to)
          mine.push_back({e.from - t[spans[k].first].from, e.to - t[spans[k].first].from, e.text});
      subcommands.push_back(apply_edits(text_of(sql, t, spans[k].first, spans[k].second), mine));
      continue;
    }
    const std::string column = node_body(cmds[k]).value("name", "");
    if (!written.insert(column).second) continue;
    subcommands.push_back("MODIFY COLUMN " + backquote(column) + " " + column_definition(restated[column]));
  }
  for (const auto& m : work.moved) subcommands.push_back("ADD " + m);
  std::vector<Edit> before;
  for (const auto& e : work.edits)
    if (e.to <= t[start].from) before.push_back(e);
  std::string text = apply_edits(sql.substr(0, t[start].from), before);
  for (std::size_t i = 0; i < subcommands.size(); ++i) text += (i == 0 ? "" : ", ") + subcommands[i];
  out.statement(text, line, 0);
}

void create_index(std::string_view sql, const Json& stmt, const sdk::Sink& out, std::uint32_t line) {
  if (!member(stmt, "whereClause").is_null()) no_equivalent(line, "A partial index (CREATE INDEX ... WHERE)");
  if (member(stmt, "indexIncludingParams").is_array()) no_equivalent(line, "INCLUDE in an index");
  if (stmt.value("nulls_not_distinct", false)) no_equivalent(line, "NULLS NOT DISTINCT");
  const std::vector<Token> t = tokens_of(sql);
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].upper == "USING" && i + 1 < t.size() && lower(std::string(t[i + 1].text)) != "btree")
      no_equivalent(line, "An index USING " + std::string(t[i + 1].text));
    if (t[i].upper == "USING") edits.push_back({t[i].from, t[i + 1].to, ""});
    // MySQL builds an index online by itself (ALGORITHM=INPLACE, LOCK=NONE where it can).
    if (t[i].upper == "CONCURRENTLY") edits.push_back({t[i].from, t[i].to, ""});
  }
  for (const auto& p : member(stmt, "indexParams"))
    if (!member(node_body(p), "expr").is_null()) no_equivalent(line, "An index on an expression");
  quote_edits(t, 0, t.size(), edits);
  out.statement(apply_edits(sql, edits), line, 0);
}

void drop_index(const Json& stmt, const Catalog& db, const sdk::Sink& out, std::uint32_t line) {
  const bool missing_ok = stmt.value("missing_ok", false);
  for (const auto& object : member(stmt, "objects")) {
    const std::vector<std::string> names =
        names_of(member(node_body(object), "items").is_array() ? member(node_body(object), "items") : object);
    const std::string index = names.empty() ? std::string() : names.back();
    const std::string schema = names.size() > 1 ? names[names.size() - 2] : std::string();
    const Catalog in = db.in(schema);
    if (!db.available())
      refuse(line, "DROP INDEX " + index +
                       " names no table, which MySQL needs: runner reads it from the database as it runs; offline "
                       "(--sql, explain) give --shadow-url URL, a server where runner may create and drop a scratch "
                       "database to replay the earlier migrations into");
    const auto tables = in.tables_with_index(index);
    if (tables.empty()) {
      if (missing_ok) continue;
      refuse(line, "index " + index + " does not exist");
    }
    if (tables.size() > 1)
      refuse(line, "index " + index + " exists on several tables (" + tables[0] + ", " + tables[1] +
                       "): write DROP INDEX " + index + " ON table in a .up.mysql.sql variant");
    const std::string table = (schema.empty() ? std::string() : backquote(schema) + ".") + backquote(tables[0]);
    for (const auto& [key, columns] : foreign_keys_needing(tables[0], index, in))
      out.statement("CREATE INDEX " + backquote(key) + " ON " + table + " (" + columns + ")", line, 0);
    out.statement("DROP INDEX " + backquote(index) + " ON " + table, line, 0);
  }
}

}  // namespace runner::mysql
