// SPDX-License-Identifier: MIT
#include "runner/db/history_store.hpp"

#include "runner/core/errors.hpp"
#include "runner/db/connection.hpp"

#include <soci/soci.h>

namespace runner {

HistoryStore::HistoryStore(Connection& connection, HistorySql sql) : connection_(connection), sql_(std::move(sql)) {}

bool HistoryStore::exists() { return connection_.query_int(sql_.exists) != 0; }

void HistoryStore::create() {
  for (const auto& ddl : sql_.create) connection_.execute(ddl);
}

History HistoryStore::load() {
  History rows;
  if (!exists()) return rows;
  long long version = 0;
  long long execution_ms = 0;
  std::string name;
  std::string checksum;
  std::string applied_at;
  try {
    soci::statement st = (connection_.session().prepare << sql_.select, soci::into(version), soci::into(name),
                          soci::into(checksum), soci::into(applied_at), soci::into(execution_ms));
    st.execute();
    while (st.fetch()) {
      if (version < 0) throw DatabaseError("runner_history holds a negative version (" + std::to_string(version) + ")");
      rows.push_back({static_cast<std::uint64_t>(version), name, checksum, applied_at, execution_ms});
    }
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot read runner_history (is it a runner table?): " + std::string(e.get_error_message()));
  }
  return rows;
}

void HistoryStore::insert(const AppliedMigration& row) {
  auto version = static_cast<long long>(row.version);
  long long ms = row.execution_ms;
  std::string name = row.name;
  std::string checksum = row.checksum;
  std::string applied_at = row.applied_at;
  try {
    connection_.session() << sql_.insert, soci::use(version, "version"), soci::use(name, "name"),
        soci::use(checksum, "checksum"), soci::use(applied_at, "applied_at"), soci::use(ms, "execution_ms");
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot record version " + std::to_string(row.version) +
                        " in runner_history: " + std::string(e.get_error_message()));
  }
}

void HistoryStore::remove(std::uint64_t version) {
  auto v = static_cast<long long>(version);
  try {
    connection_.session() << sql_.remove, soci::use(v, "version");
  } catch (const soci::soci_error& e) {
    throw DatabaseError("cannot remove version " + std::to_string(version) +
                        " from runner_history: " + std::string(e.get_error_message()));
  }
}

}  // namespace runner
