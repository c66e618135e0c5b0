// SPDX-License-Identifier: MIT
// scripts/bench's in-process cases: what an application pays calling runner from its own code, each
// against the floor of doing the least the same work needs with SQLite's own C API in the same
// process. Prints "name|floor seconds|runner seconds" per case (medians).
//   runner_library_bench DB_N SQL_N DB_SAMPLE SQL_SAMPLE RUNS
#include "runner/migrator.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace {

double median_seconds(int runs, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  std::fprintf(stderr, "library_bench: %s: %s\n", what, db != nullptr ? sqlite3_errmsg(db) : "?");
  std::exit(1);
}

// The no-op floor: open the file, ask one question (which loads its schema), close.
void sqlite_one_query(const std::string& file) {
  sqlite3* db = nullptr;
  check(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), db, "open");
  sqlite3_stmt* st = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, nullptr), db, "prepare");
  check(sqlite3_step(st), db, "step");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// The in-memory build's floor: the SQL runner runs for it (its --sql script for SQLite, with the
// same history rows and one transaction per migration), less the sqlite3 shell's dot-commands, run
// by SQLite's own sqlite3_exec.
std::string sqlite_script(const std::string& sql_dir) {
  runner::MigratorOptions o;
  o.url = "sqlite::memory:";
  o.sql_dir = sql_dir;
  std::istringstream script(runner::Migrator(o).sql_script("base:head"));
  std::string out, line;
  while (std::getline(script, line))
    if (line.empty() || line[0] != '.') out += line + "\n";
  return out;
}

void print(const char* name, double floor, double ours) { std::printf("%s|%.6f|%.6f\n", name, floor, ours); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: runner_library_bench DB_N SQL_N DB_SAMPLE SQL_SAMPLE RUNS\n");
    return 2;
  }
  const std::string db_n = argv[1], sql_n = argv[2], db_sample = argv[3], sql_sample = argv[4];
  const int runs = std::atoi(argv[5]);
  auto upgrade = [](const std::string& url, const std::string& sql) {
    runner::MigratorOptions o;
    o.url = url;
    o.sql_dir = sql;
    runner::Migrator m(o);
    return m.upgrade();
  };
  try {
    upgrade("sqlite:" + db_n, sql_n);  // brought to head (and its checksums remembered) first
    upgrade("sqlite:" + db_sample, sql_sample);
    print("library no-op (N applied)", median_seconds(runs, [&] { sqlite_one_query(db_n); }),
          median_seconds(runs, [&] { upgrade("sqlite:" + db_n, sql_n); }));
    print("library no-op (12 applied)", median_seconds(runs, [&] { sqlite_one_query(db_sample); }),
          median_seconds(runs, [&] { upgrade("sqlite:" + db_sample, sql_sample); }));
    const std::string script = sqlite_script(sql_sample);
    const double floor = median_seconds(runs, [&] {
      sqlite3* db = nullptr;
      check(sqlite3_open(":memory:", &db), db, "open");
      check(sqlite3_exec(db, script.c_str(), nullptr, nullptr, nullptr), db, "exec");
      sqlite3_close(db);
    });
    print("library :memory: sample build", floor, median_seconds(runs, [&] {
            if (upgrade("sqlite::memory:", sql_sample).to != 12) std::exit(1);
          }));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "library_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
