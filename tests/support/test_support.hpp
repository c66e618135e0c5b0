// SPDX-License-Identifier: MIT
// Helpers every test binary shares: temporary folders, files, running the runner binary, and the
// PostgreSQL server the test command started.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace runner::test {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write_file(const fs::path& path, const std::string& text);
std::string read_file(const fs::path& path);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A runner process started in `cwd` with the database environment cleared (plus `env`).
class RunnerProcess {
 public:
  // max_file_bytes >= 0: files the runner writes may not grow past it (RLIMIT_FSIZE, with
  // SIGXFSZ ignored so that a write fails with EFBIG, as on a full disk).
  RunnerProcess(const std::vector<std::string>& args, const fs::path& cwd,
                const std::map<std::string, std::string>& env = {}, long max_file_bytes = -1);
  ~RunnerProcess();
  RunnerProcess(const RunnerProcess&) = delete;
  RunnerProcess& operator=(const RunnerProcess&) = delete;
  RunResult wait();
  // Sends `signal` to the process (as a deploy system or a Ctrl-C would).
  void send(int signal);
  // Waits until what it wrote to stderr contains `text`: false when it ended, or `seconds` passed,
  // first.
  bool wait_for_stderr(const std::string& text, double seconds = 30);

 private:
  int pid_ = -1;
  fs::path out_;
  fs::path err_;
  bool waited_ = false;
  int ended_status_ = -1;  // reaped by wait_for_stderr
};

// The runner binary the tests run: the one just built, or RUNNER_TEST_RUNNER_BIN (an installed
// runner: scripts/check_sdk.sh runs the suite against it with out-of-tree dialects).
std::string runner_binary();

// The folder of dialect plugins the tests load: the ones just built, or RUNNER_TEST_DIALECT_DIR
// (dialects built against the installed SDK). A runner process gets it as RUNNER_PLUGIN_PATH when
// it is set.
std::string dialect_dir();

// Runs the runner to completion.
RunResult run_runner(const std::vector<std::string>& args, const fs::path& cwd,
                     const std::map<std::string, std::string>& env = {}, long max_file_bytes = -1);

// The PostgreSQL server's base URL (RUNNER_TEST_PG_URL). Fails the test when it is not set: the
// PostgreSQL tests never skip silently.
std::string pg_url();

// The base URL of the PgBouncer in front of that server (RUNNER_TEST_PGBOUNCER_URL), whose
// databases tx, statement and session pool in those modes. Fails the test when it is not set.
std::string pgbouncer_url();

// The base URL of a streaming replica of that server (RUNNER_TEST_PG_REPLICA_URL, started by
// scripts/pg_replica.sh). Fails the test when it is not set.
std::string pg_replica_url();

// The MariaDB test server (RUNNER_TEST_MYSQL_URL, set by scripts/test.sh); fails the test when unset.
std::string mysql_url();

// A schema name no other test uses.
std::string unique_name(const std::string& prefix);

// The sample migrations shipped in sql/.
fs::path sample_sql_dir();

// Lower-case hex SHA-256 of a file's bytes.
std::string file_sha256(const fs::path& path);

// The folder of real-world migration sets (RUNNER_CORPUS_DIR, else ../shared/corpus beside the
// checkout); empty when absent.
fs::path corpus_dir();

}  // namespace runner::test
