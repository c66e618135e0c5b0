// SPDX-License-Identifier: MIT
// What the PostgreSQL lint reads from the database the file would run on: how big a table is,
// what type a column has now, which NOT NULL checks are already validated, and whether a function
// is volatile. Every answer is optional: without a database (or for an object it does not hold
// yet) the rules judge from the file alone.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/pg_lint.hpp"

#include <map>
#include <optional>
#include <string>

namespace runner::postgresql {

class LintCatalog {
 public:
  explicit LintCatalog(const runner_query* db) : db_(db) {}

  bool connected() const { return db_ != nullptr; }
  // The server's version number (150004); 0 when unknown.
  long server_version();
  // Rows (the planner's estimate, or a count for a small table never analyzed) and bytes on disk
  // with indexes and TOAST; nullopt when the table does not exist.
  std::optional<sdk::lint::TableSize> table_size(const std::string& table);
  // Whether the table is partitioned (its rows live in its partitions).
  bool partitioned(const std::string& table);
  // The column's type as format_type() writes it ("character varying(20)"); nullopt when unknown.
  std::optional<std::string> column_type(const std::string& table, const std::string& column);
  // Whether a validated CHECK (column IS NOT NULL) holds on the table now.
  bool has_validated_not_null_check(const std::string& table, const std::string& column);
  // The definition of the table's constraint `name` ("CHECK ((email IS NOT NULL))"); nullopt when
  // the database has no such constraint (yet).
  std::optional<std::string> constraint_definition(const std::string& table, const std::string& name);
  // Whether a definition is CHECK (column IS NOT NULL) (validated or NOT VALID), as
  // pg_get_constraintdef() writes it.
  static bool not_null_check_definition(const std::string& definition, const std::string& column);
  // Whether a function of that name is volatile: nullopt when the database has none or is absent.
  std::optional<bool> function_volatile(const std::string& name);

 private:
  // One text value of the first row; nullopt for no row, a NULL, or a query the database refused.
  std::optional<std::string> value(const std::string& sql);
  // 'schema'.'table' as a regclass literal's text, each part quoted as an identifier.
  static std::string regclass_literal(const std::string& table);

  const runner_query* db_;
  long version_ = -1;
};

}  // namespace runner::postgresql
