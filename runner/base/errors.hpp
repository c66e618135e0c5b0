// SPDX-License-Identifier: MIT
// The runner's exception types, header-only, in the base every other layer (the plugin loader
// included) stands on. Each maps to one documented exit code; the CLI's single top-level handler
// prints the message and exits with it.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

// Exceptions cross the library's boundary (librunner.so to the application): their type
// information is visible whatever the build's default visibility.
#define RUNNER_EXCEPTION __attribute__((visibility("default")))

namespace runner {

// Exit codes, as documented in the README and `runner --help`.
enum ExitCode : int {
  k_exit_ok = 0,
  k_exit_failure = 1,  // a database or migration error
  k_exit_usage = 2,    // bad usage, configuration, plugins, or invalid migration files
  k_exit_refused = 3,  // refused for safety: changed checksum, lock timeout, out-of-order
};

class RUNNER_EXCEPTION Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual int exit_code() const noexcept { return k_exit_failure; }
  // The file and line the user must look at, when one is known ("" and 0 otherwise).
  const std::string& file() const noexcept { return file_; }
  std::uint32_t line() const noexcept { return line_; }

  // What the database said, when a database refused something: kept as fields (--json carries
  // them) besides the message that quotes them. Empty when the database gave none.
  struct DatabaseSaid {
    std::string sqlstate;
    std::string detail;
    std::string hint;
    std::string code;  // the database's error code in words, where it has no SQLSTATE
  };
  const DatabaseSaid& database_said() const noexcept { return database_said_; }
  void set_database_said(DatabaseSaid said) { database_said_ = std::move(said); }

 protected:
  void set_location(const std::string& file, std::uint32_t line) {
    file_ = file;
    line_ = line;
  }

 private:
  std::string file_;
  std::uint32_t line_ = 0;
  DatabaseSaid database_said_;
};

// Bad command line, configuration or URL.
class RUNNER_EXCEPTION UsageError : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return k_exit_usage; }
};

// A migration file, or the set of them, is invalid. what() starts with "file:line: " when known.
class RUNNER_EXCEPTION SourceError : public Error {
 public:
  SourceError(const std::string& file, std::uint32_t line, const std::string& message)
      : Error(file.empty() ? message
              : line > 0   ? file + ":" + std::to_string(line) + ": " + message
                           : file + ": " + message) {
    set_location(file, line);
  }
  explicit SourceError(const std::string& message) : Error(message) {}
  int exit_code() const noexcept override { return k_exit_usage; }
};

// The request cannot be planned against these files and this history (unknown target, a migration
// without a down file, ...). Nothing has run.
class RUNNER_EXCEPTION PlanError : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return k_exit_usage; }
};

// Refused to protect the database: a changed or missing applied file, a lock held elsewhere.
class RUNNER_EXCEPTION SafetyError : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return k_exit_refused; }
};

// The run stopped on request (SIGINT, SIGTERM, Migrator::interrupt()) at a point where nothing was
// left half-done: exit 128 + the signal (130 for SIGINT, 143 for SIGTERM).
class RUNNER_EXCEPTION InterruptedError : public Error {
 public:
  InterruptedError(const std::string& message, int exit_code) : Error(message), exit_code_(exit_code) {}
  int exit_code() const noexcept override { return exit_code_; }

 private:
  int exit_code_;
};

// The database refused a connection or a runner statement.
class RUNNER_EXCEPTION DatabaseError : public Error {
 public:
  using Error::Error;
};

// Writing the command's output failed (standard output, an -o file): a full disk, a closed pipe.
class RUNNER_EXCEPTION OutputError : public Error {
 public:
  using Error::Error;
};

// A plugin could not be found, loaded or trusted (wrong ABI, not a plugin).
class RUNNER_EXCEPTION DialectLoadError : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return k_exit_usage; }
};

// A plugin call failed in a way that is not the user's input.
class RUNNER_EXCEPTION DialectError : public Error {
 public:
  using Error::Error;
};

}  // namespace runner
