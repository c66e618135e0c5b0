// SPDX-License-Identifier: MIT
// What the translation of PostgreSQL's DDL reads from the live database through the host's
// runner_query: a column as MySQL holds it (to restate it whole in MODIFY COLUMN), the tables an
// index name belongs to, and the enum types runner keeps in runner_enums.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace runner::mysql {

struct Column {
  std::string table;
  std::string name;
  std::string type;  // COLUMN_TYPE: varchar(20), enum('a','b'), datetime(6)
  bool nullable = true;
  std::optional<std::string> default_sql;  // as SQL (a quoted literal, an expression); none: no default
  std::string extra;                       // auto_increment, on update current_timestamp()...
  std::string comment;
  std::string charset, collation;  // of a text or enum column
  std::string check;               // MariaDB: the column's own CHECK (a column-level one), "" for none
};

// A string as a MySQL literal, in either sql_mode: quotes doubled; a backslash, which would mean two
// things, is refused (throws naming `what`).
std::string literal(const std::string& value, const std::string& what);

// ENUM('a','b') for labels, as MySQL writes COLUMN_TYPE (enum('a','b')) when lower-cased.
std::string enum_type(const std::vector<std::string>& labels);

// The column definition MODIFY COLUMN restates: type, character set and collation, NULL/NOT NULL,
// DEFAULT, AUTO_INCREMENT, ON UPDATE, INVISIBLE, COMMENT, and MariaDB's column-level CHECK. Throws for a generated
// column (its expression cannot be read back faithfully).
std::string column_definition(const Column& c);

class Catalog {
 public:
  explicit Catalog(const runner_query* db) : db_(db) {}
  bool available() const { return db_ != nullptr; }
  // The same catalog reading tables of database `schema` ("": the current one, DATABASE()).
  Catalog in(const std::string& schema) const {
    Catalog c(db_);
    c.schema_ = schema;
    return c;
  }

  // A column of a table of the current database; nullopt when there is none.
  std::optional<Column> column(const std::string& table, const std::string& name) const;
  // The columns of the database whose type is exactly `type` (enum('a','b')).
  std::vector<Column> columns_of_type(const std::string& type) const;
  // The tables of the current database holding an index named `index`.
  std::vector<std::string> tables_with_index(const std::string& index) const;
  // Each index of a table with its columns in order.
  std::map<std::string, std::vector<std::string>> indexes(const std::string& table) const;
  // Each foreign key of a table with its columns in order.
  std::map<std::string, std::vector<std::string>> foreign_keys(const std::string& table) const;
  // The kind of a table's constraint (PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK); "" when none.
  std::string constraint_type(const std::string& table, const std::string& name) const;
  // An enum type's labels from runner_enums; nullopt when no such type (or no runner_enums).
  std::optional<std::vector<std::string>> enum_labels(const std::string& type) const;
  // The enum types in runner_enums with exactly `labels`, in order.
  std::vector<std::string> enums_with(const std::vector<std::string>& labels) const;
  // How many enum types runner_enums holds (0 without it).
  std::size_t enum_count() const;
  // How many rows of `c` hold `value`.
  long long rows_holding(const Column& c, const std::string& value) const;

 private:
  std::vector<Column> columns(const std::string& where) const;
  std::string schema_sql() const;
  const runner_query* db_;
  std::string schema_;
};

}  // namespace runner::mysql
