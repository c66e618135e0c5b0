// SPDX-License-Identifier: MIT
// Reads what a test checks from a real database: its tables, the runner's history rows, any query.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace runner::test {

struct HistoryRow {
  std::int64_t version = 0;
  std::string name;
  std::string checksum;
};

class DatabaseProbe {
 public:
  // sqlite_file, or a PostgreSQL base URL plus a schema.
  static std::unique_ptr<DatabaseProbe> sqlite(const std::string& file);
  static std::unique_ptr<DatabaseProbe> postgresql(const std::string& url, const std::string& schema);
  // A mysql://USER:PASSWORD@HOST:PORT/DB URL (the server's; the path ignored) and the database.
  static std::unique_ptr<DatabaseProbe> mysql(const std::string& url, const std::string& database);
  virtual ~DatabaseProbe() = default;

  // User tables (not runner_history), sorted.
  virtual std::vector<std::string> tables() = 0;
  virtual std::vector<HistoryRow> history() = 0;
  virtual long long count(const std::string& sql) = 0;
  virtual void execute(const std::string& sql) = 0;
  // Every row of a query, each value as text ("" for NULL).
  virtual std::vector<std::vector<std::string>> rows(const std::string& sql) = 0;
};

// A standard SQL string literal, for queries the tests build.
std::string sql_literal(const std::string& value);

}  // namespace runner::test
