// SPDX-License-Identifier: MIT
// SQLite's table rebuild (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
// Changes"): create the new table, copy the rows, drop the old one, rename the new one into its
// place, then restore the table's indexes and triggers. It all runs inside the migration's
// transaction. legacy_alter_table is on for the rename, so that views and triggers elsewhere that
// name the table are neither rewritten nor re-checked while it is briefly missing.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"
#include "sqlite_catalog.hpp"
#include "sqlite_table.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace runner::sqlite {

struct Rebuild {
  Table after;  // the table as it will be, under its own name
  // Each column of `after` that takes data from the old table, and the SQL (over the old table's
  // columns) giving it. A column not listed gets its default.
  std::vector<std::pair<std::string, std::string>> copy;
  std::set<std::string> dropped_columns;  // indexes that read them are dropped with them
  // Rules the copy itself would not enforce (a foreign key, with foreign keys off; a conversion
  // SQLite makes silently): what the rows break, and a query counting them over the old table.
  // Online runs count them before translating; the guards, run before the copy, stop an offline
  // script that meets such rows.
  std::vector<std::pair<std::string, std::string>> guards;
};

// The statements of the rebuild, through `out`. Throws sdk::Failure when foreign keys are enforced
// on the connection (the drop would cascade or fail).
void emit_rebuild(const Catalog& db, const Rebuild& rebuild, const sdk::Sink& out, std::uint32_t line);

// A rebuild copying every column of `before` as it is.
Rebuild rebuild_of(const Table& before);

}  // namespace runner::sqlite
