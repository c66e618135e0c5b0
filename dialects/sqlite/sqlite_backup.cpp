// SPDX-License-Identifier: MIT
#include "sqlite_backup.hpp"

#include <sqlite3.h>

#include <memory>

namespace runner::sqlite {
namespace {

// The file in a connect string this plugin wrote: db="PATH" timeout=N.
std::string file_of(const std::string& connect) {
  const std::size_t start = connect.find("db=\"");
  const std::size_t end = start == std::string::npos ? start : connect.find('"', start + 4);
  if (end == std::string::npos) throw sdk::Failure(RUNNER_ERR_INTERNAL, 0, "not a sqlite connect string");
  return connect.substr(start + 4, end - start - 4);
}

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, Closer>;

Db open(const std::string& file, int flags, const char* what) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags | SQLITE_OPEN_URI, nullptr);
  Db owned(db);
  if (rc != SQLITE_OK)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       std::string("cannot open ") + what + " " + file + ": " +
                           (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  // Another connection writing meanwhile: wait for it as the run would.
  sqlite3_busy_timeout(db, 60000);
  return owned;
}

// Copies every page of `from` into `to`; what a writer changes meanwhile is copied again.
void copy(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (b == nullptr) throw sdk::Failure(RUNNER_ERR_USAGE, 0, what + ": " + sqlite3_errmsg(to));
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw sdk::Failure(RUNNER_ERR_USAGE, 0, what + ": " + sqlite3_errstr(rc));
}

}  // namespace

void backup(const std::string& connect, const std::string& dest, const sdk::Sink& out) {
  Db from = open(file_of(connect), SQLITE_OPEN_READONLY, "the database");
  // The host names a new file; one that exists is not overwritten.
  Db to = open(dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "the backup");
  copy(from.get(), to.get(), "backing up into " + dest);
  out.field("format", "sqlite");
}

void restore(const std::string& connect, const std::string& src) {
  Db from = open(src, SQLITE_OPEN_READONLY, "the backup");
  Db to = open(file_of(connect), SQLITE_OPEN_READWRITE, "the database");
  copy(from.get(), to.get(), "restoring from " + src);
}

}  // namespace runner::sqlite
