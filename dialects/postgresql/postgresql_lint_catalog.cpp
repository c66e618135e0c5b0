// SPDX-License-Identifier: MIT
#include "postgresql_lint_catalog.hpp"

#include <cstdlib>

namespace runner::postgresql {

std::optional<std::string> LintCatalog::value(const std::string& sql) {
  if (db_ == nullptr) return std::nullopt;
  std::optional<std::string> out;
  try {
    sdk::query_rows(db_, sql, [&](std::uint32_t n, const char* const* values) {
      if (!out && n > 0 && values[0] != nullptr) out = values[0];
    });
  } catch (const sdk::Failure&) {
    return std::nullopt;  // a catalog the role cannot read: judge from the file alone
  }
  return out;
}

std::string LintCatalog::regclass_literal(const std::string& table) {
  const std::size_t dot = table.rfind('.');
  const std::string name = dot == std::string::npos ? sdk::double_quote(table)
                                                    : sdk::double_quote(table.substr(0, dot)) + "." +
                                                          sdk::double_quote(table.substr(dot + 1));
  return sdk::single_quote(name);
}

long LintCatalog::server_version() {
  if (version_ < 0) {
    const auto v = value("SHOW server_version_num");
    version_ = v ? std::atol(v->c_str()) : 0;
  }
  return version_;
}

std::optional<sdk::lint::TableSize> LintCatalog::table_size(const std::string& table) {
  const std::string oid = "pg_catalog.to_regclass(" + regclass_literal(table) + ")";
  // As the planner scales its statistics: rows per page as last analyzed, times the pages now; a
  // partitioned table is the sum of its partitions.
  const auto row = value(
      "SELECT CASE WHEN bool_or(c.reltuples < 0) THEN -1 ELSE sum(CASE WHEN c.relpages > 0 THEN c.reltuples / "
      "c.relpages * (pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::float8) ELSE "
      "c.reltuples END)::bigint END || ' ' || sum(pg_catalog.pg_total_relation_size(c.oid)) FROM "
      "pg_catalog.pg_class c WHERE c.relkind <> 'p' AND c.oid IN (SELECT relid FROM pg_catalog.pg_partition_tree(" +
      oid + ") WHERE isleaf UNION ALL SELECT " + oid + ") HAVING count(*) > 0");
  if (!row) return std::nullopt;
  sdk::lint::TableSize size;
  size.rows = std::atoll(row->c_str());
  size.bytes = std::atoll(row->c_str() + row->find(' ') + 1);
  size.rows_source = "estimate";
  // Never analyzed (reltuples -1 from PostgreSQL 14): counted while that stays cheap.
  constexpr long long k_count_below = 64LL << 20;
  if (size.rows < 0 && size.bytes < k_count_below) {
    const std::size_t dot = table.rfind('.');
    const std::string name = dot == std::string::npos ? sdk::double_quote(table)
                                                      : sdk::double_quote(table.substr(0, dot)) + "." +
                                                            sdk::double_quote(table.substr(dot + 1));
    if (const auto n = value("SELECT count(*) FROM " + name)) {
      size.rows = std::atoll(n->c_str());
      size.rows_source = "count";
    }
  }
  return size;
}

bool LintCatalog::partitioned(const std::string& table) {
  return value("SELECT relkind FROM pg_catalog.pg_class WHERE oid = pg_catalog.to_regclass(" + regclass_literal(table) +
               ")") == std::optional<std::string>("p");
}

std::optional<std::string> LintCatalog::column_type(const std::string& table, const std::string& column) {
  return value(
      "SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE "
      "a.attrelid = pg_catalog.to_regclass(" +
      regclass_literal(table) + ") AND a.attname = " + sdk::single_quote(column) +
      " AND a.attnum > 0 AND NOT a.attisdropped");
}

bool LintCatalog::has_validated_not_null_check(const std::string& table, const std::string& column) {
  if (db_ == nullptr) return false;
  bool proved = false;
  try {
    sdk::query_rows(db_,
                    "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE conrelid = "
                    "pg_catalog.to_regclass(" +
                        regclass_literal(table) + ") AND contype = 'c' AND convalidated",
                    [&](std::uint32_t n, const char* const* values) {
                      if (n > 0 && values[0] != nullptr && not_null_check_definition(values[0], column)) proved = true;
                    });
  } catch (const sdk::Failure&) {
    return false;
  }
  return proved;
}

std::optional<std::string> LintCatalog::constraint_definition(const std::string& table, const std::string& name) {
  return value(
      "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE conrelid = "
      "pg_catalog.to_regclass(" +
      regclass_literal(table) + ") AND conname = " + sdk::single_quote(name));
}

bool LintCatalog::not_null_check_definition(const std::string& definition, const std::string& column) {
  // pg_get_constraintdef quotes a column only where it must be.
  const bool plain = !column.empty() &&
                     column.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos &&
                     !(column[0] >= '0' && column[0] <= '9');
  const std::string check = "CHECK ((" + (plain ? column : sdk::double_quote(column)) + " IS NOT NULL))";
  // One added NOT VALID reads so until it is validated: the file at hand may be what validates it.
  if (definition == check || definition == check + " NOT VALID") return true;
  // A conjunction holding the test proves it too (CHECK (c IS NOT NULL AND length(c) > 0)).
  const std::string term = "(" + (plain ? column : sdk::double_quote(column)) + " IS NOT NULL)";
  return definition.rfind("CHECK (", 0) == 0 && definition.find(term) != std::string::npos &&
         definition.find(" OR ") == std::string::npos;
}

std::optional<bool> LintCatalog::function_volatile(const std::string& name) {
  const auto v = value("SELECT bool_or(provolatile = 'v')::text FROM pg_catalog.pg_proc WHERE proname = " +
                       sdk::single_quote(name));
  if (!v) return std::nullopt;
  return *v == "true";
}

}  // namespace runner::postgresql
