// SPDX-License-Identifier: MIT
#include "runner/engine/step_source.hpp"

#include "plugins/dialect_abi.h"
#include "plugins/sdk/sql_text.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/core/checksum.hpp"
#include "runner/core/migration_text.hpp"

#include <spdlog/spdlog.h>

namespace runner {
namespace {

constexpr std::uint32_t k_tx_flags = RUNNER_STMT_TX_BEGIN | RUNNER_STMT_TX_COMMIT | RUNNER_STMT_TX_OTHER;

// A file may wrap its whole body in BEGIN ... COMMIT (as many hand-written migrations do). The
// pair is left out instead of committing the runner's transaction half-way, and the runner's
// transaction opens with the file's BEGIN, so that options written there are not lost.
void drop_wrapping_transaction(PreparedStep& p) {
  auto& s = p.statements;
  if (s.size() < 2 || !(s.front().flags & RUNNER_STMT_TX_BEGIN) || !(s.back().flags & RUNNER_STMT_TX_COMMIT)) return;
  for (std::size_t i = 1; i + 1 < s.size(); ++i)
    if (s[i].flags & k_tx_flags) return;
  log().debug("{}: its own BEGIN (line {}) and COMMIT (line {}) are left out: the runner's transaction wraps it",
              p.file, s.front().line, s.back().line);
  p.begin_sql = s.front().sql;
  while (!p.begin_sql.empty() && (p.begin_sql.back() == ';' || p.begin_sql.back() == ' ')) p.begin_sql.pop_back();
  p.begin_line = s.front().line;
  // The migration's history row is written in the transaction the file's BEGIN opens.
  const std::size_t read = sdk::find_ignoring_case(p.begin_sql, "read", true);
  if (read != std::string::npos && sdk::keyword_at(p.begin_sql, sdk::skip_blank(p.begin_sql, read + 4, true)) == "ONLY")
    throw SourceError(p.file, p.begin_line,
                      "a READ ONLY transaction cannot record the migration in runner_history: remove READ ONLY "
                      "(the runner commits each migration with its history row)");
  s.pop_back();
  s.erase(s.begin());
}

void check_transaction_rules(const PreparedStep& p) {
  if (!p.in_transaction) return;
  for (std::size_t i = 0; i < p.statements.size(); ++i) {
    const SplitStatement& st = p.statements[i];
    if (st.flags & RUNNER_STMT_NO_TRANSACTION)
      throw SourceError(p.file, st.line,
                        "statement " + std::to_string(i + 1) +
                            " cannot run inside a transaction: " + statement_headline(st.sql) +
                            "\n  add `-- runner:no-transaction` as the first line of the file to run this "
                            "migration without one (then a failure part-way is not rolled back)");
    if (st.flags & k_tx_flags)
      throw SourceError(p.file, st.line,
                        "statement " + std::to_string(i + 1) +
                            " controls the transaction: " + statement_headline(st.sql) +
                            "\n  the runner wraps each migration in its own transaction; remove it, or add "
                            "`-- runner:no-transaction` as the first line to manage transactions yourself");
  }
}

}  // namespace

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
  for (auto& m : set.migrations) m.checksum = sha256_hex(read_migration_text(m.up, &m.up_stamp));
}

std::vector<PreparedStep> prepare_steps(const std::vector<Step>& steps, const Dialect& dialect,
                                        const Placeholders& placeholders, SqlReader* db) {
  std::vector<PreparedStep> prepared;
  prepared.reserve(steps.size());
  for (const Step& step : steps) {
    PreparedStep p;
    p.step = step;
    p.label = step.migration->label();
    const auto& path = step.direction == Direction::up ? step.migration->up : *step.migration->down;
    p.file = path.generic_string();
    FileStamp stamp;
    std::string text = read_migration_text(path, &stamp);
    if (step.direction == Direction::up)
      p.checksum = !step.migration->checksum.empty() && stamp == step.migration->up_stamp ? step.migration->checksum
                                                                                          : sha256_hex(text);
    const Directives directives = parse_directives(text, p.file);
    p.in_transaction = !directives.no_transaction;
    // After the checksum: the file as written is what history keeps, so a new value is no change.
    if (directives.placeholders) text = substitute_placeholders(text, p.file, placeholders);
    p.statements = dialect.split(text, p.file, directives.as_written);
    if (p.in_transaction) drop_wrapping_transaction(p);
    check_transaction_rules(p);
    dialect.review(text, p.in_transaction, db, p.file);
    prepared.push_back(std::move(p));
  }
  return prepared;
}

}  // namespace runner
