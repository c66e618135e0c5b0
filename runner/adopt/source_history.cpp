// SPDX-License-Identifier: MIT
#include "runner/adopt/source_history.hpp"

#include "runner/base/errors.hpp"
#include "runner/db/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace runner {
namespace {

bool truthy(const std::string& v) { return v == "1" || v == "t" || v == "true" || v == "TRUE" || v == "True"; }

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::vector<std::string>> read_table(Connection& c, const std::string& table, const std::string& sql) {
  try {
    return c.query_rows(sql, "reading " + table);
  } catch (const Error& e) {
    throw SafetyError(fmt::format("cannot read {} in {}: {}", table, c.display(), e.what()));
  }
}

// Flyway's version order: "1.10" after "1.9", "2" after "1.9.9".
bool flyway_before_or_same(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& v) {
    std::vector<unsigned long long> p;
    std::size_t i = 0;
    while (i <= v.size()) {
      std::size_t dot = v.find_first_of("._", i);
      if (dot == std::string::npos) dot = v.size();
      const std::string part = v.substr(i, dot - i);
      p.push_back(all_digits(part) ? std::stoull(part) : 0);
      i = dot + 1;
    }
    while (p.size() > 1 && p.back() == 0) p.pop_back();
    return p;
  };
  return parts(a) <= parts(b);
}

std::string unknown(const std::string& table, const std::string& what, const std::string& key) {
  return fmt::format(
      "{} records {} {}, which no imported file carries (-- runner:imported-from): import the "
      "tool's folder again, or adopt this database after the files it ran are imported",
      table, what, key);
}

}  // namespace

std::string normal_key(const std::string& format, const std::string& key) {
  if (format == "alembic" || format == "sql-migrate" || format == "flyway" || !all_digits(key)) return key;
  const std::size_t nz = key.find_first_not_of('0');
  return nz == std::string::npos ? "0" : key.substr(nz);
}

std::string source_table(const std::string& format) {
  static const std::map<std::string, std::string> k_tables = {
      {"alembic", "alembic_version"}, {"golang-migrate", "schema_migrations"}, {"dbmate", "schema_migrations"},
      {"goose", "goose_db_version"},  {"sql-migrate", "gorp_migrations"},      {"flyway", "flyway_schema_history"}};
  auto it = k_tables.find(format);
  if (it == k_tables.end())
    throw UsageError(fmt::format(
        "adopt: unknown format '{}' (known: alembic, golang-migrate, dbmate, goose, sql-migrate, flyway)", format));
  return it->second;
}

bool source_table_readable(const std::string& format, Connection& c) {
  try {
    c.query_rows("SELECT 1 FROM " + source_table(format) + " WHERE 1 = 0", "looking for " + source_table(format));
    return true;
  } catch (const DatabaseError&) {
    return false;
  }
}

SourcePosition read_source_history(const std::string& format, Connection& c, const std::set<std::string>& keys) {
  SourcePosition p;
  auto need = [&](const std::string& what, const std::string& key) {
    if (!keys.count(key)) throw SafetyError(unknown(p.table, what, key));
  };
  if (format == "alembic") {
    p.table = "alembic_version";
    auto rows = read_table(c, p.table, "SELECT version_num FROM alembic_version");
    if (rows.size() > 1) {
      std::string heads;
      for (const auto& r : rows) heads += (heads.empty() ? "" : ", ") + r[0];
      throw SafetyError(
          fmt::format("alembic_version records {} heads ({}): merge them in Alembic (alembic merge, "
                      "then alembic upgrade heads) before adopting",
                      rows.size(), heads));
    }
    p.found = rows.empty() ? "alembic_version: empty (base)" : "alembic_version: " + rows[0][0];
    for (const auto& r : rows) {
      need("revision", r[0]);
      p.applied.insert(r[0]);
    }
  } else if (format == "golang-migrate") {
    p.table = "schema_migrations";
    auto rows = read_table(c, p.table, "SELECT version, dirty FROM schema_migrations");
    if (rows.size() > 1) throw SafetyError("schema_migrations holds more than one row: it is not golang-migrate's");
    if (!rows.empty()) {
      const std::string v = normal_key(format, rows[0][0]);
      if (truthy(rows[0][1]))
        throw SafetyError(
            fmt::format("schema_migrations is dirty at version {}: migration {} failed part-way under "
                        "golang-migrate; repair the schema by hand and clear the flag (migrate force "
                        "{}) before adopting",
                        v, v, v));
      need("version", v);
      p.found = "schema_migrations: " + v;
      for (const auto& k : keys)
        if (all_digits(k) && k.size() <= v.size() && (k.size() < v.size() || k <= v)) p.applied.insert(k);
    } else {
      p.found = "schema_migrations: empty (base)";
    }
  } else if (format == "dbmate") {
    p.table = "schema_migrations";
    for (const auto& r : read_table(c, p.table, "SELECT version FROM schema_migrations")) {
      const std::string v = normal_key(format, r[0]);
      need("version", v);
      p.applied.insert(v);
    }
    p.found = fmt::format("schema_migrations: {} versions", p.applied.size());
  } else if (format == "goose") {
    p.table = "goose_db_version";
    // Rows are appended for each up and down: the last row of a version says where it stands.
    std::map<std::string, bool> state;
    for (const auto& r : read_table(c, p.table, "SELECT version_id, is_applied FROM goose_db_version ORDER BY id")) {
      const std::string v = normal_key(format, r[0]);
      if (v == "0") continue;  // goose's own first row
      state[v] = truthy(r[1]);
    }
    for (const auto& [v, applied] : state)
      if (applied) {
        need("version", v);
        p.applied.insert(v);
      }
    p.found = fmt::format("goose_db_version: {} versions applied", p.applied.size());
  } else if (format == "sql-migrate") {
    p.table = "gorp_migrations";
    for (const auto& r : read_table(c, p.table, "SELECT id FROM gorp_migrations")) {
      need("migration", r[0]);
      p.applied.insert(r[0]);
    }
    p.found = fmt::format("gorp_migrations: {} migrations", p.applied.size());
  } else if (format == "flyway") {
    p.table = "flyway_schema_history";
    auto rows = read_table(c, p.table,
                           "SELECT version, success, type, script FROM flyway_schema_history "
                           "WHERE version IS NOT NULL ORDER BY installed_rank");
    for (const auto& r : rows) {
      if (!truthy(r[1]))
        throw SafetyError(
            fmt::format("flyway_schema_history records version {} ({}) as failed: repair it with "
                        "Flyway (flyway repair) before adopting",
                        r[0], r[3]));
      if (r[2] == "BASELINE") {
        for (const auto& k : keys)
          if (flyway_before_or_same(k, r[0])) p.applied.insert(k);
      } else if (r[2] == "UNDO_SQL" || r[2] == "UNDO_JDBC") {
        p.applied.erase(r[0]);
      } else if (r[2] != "SCHEMA") {
        need("version", r[0]);
        p.applied.insert(r[0]);
      }
    }
    p.found = fmt::format("flyway_schema_history: {} versions applied", p.applied.size());
  } else {
    throw UsageError(fmt::format(
        "adopt: unknown format '{}' (known: alembic, golang-migrate, dbmate, goose, sql-migrate, flyway)", format));
  }
  return p;
}

}  // namespace runner
