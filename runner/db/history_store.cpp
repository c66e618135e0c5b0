// SPDX-License-Identifier: MIT
#include "runner/db/history_store.hpp"

#include "runner/core/errors.hpp"
#include "runner/db/connection.hpp"

#include <soci/soci.h>

namespace runner {

HistoryStore::HistoryStore(Connection& connection, HistorySql sql) : connection_(connection), sql_(std::move(sql)) {}

HistoryStore::~HistoryStore() = default;

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
    throw_soci_failure(e, connection_.display(), "reading runner_history (is it a runner table?)");
  }
  return rows;
}

void HistoryStore::insert(const AppliedMigration& row) {
  bound_version_ = static_cast<long long>(row.version);
  bound_ms_ = row.execution_ms;
  bound_name_ = row.name;
  bound_checksum_ = row.checksum;
  bound_applied_at_ = row.applied_at;
  try {
    if (!insert_)
      insert_ = std::make_unique<soci::statement>(
          (connection_.session().prepare << sql_.insert, soci::use(bound_version_, "version"),
           soci::use(bound_name_, "name"), soci::use(bound_checksum_, "checksum"),
           soci::use(bound_applied_at_, "applied_at"), soci::use(bound_ms_, "execution_ms")));
    insert_->execute(true);
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, connection_.display(), "recording version " + std::to_string(row.version) + " in runner_history");
  }
}

bool HistoryStore::lock_held() { return sql_.lock_check.empty() || connection_.query_int(sql_.lock_check) == 1; }

void HistoryStore::remove(std::uint64_t version) {
  bound_version_ = static_cast<long long>(version);
  try {
    if (!remove_)
      remove_ = std::make_unique<soci::statement>(
          (connection_.session().prepare << sql_.remove, soci::use(bound_version_, "version")));
    remove_->execute(true);
  } catch (const soci::soci_error& e) {
    throw_soci_failure(e, connection_.display(), "removing version " + std::to_string(version) + " from runner_history");
  }
}

}  // namespace runner
