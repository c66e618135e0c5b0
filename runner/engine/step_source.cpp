// SPDX-License-Identifier: MIT
#include "runner/engine/step_source.hpp"

#include "plugins/dialect_abi.h"
#include "plugins/sdk/sql_text.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/core/checksum.hpp"
#include "runner/core/checksum_cache.hpp"
#include "runner/core/checksum_job.hpp"
#include "runner/core/migration_text.hpp"

#include <spdlog/spdlog.h>

namespace runner {
namespace {

constexpr std::uint32_t k_tx_flags = RUNNER_STMT_TX_BEGIN | RUNNER_STMT_TX_COMMIT | RUNNER_STMT_TX_OTHER;

// Where a file wraps its body in BEGIN ... COMMIT: [statements that must run outside a
// transaction] BEGIN body COMMIT [statements that must run outside one], as many hand-written
// migrations do (SQLite projects turn foreign keys off around a table rebuild). `begin` and
// `commit` index the pair; not `wrapped` for any other shape.
struct Wrapping {
  bool wrapped = false;
  std::size_t begin = 0, commit = 0;
};

Wrapping find_wrapping(const std::vector<SplitStatement>& s) {
  const auto outside = [](const SplitStatement& st) {
    return (st.flags & RUNNER_STMT_NO_TRANSACTION) && !(st.flags & k_tx_flags);
  };
  Wrapping w;
  std::size_t begin = 0;
  while (begin < s.size() && outside(s[begin])) ++begin;
  if (begin >= s.size() || !(s[begin].flags & RUNNER_STMT_TX_BEGIN)) return w;
  std::size_t commit = s.size() - 1;
  while (commit > begin && outside(s[commit])) --commit;
  if (commit <= begin || !(s[commit].flags & RUNNER_STMT_TX_COMMIT)) return w;
  for (std::size_t i = begin + 1; i < commit; ++i)
    if (s[i].flags & k_tx_flags) return w;
  w.wrapped = true;
  w.begin = begin;
  w.commit = commit;
  return w;
}

// A file may wrap its whole body in BEGIN ... COMMIT. The pair is left out instead of committing
// the runner's transaction half-way, and the runner's transaction opens with the file's BEGIN, so
// that options written there are not lost; what the file puts outside it runs outside it.
void drop_wrapping_transaction(PreparedStep& p) {
  auto& s = p.statements;
  const Wrapping w = find_wrapping(s);
  if (!w.wrapped) return;
  log().debug("{}: its own BEGIN (line {}) and COMMIT (line {}) are left out: the runner's transaction wraps it",
              p.file, s[w.begin].line, s[w.commit].line);
  p.begin_sql = s[w.begin].sql;
  while (!p.begin_sql.empty() && (p.begin_sql.back() == ';' || p.begin_sql.back() == ' ')) p.begin_sql.pop_back();
  p.begin_line = s[w.begin].line;
  // The migration's history row is written in the transaction the file's BEGIN opens.
  const std::size_t read = sdk::find_ignoring_case(p.begin_sql, "read", true);
  if (read != std::string::npos && sdk::keyword_at(p.begin_sql, sdk::skip_blank(p.begin_sql, read + 4, true)) == "ONLY")
    throw SourceError(p.file, p.begin_line,
                      "a READ ONLY transaction cannot record the migration in runner_history: remove READ ONLY "
                      "(the runner commits each migration with its history row)");
  p.outside_before = w.begin;
  p.outside_after = s.size() - 1 - w.commit;
  s.erase(s.begin() + static_cast<std::ptrdiff_t>(w.commit));
  s.erase(s.begin() + static_cast<std::ptrdiff_t>(w.begin));
}

// One callback file, split; each statement names the file. A callback runs in the migration's
// transaction, so it cannot ask for none.
std::vector<SplitStatement> read_callback(const std::filesystem::path& path, const Dialect& dialect,
                                          const Placeholders& placeholders) {
  const std::string file = path.generic_string();
  std::string text = read_migration_text(path, nullptr);
  const Directives directives = parse_directives(text, file);
  if (directives.no_transaction)
    throw SourceError(file, 0,
                      "a callback runs inside each migration's transaction (with the migration's own "
                      "statements); -- runner:no-transaction does not apply to it");
  if (directives.placeholders) text = substitute_placeholders(text, file, placeholders);
  std::vector<SplitStatement> statements = dialect.split(text, file, directives.as_written);
  for (auto& st : statements) st.file = file;
  return statements;
}

// Reads the file into p as it will run: directives honoured, placeholders replaced, split by the
// dialect, its own BEGIN ... COMMIT taken off. Returns the text as split; raw: the file as written
// (what history's checksum is of: a new placeholder value is no change).
std::string read_file_into(PreparedStep& p, const std::filesystem::path& path, const Dialect& dialect,
                           const Placeholders& placeholders, FileStamp* stamp, std::string* raw,
                           Directives* directives_out) {
  std::string text = read_migration_text(path, stamp);
  const Directives directives = parse_directives(text, p.file);
  if (raw != nullptr) *raw = text;
  p.in_transaction = !directives.no_transaction;
  if (directives.placeholders) text = substitute_placeholders(text, p.file, placeholders);
  p.statements = dialect.split(text, p.file, directives.as_written);
  // A statement the database commits around cannot share a transaction with the others: the file
  // runs statement by statement, each recorded, so that a failure part-way can be resumed.
  for (const auto& st : p.statements)
    if (st.flags & RUNNER_STMT_IMPLICIT_COMMIT) {
      p.in_transaction = false;
      p.implicit_commit_line = st.line;
      // Its opening words, enough to recognise it: CREATE TABLE t, ALTER TABLE t.
      p.implicit_commit_sql = statement_headline(st.sql);
      p.implicit_commit_sql = sdk::trim_space(p.implicit_commit_sql.substr(0, p.implicit_commit_sql.find('(')));
      if (p.implicit_commit_sql.size() > 60) p.implicit_commit_sql = p.implicit_commit_sql.substr(0, 57) + "...";
      break;
    }
  if (p.in_transaction) drop_wrapping_transaction(p);
  if (directives_out != nullptr) *directives_out = directives;
  return text;
}

}  // namespace

void check_transaction_rules(const PreparedStep& p) {
  if (!p.in_transaction) {
    // Without runner's transaction, the file's own BEGIN ... COMMIT is a transaction all the same.
    const SplitStatement* begin = nullptr;
    for (std::size_t i = 0; i < p.statements.size(); ++i) {
      const SplitStatement& st = p.statements[i];
      if (st.flags & RUNNER_STMT_TX_BEGIN) begin = &st;
      if (st.flags & (RUNNER_STMT_TX_COMMIT | RUNNER_STMT_TX_OTHER)) begin = nullptr;
      if (begin != nullptr && (st.flags & RUNNER_STMT_NO_TRANSACTION))
        throw SourceError(statement_file(p, st), st.line,
                          "statement " + std::to_string(i + 1) + " cannot run inside the transaction the file's " +
                              "BEGIN (line " + std::to_string(begin->line) + ") opened: " + statement_headline(st.sql) +
                              "\n  move it before the BEGIN or after the COMMIT");
      if (begin != nullptr && (st.flags & RUNNER_STMT_IMPLICIT_COMMIT))
        throw SourceError(statement_file(p, st), st.line,
                          "statement " + std::to_string(i + 1) + " commits the transaction the file's BEGIN (line " +
                              std::to_string(begin->line) +
                              ") opened, so what follows it would not be rolled back: " + statement_headline(st.sql) +
                              "\n  the database commits around this statement (DDL): move it before the BEGIN or "
                              "after the COMMIT");
    }
    return;
  }
  for (std::size_t i = p.outside_before; i + p.outside_after < p.statements.size(); ++i) {
    const SplitStatement& st = p.statements[i];
    if (!st.file.empty() && (st.flags & (RUNNER_STMT_NO_TRANSACTION | RUNNER_STMT_IMPLICIT_COMMIT | k_tx_flags)))
      throw SourceError(st.file, st.line,
                        "a callback runs inside the transaction of migration " + p.label +
                            ", and this statement cannot: " + statement_headline(st.sql) +
                            "\n  move it out of the callback (into a migration of its own that says "
                            "`-- runner:no-transaction`)");
    if (st.flags & (RUNNER_STMT_NO_TRANSACTION | RUNNER_STMT_IMPLICIT_COMMIT))
      throw SourceError(statement_file(p, st), st.line,
                        "statement " + std::to_string(i + 1) +
                            ((st.flags & RUNNER_STMT_IMPLICIT_COMMIT)
                                 ? std::string(" commits the transaction it runs in (the database commits around it): ")
                                 : std::string(" cannot run inside a transaction: ")) +
                            statement_headline(st.sql) +
                            "\n  add `-- runner:no-transaction` as the first line of the file to run this "
                            "migration without one (then a failure part-way is not rolled back)");
    // A file opening with BEGIN whose transaction ends before the file does (two BEGIN ... COMMIT
    // blocks, say): what breaks the one transaction runner runs it in is the statement ending it.
    if ((st.flags & RUNNER_STMT_TX_BEGIN) && i == p.outside_before) {
      for (std::size_t j = i + 1; j + p.outside_after < p.statements.size(); ++j) {
        const SplitStatement& end = p.statements[j];
        if (!(end.flags & k_tx_flags) || j + 1 + p.outside_after == p.statements.size()) continue;
        throw SourceError(statement_file(p, end), end.line,
                          "statement " + std::to_string(j + 1) + " ends the transaction the file's BEGIN (line " +
                              std::to_string(st.line) +
                              ") opened, before the file's end: " + statement_headline(end.sql) +
                              "\n  runner runs a migration in one transaction: keep one BEGIN ... COMMIT around the "
                              "whole file (or none), or add `-- runner:no-transaction` as the first line to manage "
                              "transactions yourself");
      }
    }
    if (st.flags & k_tx_flags)
      throw SourceError(statement_file(p, st), st.line,
                        "statement " + std::to_string(i + 1) +
                            " controls the transaction: " + statement_headline(st.sql) +
                            "\n  the runner wraps each migration in its own transaction; remove it, or add "
                            "`-- runner:no-transaction` as the first line to manage transactions yourself");
  }
}

std::string transaction_note(const PreparedStep& p) {
  if (p.in_transaction) return "in a transaction";
  if (p.implicit_commit_line == 0) return "without a transaction (-- runner:no-transaction)";
  return "statement by statement, each recorded as it commits (line " + std::to_string(p.implicit_commit_line) +
         " commits implicitly: " + p.implicit_commit_sql + ")";
}

std::string statement_headline(const std::string& sql) {
  std::size_t start = sql.find_first_not_of(" \t\r\n");
  // Skip leading comment lines so the message shows the SQL itself.
  while (start != std::string::npos && sql.compare(start, 2, "--") == 0) {
    std::size_t nl = sql.find('\n', start);
    if (nl == std::string::npos) return sql.substr(start);
    start = sql.find_first_not_of(" \t\r\n", nl);
  }
  if (start == std::string::npos) return "";
  std::string line = sql.substr(start, sql.find('\n', start) - start);
  if (line.size() > 120) line = line.substr(0, 117) + "...";
  return line;
}

void load_checksums(MigrationSet& set) {
  // A thread costs more than hashing a few files: small sets are read here and now.
  constexpr std::size_t k_background_from = 64;
  if (set.migrations.size() < k_background_from) {
    ChecksumCache cache(set.dir);
    for (auto& m : set.migrations) {
      FileStamp stamp;
      std::string sum = file_checksum(m.up, cache, &stamp);
      m.set_checksum(std::move(sum), stamp);
    }
    cache.save();
    return;
  }
  std::vector<std::filesystem::path> files;
  files.reserve(set.migrations.size());
  for (const auto& m : set.migrations) files.push_back(m.up);
  auto job = std::make_shared<const ChecksumJob>(set.dir, std::move(files));
  for (std::size_t i = 0; i < set.migrations.size(); ++i) set.migrations[i].set_checksum(job, i);
}

const SplitStatement* first_outside_transaction(const std::vector<SplitStatement>& s) {
  std::size_t from = 0, to = s.size();
  // BEGIN ... COMMIT around the whole file runs inside the runner's transaction, what is outside
  // it outside.
  if (const Wrapping w = find_wrapping(s); w.wrapped) {
    from = w.begin + 1;
    to = w.commit;
  }
  for (std::size_t i = from; i < to; ++i)
    if (s[i].flags & (RUNNER_STMT_NO_TRANSACTION | k_tx_flags)) return &s[i];
  return nullptr;
}

PreparedStep prepare_file(const std::filesystem::path& path, const Dialect& dialect, const Placeholders& placeholders,
                          std::string* text, Directives* directives, bool check) {
  PreparedStep p;
  p.file = path.generic_string();
  p.label = p.file;
  std::string split = read_file_into(p, path, dialect, placeholders, nullptr, nullptr, directives);
  if (text != nullptr) *text = std::move(split);
  if (check) check_transaction_rules(p);
  return p;
}

std::vector<PreparedStep> prepare_steps(const std::vector<Step>& steps, const Dialect& dialect,
                                        const Placeholders& placeholders, const Callbacks* callbacks, SqlReader* db) {
  std::vector<PreparedStep> prepared;
  prepared.reserve(steps.size());
  // Each callback read, split and checked once; spliced into the steps below.
  const auto callback = [&](const std::optional<std::filesystem::path>& file) {
    return callbacks != nullptr && file && !steps.empty() ? read_callback(*file, dialect, placeholders)
                                                          : std::vector<SplitStatement>{};
  };
  const std::vector<SplitStatement> before_migrate = callback(callbacks ? callbacks->before_migrate : std::nullopt);
  const std::vector<SplitStatement> after_migrate = callback(callbacks ? callbacks->after_migrate : std::nullopt);
  const std::vector<SplitStatement> before_each = callback(callbacks ? callbacks->before_each : std::nullopt);
  const std::vector<SplitStatement> after_each = callback(callbacks ? callbacks->after_each : std::nullopt);
  for (const Step& step : steps) {
    PreparedStep p;
    p.step = step;
    p.label = step.migration->label();
    const auto& path = step.direction == Direction::up ? step.migration->up : *step.migration->down;
    p.file = path.generic_string();
    FileStamp stamp;
    std::string raw;
    const std::string text = read_file_into(p, path, dialect, placeholders, &stamp, &raw, nullptr);
    if (step.direction == Direction::up)
      p.checksum = !step.migration->checksum().empty() && stamp == step.migration->up_stamp()
                       ? step.migration->checksum()
                       : sha256_hex(raw);
    // The callbacks run in the migration's transaction: before_migrate before the run's first
    // migration, after_migrate after its last, the _each ones around every one.
    // What the file runs outside the transaction stays outside the callbacks too.
    std::vector<SplitStatement> all;
    const bool first = prepared.empty(), last = prepared.size() + 1 == steps.size();
    const auto body_begin = p.statements.begin() + static_cast<std::ptrdiff_t>(p.outside_before);
    const auto body_end = p.statements.end() - static_cast<std::ptrdiff_t>(p.outside_after);
    all.insert(all.end(), std::make_move_iterator(p.statements.begin()), std::make_move_iterator(body_begin));
    if (first) all.insert(all.end(), before_migrate.begin(), before_migrate.end());
    all.insert(all.end(), before_each.begin(), before_each.end());
    all.insert(all.end(), std::make_move_iterator(body_begin), std::make_move_iterator(body_end));
    all.insert(all.end(), after_each.begin(), after_each.end());
    if (last) all.insert(all.end(), after_migrate.begin(), after_migrate.end());
    all.insert(all.end(), std::make_move_iterator(body_end), std::make_move_iterator(p.statements.end()));
    p.statements = std::move(all);
    check_transaction_rules(p);
    dialect.review(text, p.in_transaction, db, p.file);
    prepared.push_back(std::move(p));
  }
  return prepared;
}

}  // namespace runner
