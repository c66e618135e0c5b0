// SPDX-License-Identifier: MIT
#include "runner/engine/offline_translation.hpp"

#include "plugins/dialect_abi.h"
#include "runner/core/errors.hpp"
#include "runner/core/plan.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/connection_reader.hpp"

#include <algorithm>
#include <memory>

namespace runner {
namespace {

bool needs_translation(const std::vector<PreparedStep>& steps) {
  for (const auto& p : steps)
    for (const auto& st : p.statements)
      if (st.flags & RUNNER_STMT_TRANSLATE) return true;
  return false;
}

// The scratch database the steps are replayed into. Once a statement fails there (a data
// statement the scratch copy cannot satisfy, say) the copy is no longer the schema later
// statements meet: replaying stops, and only a later statement that needs translating fails.
struct Scratch {
  Connection* conn = nullptr;
  std::string broken;  // why replaying stopped; "" while it goes on
};

void translate_step(const Dialect& dialect, PreparedStep& p, Scratch& scratch, bool replaying) {
  std::unique_ptr<ConnectionReader> reader;
  Connection* conn = scratch.broken.empty() ? scratch.conn : nullptr;
  if (conn != nullptr) reader = std::make_unique<ConnectionReader>(*conn);
  std::vector<SplitStatement> out;
  if (conn != nullptr && p.in_transaction) conn->begin();
  for (std::size_t index = 0; index < p.statements.size(); ++index) {
    const SplitStatement& st = p.statements[index];
    std::vector<SplitStatement> now;
    if (st.flags & RUNNER_STMT_TRANSLATE) {
      if (!scratch.broken.empty())
        throw PlanError(p.file + ":" + std::to_string(st.line) + ": cannot translate this statement offline: " +
                        scratch.broken);
      Translation t = dialect.translate(st, reader.get());
      if (!t.ok) {
        if (conn != nullptr) conn->rollback();
        throw SourceError(p.file, st.line,
                          (replaying ? "replaying it to translate later migrations: " : std::string()) + t.error);
      }
      now = std::move(t.statements);
      for (auto& s : now) s.written_as = static_cast<std::uint32_t>(index + 1);
    } else {
      now.push_back(st);
    }
    if (conn != nullptr)
      for (const auto& s : now) {
        StatementFailure f;
        if (conn->execute_native(s.sql, &f)) continue;
        conn->rollback();
        scratch.broken = dialect.name() + " translates against a scratch copy of the schema, and " + p.file + ":" +
                         std::to_string(st.line) + " failed there (" + f.message + ")";
        conn = nullptr;
        reader.reset();
        break;
      }
    for (auto& s : now) out.push_back(std::move(s));
  }
  if (conn != nullptr && conn->in_transaction()) conn->commit();
  p.statements = std::move(out);
}

}  // namespace

void translate_offline(const Dialect& dialect, const MigrationSet& files, const History& from,
                       std::vector<PreparedStep>& steps) {
  if (!needs_translation(steps)) return;
  Scratch none;
  if (dialect.shadow_url().empty()) {
    for (auto& p : steps) translate_step(dialect, p, none, false);
    return;
  }
  TargetInfo shadow = dialect.describe_target(dialect.shadow_url(), 0);
  Connection conn(dialect.soci_backend(), shadow);
  // The scratch database is brought to `from` by the up migrations `from` lists.
  std::vector<Step> replay;
  for (const auto& row : from) {
    const Migration* m = files.find(row.version);
    if (m != nullptr) replay.push_back(Step{m, m->version, Direction::up});
  }
  std::vector<PreparedStep> earlier = prepare_steps(replay, dialect);
  Scratch scratch{&conn, ""};
  for (auto& p : earlier) translate_step(dialect, p, scratch, true);
  for (auto& p : steps) translate_step(dialect, p, scratch, false);
}

}  // namespace runner
