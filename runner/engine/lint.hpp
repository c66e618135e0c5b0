// SPDX-License-Identifier: MIT
// runner lint: what in a migration file could hurt a database in production, found before
// anything runs. The dialect plugin's rules read each statement with the database's own parser;
// here the file is read as a run reads it (directives, placeholders, its own BEGIN ... COMMIT),
// the run's own refusals become findings too, and -- runner:lint-ignore comments silence the
// statement below them, the reason shown.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/engine/step_source.hpp"

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace runner {

enum class LintLevel { note, warning, error };

struct LintFinding {
  std::string file;
  std::uint32_t line = 0;  // the first line of the statement (0: the whole file)
  std::string rule;        // "require-concurrent-index-creation"
  LintLevel level = LintLevel::warning;
  std::string message;      // what happens
  std::string fix;          // how to write it safely ("" when none is known)
  std::string table;        // the table it concerns, as the file names it
  long long rows = -1;      // with a database: the table's rows (-1: unknown)
  std::string rows_source;  // "estimate", "sqlite_stat1", "count"
  long long bytes = -1;     // with a database: its size on disk (-1: unknown)
  bool ignored = false;     // silenced by a lint-ignore comment
  std::string ignore_reason;
  bool refused = false;         // the run fails on the statement: no comment silences it
  std::uint32_t statement = 0;  // its statement's index in the file (0: unknown)
};

// The tables the migrations of one run create, file after file: what a later file does to them
// concerns nobody's rows or queries yet.
struct RunTables {
  std::set<std::string> created;  // "table", or "schema.table" as written
};

struct LintSettings {
  Placeholders placeholders;  // for files that say -- runner:placeholders
  bool lock_wait = false;     // --lock-wait bounds every lock wait
};

// The findings of one migration file, in line order. down: a .down.sql file (destructive
// statements are its job: warnings there). db: the database it would run on, for table sizes
// (null: none). run: the files of the same run before this one, and what they create (null:
// linted alone); this file's tables are added to it. A file the run would refuse is one error
// finding saying why, not a throw.
std::vector<LintFinding> lint_file(const Dialect& dialect, const std::filesystem::path& path, bool down,
                                   const LintSettings& settings, SqlReader* db, RunTables* run = nullptr);

// upgrade --lint: lints each planned step's file (up or down), logs warnings, and throws
// SafetyError (exit 3) listing the error-level findings no comment silenced, when there are any.
void refuse_lint_errors(const Dialect& dialect, const std::vector<PreparedStep>& steps, const LintSettings& settings,
                        SqlReader* db, const std::string& display);

// An error no comment silenced: `runner lint` exits 1 and `upgrade --lint` refuses to run.
inline bool blocks(const LintFinding& f) { return f.level == LintLevel::error && !f.ignored; }

const char* level_name(LintLevel level);

// "FILE:LINE: error [RULE] MESSAGE (TABLE: ~N rows, SIZE)\n  fix: FIX": how runner prints one.
std::string describe_finding(const LintFinding& f);

}  // namespace runner
