// SPDX-License-Identifier: MIT
// Turns planned steps into what will run: each file read, its directives honoured, split by the
// dialect, and checked against the transaction rules. All of it happens before the first
// statement runs, so a bad file stops the run with nothing applied.
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/migration_text.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/core/plan.hpp"

#include <string>
#include <vector>

namespace runner {

struct PreparedStep {
  Step step;
  std::string label;
  std::string file;      // the file that runs, for messages
  std::string checksum;  // of the up file as run (for up steps)
  bool in_transaction = true;
  // Why not, when the file does not say -- runner:no-transaction: its first statement the database
  // commits around (DDL that commits implicitly), which makes one transaction impossible; 0 when none.
  std::uint32_t implicit_commit_line = 0;
  std::string implicit_commit_sql;
  // The file's own BEGIN when it wraps its body in BEGIN ... COMMIT: the migration's transaction
  // opens with it, so its options (ISOLATION LEVEL, READ ONLY, DEFERRABLE, IMMEDIATE) hold.
  std::string begin_sql;
  std::uint32_t begin_line = 0;
  std::vector<SplitStatement> statements;
  // A file that wraps its body in BEGIN ... COMMIT may put statements that must run outside a
  // transaction (SQLite's PRAGMA foreign_keys) before and after it: the first `outside_before` and
  // the last `outside_after` statements run there, around the migration's transaction.
  std::size_t outside_before = 0;
  std::size_t outside_after = 0;
};

// Throws SourceError (file, line) for unreadable files, lexer errors, unknown directives, and a
// statement the database refuses inside a transaction when the file does not say
// `-- runner:no-transaction`.
// placeholders: the values for files that opt in with -- runner:placeholders.
// db: the database the steps will run on, for the dialect's plan-time review (null: none at hand).
// callbacks: spliced into the steps (before_migrate into the first, after_migrate into the last,
// the _each ones into every step); null: none (explain shows one file as it is).
std::vector<PreparedStep> prepare_steps(const std::vector<Step>& steps, const Dialect& dialect,
                                        const Placeholders& placeholders, const Callbacks* callbacks,
                                        SqlReader* db = nullptr);

// One migration file read and checked as prepare_steps reads it (directives, placeholders, the
// dialect's split, its own BEGIN ... COMMIT), without callbacks or the dialect's review; lint reads
// files with it. text: the text as split (placeholders replaced); directives: the file's. Throws
// SourceError as prepare_steps does; with check false, not for the transaction rules.
PreparedStep prepare_file(const std::filesystem::path& path, const Dialect& dialect, const Placeholders& placeholders,
                          std::string* text = nullptr, Directives* directives = nullptr, bool check = true);

// Throws SourceError naming the first statement of `p` that cannot run in the runner's transaction
// (when `p` runs in one): one the database refuses there, or transaction control other than one
// BEGIN ... COMMIT around the whole file.
void check_transaction_rules(const PreparedStep& p);

// The file a statement of `p` comes from: a callback's, else the step's.
inline const std::string& statement_file(const PreparedStep& p, const SplitStatement& st) {
  return st.file.empty() ? p.file : st.file;
}

// The first statement that keeps a file's statements out of the runner's transaction: one the
// database refuses inside a transaction, or transaction control other than a BEGIN ... COMMIT
// around the whole file (with, outside it, only statements that must run outside a transaction).
// Null when the file can run in one.
const SplitStatement* first_outside_transaction(const std::vector<SplitStatement>& statements);

// Reads every up file of `set` and fills Migration::checksum(): on a thread of its own for a large
// set, so that the caller connects meanwhile.
void load_checksums(MigrationSet& set);

// How a step runs, for plans and scripts: "in a transaction", "without a transaction
// (-- runner:no-transaction)", or statement by statement because its line N commits implicitly.
std::string transaction_note(const PreparedStep& p);

// The first line of a statement's first token, for messages.
std::string statement_headline(const std::string& sql);

}  // namespace runner
