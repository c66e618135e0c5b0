// SPDX-License-Identifier: MIT
#include "sqlite_rebuild.hpp"

#include "sqlite_expr.hpp"

#include <algorithm>

namespace runner::sqlite {

Rebuild rebuild_of(const Table& before) {
  Rebuild r;
  r.after = before;
  for (const auto& c : before.columns) r.copy.emplace_back(c.name, quote_name(c.name));
  return r;
}

void emit_rebuild(const Catalog& db, const Rebuild& r, const sdk::Sink& out, std::uint32_t line) {
  if (db.pragma_on("foreign_keys"))
    throw sdk::Failure(RUNNER_ERR_USAGE, line,
                       "rebuilding table \"" + r.after.name + "\" needs foreign keys off on this connection, " +
                           "but an earlier migration ran PRAGMA foreign_keys = ON (it cannot be turned off " +
                           "inside a transaction); remove that PRAGMA from the migrations");
  const bool legacy = db.pragma_on("legacy_alter_table");
  const std::string temp = "runner_rebuild_" + r.after.name;
  std::vector<Catalog::Dependent> kept;
  for (auto& d : db.dependents(r.after.name)) {
    bool reads_dropped = std::any_of(d.columns.begin(), d.columns.end(),
                                     [&](const std::string& c) { return r.dropped_columns.count(c) > 0; });
    if (!reads_dropped) kept.push_back(std::move(d));
  }
  std::string targets;
  std::string sources;
  for (const auto& [column, source] : r.copy) {
    targets += (targets.empty() ? "" : ", ") + quote_name(column);
    sources += (sources.empty() ? "" : ", ") + source;
  }
  auto emit = [&](const std::string& sql) { out.statement(sql, line, 0); };
  for (const auto& [what, count_sql] : r.guards) {
    // Fails with "CHECK constraint failed: <what>" when the count is not 0.
    emit("DROP TABLE IF EXISTS temp.runner_guard");
    emit("CREATE TEMP TABLE runner_guard (bad_rows INTEGER CONSTRAINT " + quote_name(what) + " CHECK (bad_rows = 0))");
    emit("INSERT INTO temp.runner_guard " + count_sql);
    emit("DROP TABLE temp.runner_guard");
  }
  if (!legacy) emit("PRAGMA legacy_alter_table = ON");
  emit(render_create(r.after, temp));
  if (!targets.empty())
    emit("INSERT INTO " + quote_name(temp) + " (" + targets + ")\n  SELECT " + sources + " FROM " +
         quote_name(r.after.name));
  emit("DROP TABLE " + quote_name(r.after.name));
  emit("ALTER TABLE " + quote_name(temp) + " RENAME TO " + quote_name(r.after.name));
  for (const auto& d : kept) emit(d.sql);
  if (!legacy) emit("PRAGMA legacy_alter_table = OFF");
}

}  // namespace runner::sqlite
