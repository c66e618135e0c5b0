// SPDX-License-Identifier: MIT
#include "runner/db/history_store.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/db/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace runner {

HistoryStore::HistoryStore(Connection& connection, RunnerSql sql) : connection_(connection), sql_(std::move(sql)) {}

HistoryStore::~HistoryStore() = default;

namespace {

// The recorded layout: a plain positive number as runner writes it ("": no row, 0). Anything else
// is refused rather than read loosely ("1abc" is not layout 1, "-1" is not an old layout).
long long layout_number(const std::string& recorded, const std::string& display) {
  if (recorded.empty()) return 0;
  const bool plain = recorded.size() <= 18 && recorded[0] >= '1' && recorded[0] <= '9' &&
                     recorded.find_first_not_of("0123456789") == std::string::npos;
  if (!plain)
    throw DatabaseError(
        fmt::format("{}: runner_meta records the layout of runner's tables as '{}', which is not a layout "
                    "number (1, 2, ...); it is runner's table: restore it",
                    display, recorded));
  return std::stoll(recorded);
}

}  // namespace

bool HistoryStore::find(bool* meta, bool* progress) {
  const auto rows = connection_.query_rows(sql_.exists, "looking for runner_history");
  *meta = !rows.empty() && rows[0].size() > 1 && rows[0][1] == "1";
  if (progress != nullptr)
    *progress = sql_.tracks_progress() && !rows.empty() && rows[0].size() > 2 && rows[0][2] == "1";
  return !rows.empty() && !rows[0].empty() && rows[0][0] == "1";
}

HistoryStore::Tables HistoryStore::tables() {
  Tables t;
  bool meta = false;
  t.history = find(&meta);
  // Read even without runner_history: a newer runner may keep its history under another name.
  if (meta) t.version = layout_number(connection_.query_string(sql_.meta_select), connection_.display());
  return t;
}

HistoryStore::Read HistoryStore::read() {
  Read r;
  bool meta = false;
  bool progress = false;
  r.tables.history = find(&meta, &progress);
  if (!r.tables.history) {
    // A newer runner may keep its history under another name: its layout is still refused.
    if (meta) r.tables.version = layout_number(connection_.query_string(sql_.meta_select), connection_.display());
    return r;
  }
  // Rows are parsed as they come: a history of thousands is read once, not copied twice.
  std::string layout;
  std::string bad;
  std::size_t partial = 0;
  const DriverConnection::RowFn parse = [&](std::uint32_t n, const char* const* v) {
    // The layout row first, wherever it comes: a newer layout is refused as such, whatever else
    // this runner cannot read.
    if (n >= 3 && v[0] != nullptr && std::strcmp(v[0], "-1") == 0 && v[2] != nullptr &&
        std::strcmp(v[2], "runner_meta") == 0) {
      layout = v[1] != nullptr ? v[1] : "";
      return;
    }
    if (n >= 3 && v[0] != nullptr && std::strcmp(v[0], "-2") == 0 && v[2] != nullptr &&
        std::strcmp(v[2], "runner_progress") == 0) {
      ++partial;  // a migration stopped part-way: read in full below
      return;
    }
    if (!bad.empty()) return;
    if (n < 5) {
      bad = fmt::format("runner_history's query returned {} columns, expected 5", n);
      return;
    }
    char* end = nullptr;
    const long long version = v[0] != nullptr ? std::strtoll(v[0], &end, 10) : 0;
    if (v[0] == nullptr || *end != '\0') {
      bad = fmt::format("runner_history holds a row that is not a runner's (version '{}')", v[0] ? v[0] : "NULL");
      return;
    }
    if (version < 0) {
      bad = fmt::format("runner_history holds a negative version ({})", version);
      return;
    }
    r.rows.push_back({static_cast<std::uint64_t>(version), v[1] ? v[1] : "", v[2] ? v[2] : "", v[3] ? v[3] : "",
                      v[4] != nullptr ? std::strtoll(v[4], nullptr, 10) : 0});
  };
  const std::string what = "reading runner_history (is it a runner table?)";
  if (!meta) {
    connection_.query_each(sql_.select, parse, what);
  } else {
    try {
      connection_.query_each(progress ? sql_.select_with_progress : sql_.select_with_layout, parse, what);
    } catch (const DatabaseError&) {
      // Tables a newer runner laid out may not answer this runner's query: say that, not the query's error.
      r.tables.version = layout_number(connection_.query_string(sql_.meta_select), connection_.display());
      if (r.tables.version > known_version()) return r;
      throw;
    }
    r.tables.version = layout_number(layout, connection_.display());
  }
  if (r.tables.version > known_version()) {
    r.rows.clear();
    return r;
  }
  if (!bad.empty()) throw DatabaseError(fmt::format("{}: {}", connection_.display(), bad));
  if (partial > 0) r.partial = this->progress();
  // select_with_layout leaves the order to the database (sorting a union costs more than here).
  if (!std::is_sorted(r.rows.begin(), r.rows.end(),
                      [](const AppliedMigration& a, const AppliedMigration& b) { return a.version < b.version; }))
    std::sort(r.rows.begin(), r.rows.end(),
              [](const AppliedMigration& a, const AppliedMigration& b) { return a.version < b.version; });
  return r;
}

void HistoryStore::upgrade(long long from) {
  for (const auto& [to, sql] : sql_.upgrade)
    if (to > from)
      connection_.execute(sql, {}, fmt::format("bringing runner's tables to layout {}: {}", to, first_line(sql)));
  record_layout();
}

void HistoryStore::record_layout() {
  connection_.execute(sql_.meta_set, {std::to_string(sql_.tables_version)}, "recording the layout in runner_meta");
}

void HistoryStore::create() {
  for (const auto& ddl : sql_.create) connection_.execute(ddl);
}

void HistoryStore::insert(const AppliedMigration& row) {
  // One round trip: the driver sends the statement and its values together.
  connection_.execute(
      sql_.insert,
      {std::to_string(row.version), row.name, row.checksum, row.applied_at, std::to_string(row.execution_ms)},
      fmt::format("recording version {} in runner_history", row.version));
}

void HistoryStore::progress_start(const PartialMigration& p) {
  connection_.execute(sql_.progress_start,
                      {std::to_string(p.version), p.name, p.direction == Direction::up ? "up" : "down", p.checksum,
                       std::to_string(p.statements), p.started_at},
                      fmt::format("recording the start of migration {} in runner_progress", p.version));
}

void HistoryStore::progress_step(std::uint64_t version, std::size_t applied, const StatementHashes& hashes,
                                 const std::string& now) {
  connection_.execute(sql_.progress_step,
                      {std::to_string(version), std::to_string(applied), hashes.prefix(), hashes.each_text(), now},
                      fmt::format("recording statement {} of migration {} in runner_progress", applied, version));
}

void HistoryStore::progress_fail(std::uint64_t version, const std::string& error, const std::string& file,
                                 std::uint32_t line, const std::string& now) {
  connection_.execute(sql_.progress_fail, {std::to_string(version), error, file, std::to_string(line), now},
                      fmt::format("recording the failure of migration {} in runner_progress", version));
}

void HistoryStore::progress_delete(std::uint64_t version) {
  connection_.execute(sql_.progress_delete, {std::to_string(version)},
                      fmt::format("clearing migration {} from runner_progress", version));
}

std::vector<PartialMigration> HistoryStore::progress() {
  std::vector<PartialMigration> out;
  if (!sql_.tracks_progress()) return out;
  std::string bad;
  auto number = [](const char* v) { return v != nullptr ? std::strtoull(v, nullptr, 10) : 0ull; };
  connection_.query_each(
      sql_.progress_select,
      [&](std::uint32_t n, const char* const* v) {
        if (n < 13) {
          bad = fmt::format("runner_progress's query returned {} columns, expected 13", n);
          return;
        }
        auto text = [&](int i) { return std::string(v[i] != nullptr ? v[i] : ""); };
        // A row edited by hand is refused, not read loosely (as runner_history's are).
        const auto plain = [&](int i) {
          return v[i] != nullptr && *v[i] != '\0' && std::strspn(v[i], "0123456789") == std::strlen(v[i]);
        };
        if (!plain(0) || !plain(4) || !plain(5) || !plain(10) || number(v[5]) > number(v[4]) ||
            (text(2) != "up" && text(2) != "down")) {
          if (bad.empty())
            bad = fmt::format(
                "runner_progress holds a row that is not a runner's (version '{}', direction '{}', "
                "{} of {} statements): restore it, or delete the row once you know what the migration "
                "left",
                text(0), text(2), text(5), text(4));
          return;
        }
        PartialMigration p;
        p.version = number(v[0]);
        p.name = text(1);
        p.direction = text(2) == "down" ? Direction::down : Direction::up;
        p.checksum = text(3);
        p.statements = number(v[4]);
        p.applied = number(v[5]);
        p.prefix_hash = text(6);
        p.statement_hashes = StatementHashes::parse_each(text(7));
        p.error = text(8);
        p.error_file = text(9);
        p.error_line = static_cast<std::uint32_t>(number(v[10]));
        p.started_at = text(11);
        p.updated_at = text(12);
        out.push_back(std::move(p));
      },
      "reading runner_progress");
  if (!bad.empty()) throw DatabaseError(fmt::format("{}: {}", connection_.display(), bad));
  return out;
}

bool HistoryStore::lock_held() { return sql_.lock_check.empty() || connection_.query_int(sql_.lock_check) == 1; }

void HistoryStore::remove(std::uint64_t version) {
  connection_.execute(sql_.remove, {std::to_string(version)},
                      fmt::format("removing version {} from runner_history", version));
}

}  // namespace runner
