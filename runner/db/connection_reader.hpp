// SPDX-License-Identifier: MIT
// Lends a Connection to a dialect plugin as a SqlReader, so that it reads the database exactly as
// the next statement will find it (inside the migration's open transaction).
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/db/connection.hpp"

namespace runner {

class ConnectionReader final : public SqlReader {
 public:
  explicit ConnectionReader(Connection& connection) : connection_(connection) {}
  bool query(const std::string& sql, const Row& row, std::string* error) noexcept override {
    StatementFailure f;
    if (connection_.query_native(sql, row, &f)) return true;
    try {
      *error = f.message;
    } catch (...) {
    }
    return false;
  }

 private:
  Connection& connection_;
};

}  // namespace runner
