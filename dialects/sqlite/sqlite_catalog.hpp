// SPDX-License-Identifier: MIT
// What the sqlite dialect reads from the database a statement is about to run on, through the
// host's query callback: tables as stored in sqlite_schema, their indexes and triggers, PRAGMAs,
// and the enum catalog (runner_enum_values) this dialect keeps in the database.
#pragma once

#include "plugins/dialect_abi.h"
#include "sqlite_table.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runner::sqlite {

constexpr const char* k_enum_catalog = "runner_enum_values";

struct EnumEntry {
  double position = 0;
  std::string value;
};

// A column holding an enum type.
struct EnumUser {
  std::string table;
  std::string column;
};

class Catalog {
 public:
  // REQUIRES: db is not null.
  explicit Catalog(const runner_query* db) : db_(db) {}

  using Row = std::vector<std::optional<std::string>>;
  // Throws sdk::Failure(RUNNER_ERR_USAGE) with the database's message.
  std::vector<Row> rows(const std::string& sql) const;
  long long count(const std::string& sql) const;

  // The table as its stored SQL describes it; nullopt when there is no such table. Throws
  // sdk::Failure when SQLite holds it in a form PostgreSQL's parser cannot read back.
  std::optional<Table> table(const std::string& name) const;
  // Whether the table exists in a form only SQLite reads (AUTOINCREMENT, SQLite's own types and
  // clauses): the plugin cannot rebuild it, but SQLite's own ALTER TABLE can still change it.
  bool written_for_sqlite(const std::string& name) const;
  // CREATE INDEX / CREATE TRIGGER statements of `table`, in creation order, with the indexes'
  // names and the columns each reads (for an index on an expression: none known).
  struct Dependent {
    std::string name;
    std::string sql;
    bool is_index = false;
    std::vector<std::string> columns;
  };
  std::vector<Dependent> dependents(const std::string& table) const;
  std::vector<std::string> table_names() const;
  // The referenced table's primary-key columns (for a foreign key that names none).
  std::vector<std::string> primary_key_of(const std::string& table) const;
  bool pragma_on(const std::string& name) const;

  // Enum types: nullopt when `type` is not one.
  std::optional<std::vector<EnumEntry>> enum_entries(const std::string& type) const;
  std::optional<std::vector<std::string>> enum_values(const std::string& type) const;
  // Every column, in every table, that holds `type`.
  std::vector<EnumUser> enum_users(const std::string& type) const;
  EnumLookup enum_lookup() const;

 private:
  const runner_query* db_;
  // Whether runner_enum_values exists; asked once per translation, since CREATE TABLE looks up
  // every column's type and a translation only emits changes, never runs them.
  mutable std::optional<bool> has_enum_catalog_;
};

}  // namespace runner::sqlite
