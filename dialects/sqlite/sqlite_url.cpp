// SPDX-License-Identifier: MIT
#include "sqlite_url.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace runner::sqlite {

void describe_database(std::string_view url, std::string_view base_dir, std::uint32_t lock_timeout_s,
                       const sdk::Sink& out) {
  constexpr std::string_view scheme = "sqlite:";
  if (url.substr(0, scheme.size()) != scheme)
    throw sdk::Failure(RUNNER_ERR_SYNTAX, 0, "not a sqlite URL (expected sqlite:PATH)");
  std::string_view path = url.substr(scheme.size());
  if (path.substr(0, 2) == "//") path.remove_prefix(2);  // sqlite://rel, sqlite:///abs
  if (path.empty()) throw sdk::Failure(RUNNER_ERR_SYNTAX, 0, "sqlite URL has no path (expected sqlite:PATH)");
  // Taken as part of the file name, a query would create "data.db?mode=ro" next to data.db.
  if (std::size_t q = path.find('?'); q != std::string_view::npos)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       "sqlite URLs take no parameters ('" + std::string(path.substr(q)) +
                           "'): give the file's path alone (runner opens it read-write, and only commands that "
                           "change it take its lock)");
  // SOCI's connect-string parser takes a double-quoted value verbatim but has no escape for '"'.
  if (path.find('"') != std::string_view::npos)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0, "sqlite path may not contain a double quote");

  const bool memory = path == ":memory:";
  std::string file(path);
  // A shell expands ~ only at the start of a word; in a URL or runner.ini it would make a folder
  // named "~".
  if (file == "~" || file.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0')
      throw sdk::Failure(RUNNER_ERR_USAGE, 0, "the sqlite path starts with ~ but HOME is not set");
    file = std::string(home) + file.substr(1);
  }
  if (!memory && file[0] != '/' && !base_dir.empty() && base_dir != ".")
    file = std::string(base_dir) + (base_dir.back() == '/' ? "" : "/") + file;
  if (file.find('"') != std::string::npos)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0, "sqlite path may not contain a double quote");
  // :memory: is a new database on every connection. Named in shared-cache mode instead, every
  // connection with this connect string reaches one database, which lives while one of them is
  // open: the host keeps one open across calls (keep_open), and a run's second connection (the
  // offline replay, a check) sees what the first built.
  if (memory) {
    static std::atomic<unsigned long> counter{0};
    file = "file:runner-memory-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) +
           "?mode=memory&cache=shared";
    out.field("keep_open", "1");
  }
  std::string connect = "db=\"" + file + "\" timeout=" + std::to_string(lock_timeout_s);
  out.field("connect", connect);
  out.field("display", std::string(scheme) + (memory ? ":memory:" : file));
  out.field("schema", "");
  // The file the run lock (runner_sql's lock_file) takes an exclusive flock on for the whole
  // run; SQLite itself uses fcntl locks, which flock does not interfere with on Linux.
  out.field("file", memory ? std::string() : file);
  // Each migration starts with foreign keys off, as SQLite opens a connection: one that turns them
  // on (pocket-id's files end with PRAGMA foreign_keys=ON after their COMMIT) does so for itself,
  // and a later table rebuild still runs with them off. Before the migration's BEGIN: inside a
  // transaction SQLite ignores it.
  out.field("reset_sql", "PRAGMA foreign_keys = OFF");
}

}  // namespace runner::sqlite
