// SPDX-License-Identifier: MIT
#include "runner/db/history_store.hpp"

#include "runner/base/errors.hpp"
#include "runner/db/connection.hpp"

#include <string>

namespace runner {

HistoryStore::HistoryStore(Connection& connection, HistorySql sql) : connection_(connection), sql_(std::move(sql)) {}

HistoryStore::~HistoryStore() = default;

HistoryStore::Tables HistoryStore::tables() {
  Tables t;
  const auto rows = connection_.query_rows(sql_.exists, "looking for runner_history");
  t.history = !rows.empty() && !rows[0].empty() && rows[0][0] == "1";
  const bool meta = !rows.empty() && rows[0].size() > 1 && rows[0][1] == "1";
  if (!t.history || !meta) return t;
  const std::string recorded = connection_.query_string(sql_.meta_select);
  try {
    t.version = recorded.empty() ? 0 : std::stoll(recorded);
  } catch (const std::exception&) {
    throw DatabaseError(connection_.display() + ": runner_meta records the layout of runner's tables as '" + recorded +
                        "', which is not a number; it is runner's table: restore it");
  }
  return t;
}

void HistoryStore::upgrade(long long from) {
  for (const auto& [to, sql] : sql_.upgrade)
    if (to > from)
      connection_.execute(sql, {}, "bringing runner's tables to layout " + std::to_string(to) + ": " +
                                       sql.substr(0, sql.find('\n')));
  connection_.execute(sql_.meta_set, {std::to_string(sql_.tables_version)}, "recording the layout in runner_meta");
}

void HistoryStore::create() {
  for (const auto& ddl : sql_.create) connection_.execute(ddl);
}

History HistoryStore::load() {
  History rows;
  for (const auto& r : connection_.query_rows(sql_.select, "reading runner_history (is it a runner table?)")) {
    if (r.size() < 5) throw DatabaseError(connection_.display() + ": runner_history's query returned " +
                                          std::to_string(r.size()) + " columns, expected 5");
    long long version = 0;
    long long execution_ms = 0;
    try {
      version = std::stoll(r[0]);
      execution_ms = r[4].empty() ? 0 : std::stoll(r[4]);
    } catch (const std::exception&) {
      throw DatabaseError(connection_.display() + ": runner_history holds a row that is not a runner's (version '" +
                          r[0] + "', execution_ms '" + r[4] + "')");
    }
    if (version < 0) throw DatabaseError("runner_history holds a negative version (" + std::to_string(version) + ")");
    rows.push_back({static_cast<std::uint64_t>(version), r[1], r[2], r[3], execution_ms});
  }
  return rows;
}

void HistoryStore::insert(const AppliedMigration& row) {
  // One round trip: the driver sends the statement and its values together.
  connection_.execute(sql_.insert,
                      {std::to_string(row.version), row.name, row.checksum, row.applied_at, std::to_string(row.execution_ms)},
                      "recording version " + std::to_string(row.version) + " in runner_history");
}

bool HistoryStore::lock_held() { return sql_.lock_check.empty() || connection_.query_int(sql_.lock_check) == 1; }

void HistoryStore::remove(std::uint64_t version) {
  connection_.execute(sql_.remove, {std::to_string(version)},
                      "removing version " + std::to_string(version) + " from runner_history");
}

}  // namespace runner
