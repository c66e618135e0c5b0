// SPDX-License-Identifier: MIT
// One database per test, on SQLite (a file in the test's folder) or PostgreSQL (a schema of its
// own on the test server), so the same checks run against both.
#pragma once

#include "tests/support/database_probe.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

namespace runner::test {

struct TestDatabase {
  std::string url;
  std::string sqlite_file;  // empty on PostgreSQL
  std::string pg_base;
  std::string schema;
  std::string mysql_base;  // the MariaDB server's URL; schema is then the database

  std::unique_ptr<DatabaseProbe> probe() const {
    if (!mysql_base.empty()) return DatabaseProbe::mysql(mysql_base, schema);
    return sqlite_file.empty() ? DatabaseProbe::postgresql(pg_base, schema) : DatabaseProbe::sqlite(sqlite_file);
  }
};

inline TestDatabase sqlite_database(const TempDir& dir, const std::string& name = "test.db") {
  TestDatabase d;
  d.sqlite_file = (dir / name).string();
  d.url = "sqlite:" + d.sqlite_file;
  return d;
}

inline TestDatabase pg_database(const std::string& prefix = "t") {
  TestDatabase d;
  d.pg_base = pg_url();
  d.schema = unique_name(prefix);
  d.url = d.pg_base + "?schema=" + d.schema;
  return d;
}

// A PostgreSQL database of its own, used without ?schema= (the connection's default schema), or
// where per-database objects (extensions) would collide between tests.
inline TestDatabase pg_own_database(const std::string& prefix) {
  TestDatabase db;
  std::string name = unique_name(prefix);
  db.pg_base = pg_url();
  DatabaseProbe::postgresql(db.pg_base, "public")->execute("CREATE DATABASE " + name);
  db.pg_base = db.pg_base.substr(0, db.pg_base.rfind('/') + 1) + name;
  db.schema = "public";
  db.url = db.pg_base;
  return db;
}

// A MariaDB database of its own on the test server (MySQL's schemas are databases).
inline TestDatabase mysql_database(const std::string& prefix = "t") {
  TestDatabase db;
  db.mysql_base = mysql_url();
  db.schema = unique_name(prefix);
  DatabaseProbe::mysql(db.mysql_base, "")->execute("CREATE DATABASE " + db.schema);
  db.url = db.mysql_base.substr(0, db.mysql_base.rfind('/') + 1) + db.schema;
  return db;
}

// Runs the runner in `dir` against `db` with `args` (the command first), -d added.
inline RunResult run(const TempDir& dir, const TestDatabase& db, std::vector<std::string> args,
                     const std::string& sql_dir = "sql") {
  args.insert(args.end(), {"-d", db.url, "-s", sql_dir});
  return run_runner(args, dir.path());
}

inline std::vector<std::int64_t> history_versions(const TestDatabase& db) {
  std::vector<std::int64_t> v;
  for (const auto& row : db.probe()->history()) v.push_back(row.version);
  return v;
}

// Whether the run left no trace: no SQLite file, no PostgreSQL schema.
inline bool never_created(const TestDatabase& db) {
  if (!db.sqlite_file.empty()) return !fs::exists(db.sqlite_file);
  return DatabaseProbe::postgresql(db.pg_base, "public")
             ->count("SELECT count(*) FROM pg_namespace WHERE nspname = " + sql_literal(db.schema)) == 0;
}

// Boost.Test reports a case whose precondition fails as skipped, with this reason.
inline boost::test_tools::assertion_result corpus_present(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result present(!corpus_dir().empty());
  present.message() << "no corpus folder: set RUNNER_CORPUS_DIR or put ../shared/corpus beside the checkout";
  return present;
}

// Shadow schemas and databases (runner_shadow_*) left on the test server: none may outlive the
// command that made them.
inline long long shadows_left(const std::string& base) {
  auto probe = DatabaseProbe::postgresql(base, "public");
  return probe->count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'runner\\_shadow\\_%'") +
         probe->count("SELECT count(*) FROM pg_database WHERE datname LIKE 'runner\\_shadow\\_%'");
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace runner::test
