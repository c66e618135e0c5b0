// SPDX-License-Identifier: MIT
#include "runner/engine/offline_translation.hpp"

#include "plugins/dialect_abi.h"
#include "plugins/sdk/sql_text.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/core/plan.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/connection_reader.hpp"
#include "runner/engine/shadow.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>

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
  // False for a plan-time check: rows are left out, so that a verdict depends on the schema the
  // files build and never on rows the live database has since changed.
  bool rows = true;
  // The dialect's settings before each migration, as online (SQLite's foreign keys off).
  std::vector<std::string> reset;
  // A scratch database on a server other databases share (--shadow-url): a statement that could
  // reach beyond it (another database named, where unqualified names go changed, the server's own
  // users) stops the replay instead of running.
  bool shared_server = false;
};

// Whether a statement could act beyond the scratch database it is replayed in.
bool reaches_beyond(const Dialect& dialect, const SplitStatement& st) {
  if (!dialect.reads_statements()) return true;
  const StatementTarget t = dialect.statement_target(st.sql);
  return t.search_path || t.database_wide || t.dynamic || !t.schema.empty() || !t.names_schema.empty();
}

// INSERT, UPDATE, DELETE and the like, as written (not what a translation made).
bool changes_rows_only(const SplitStatement& st) {
  static const char* const k_words[] = {"INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT"};
  const std::string first = sdk::keyword_at(st.sql, sdk::skip_blank(st.sql, 0, false));
  return std::any_of(std::begin(k_words), std::end(k_words), [&](const char* w) { return first == w; });
}

void translate_step(const Dialect& dialect, PreparedStep& p, Scratch& scratch, bool replaying) {
  std::unique_ptr<ConnectionReader> reader;
  Connection* conn = scratch.broken.empty() ? scratch.conn : nullptr;
  if (conn != nullptr) reader = std::make_unique<ConnectionReader>(*conn);
  std::vector<SplitStatement> out;
  if (conn != nullptr)
    for (const auto& sql : scratch.reset) {
      StatementFailure ignored;
      conn->execute_native(sql, &ignored);
    }
  // As online: what the file runs outside its transaction runs outside it here too.
  const std::size_t body_from = p.in_transaction ? p.outside_before : p.statements.size();
  const std::size_t body_to = p.statements.size() - (p.in_transaction ? p.outside_after : 0);
  for (std::size_t index = 0; index < p.statements.size(); ++index) {
    const SplitStatement& st = p.statements[index];
    if (conn != nullptr && index == body_from) conn->begin();
    if (conn != nullptr && index == body_to && conn->in_transaction()) conn->commit();
    std::vector<SplitStatement> now;
    if (st.flags & RUNNER_STMT_TRANSLATE) {
      if (!scratch.broken.empty())
        throw PlanError(statement_file(p, st) + ":" + std::to_string(st.line) +
                        ": cannot translate this statement offline: " + scratch.broken);
      Translation t = dialect.translate(st, reader.get());
      if (!t.ok) {
        if (conn != nullptr) conn->rollback();
        throw SourceError(statement_file(p, st), st.line,
                          (replaying ? "replaying it to translate later migrations: " : std::string()) + t.error);
      }
      now = std::move(t.statements);
      for (auto& s : now) {
        s.written_as = static_cast<std::uint32_t>(index + 1);
        s.file = st.file;
      }
    } else {
      now.push_back(st);
    }
    const bool replay = scratch.rows || (st.flags & RUNNER_STMT_TRANSLATE) || !changes_rows_only(st);
    if (conn != nullptr && replay && scratch.shared_server && reaches_beyond(dialect, st)) {
      conn->rollback();
      scratch.broken = "replaying stopped at " + statement_file(p, st) + ":" + std::to_string(st.line) +
                       ", which could reach beyond the scratch database on --shadow-url's server";
      conn = nullptr;
      reader.reset();
    }
    if (conn != nullptr && replay)
      for (const auto& s : now) {
        StatementFailure f;
        if (conn->execute_native(s.sql, &f)) continue;
        conn->rollback();
        scratch.broken = dialect.name() + " translates against a scratch copy of the schema, and " +
                         statement_file(p, st) + ":" + std::to_string(st.line) + " failed there (" + f.message + ")";
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

namespace {

// Copies the live database's schema (the dialect's schema_dump) into the scratch database.
// Returns "" or why the copy is not the live schema.
std::string copy_live_schema(Connection& live, const std::vector<std::string>& dump, Connection& scratch) {
  for (const auto& query : dump) {
    std::vector<std::string> statements;
    StatementFailure f;
    if (!live.query_native(
            query,
            [&](std::uint32_t n, const char* const* v) {
              if (n > 0 && v[0] != nullptr) statements.emplace_back(v[0]);
            },
            &f))
      continue;  // what it reads does not exist there (an enum catalog never created, say)
    for (const auto& sql : statements)
      if (!scratch.execute_native(sql, &f))
        return "the live schema could not be copied into a scratch database (" + f.message + ")";
  }
  return "";
}

// Replays the up migrations `from` lists into `conn` (an empty scratch database), then translates
// `steps` against what they built.
void replay_and_translate(const Dialect& dialect, const MigrationSet& files, const History& from,
                          std::vector<PreparedStep>& steps, const Placeholders& placeholders, bool rows,
                          Connection& conn, const std::vector<std::string>& reset, bool shared_server = false) {
  std::vector<Step> replay;
  for (const auto& row : from) {
    const Migration* m = files.find(row.version);
    if (m != nullptr) replay.push_back(Step{m, m->version, Direction::up});
  }
  // The files alone: the callbacks of the runs that applied them are not known.
  std::vector<PreparedStep> earlier = prepare_steps(replay, dialect, placeholders, nullptr);
  Scratch scratch{&conn, "", rows, reset, shared_server};
  for (auto& p : earlier) translate_step(dialect, p, scratch, true);
  for (auto& p : steps) translate_step(dialect, p, scratch, false);
}

void translate_with(const Dialect& dialect, const MigrationSet& files, const History& from,
                    std::vector<PreparedStep>& steps, const Placeholders& placeholders, bool rows,
                    Connection* live = nullptr, const std::string& schema = "",
                    const std::string& scratch_server = "") {
  if (!needs_translation(steps)) return;
  Scratch none;
  if (dialect.shadow_url().empty()) {
    // No scratch database in memory to replay the files into: what a translation reads
    // from the schema it reads from the live database as the statement runs, and a plan-time check
    // has nothing to check it against. Offline, a scratch database on --shadow-url's server serves;
    // without one, a translation that reads the schema is the dialect's to refuse.
    if (!rows) return;
    if (!scratch_server.empty() && dialect.makes_scratch()) {
      Shadow shadow(dialect, ShadowPlace{"", scratch_server, "", ""}, std::chrono::seconds(10));
      Connection conn(dialect, shadow.target());
      // Rows are left out: the script's translations depend on the schema the files build, and a
      // data statement is one more thing that could reach another database on that server.
      replay_and_translate(dialect, files, from, steps, placeholders, false, conn, shadow.target().reset_sql, true);
      return;
    }
    for (auto& p : steps) translate_step(dialect, p, none, false);
    return;
  }
  DatabaseInfo shadow = dialect.describe_database(dialect.shadow_url(), 0);
  Connection conn(dialect, shadow);
  const std::vector<std::string> dump =
      live != nullptr ? dialect.runner_sql(schema).schema_dump : std::vector<std::string>{};
  if (!dump.empty()) {
    // The live database's own schema, whatever built it (migrations, a stamp over a database
    // made another way, a hand-made change): what the run will really meet.
    Scratch scratch{&conn, copy_live_schema(*live, dump, conn), rows, shadow.reset_sql};
    for (auto& p : steps) translate_step(dialect, p, scratch, false);
    return;
  }
  // The scratch database is brought to `from` by the up migrations `from` lists.
  replay_and_translate(dialect, files, from, steps, placeholders, rows, conn, shadow.reset_sql);
}

}  // namespace

void translate_offline(const Dialect& dialect, const MigrationSet& files, const History& from,
                       std::vector<PreparedStep>& steps, const Placeholders& placeholders, Connection* live,
                       const std::string& schema, const std::string& scratch_server) {
  translate_with(dialect, files, from, steps, placeholders, true, live, schema, scratch_server);
}

void check_translation(const Dialect& dialect, const MigrationSet& files, const History& from,
                       const std::vector<PreparedStep>& steps, const Placeholders& placeholders, Connection* live,
                       const std::string& schema) {
  bool reads_schema = false;
  for (const auto& p : steps)
    for (const auto& st : p.statements)
      if ((st.flags & RUNNER_STMT_TRANSLATE) && (st.flags & RUNNER_STMT_READS_SCHEMA)) reads_schema = true;
  if (!reads_schema) return;

  // A live database's schema is its own: its verdict is not shared with other projects.
  std::string key = live != nullptr ? "live:" + live->display() + "|" : std::string();
  for (const auto& row : from) key += std::to_string(row.version) + ",";
  key += "|";
  for (const auto& p : steps)
    key += std::to_string(p.step.version) + (p.step.direction == Direction::up ? "u" : "d") + p.checksum + ",";
  // The checksum is of the files as written: the values decide what they say.
  for (const auto& [name, value] : placeholders.values) key += "|" + name + "=" + value;
  static std::mutex mutex;
  static std::map<std::string, std::string> verdicts;  // key -> "" (fine) or the refusal
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto known = verdicts.find(key);
    if (known != verdicts.end()) {
      if (known->second.empty()) return;
      throw SourceError(known->second);
    }
  }
  std::string verdict;
  try {
    std::vector<PreparedStep> copy = steps;
    translate_with(dialect, files, from, copy, placeholders, false, live, schema);
  } catch (const SourceError& e) {
    verdict = e.what();
  } catch (const PlanError& e) {
    // The scratch copy holds only what the files build; the live run is the judge here.
    log().debug("plan-time translation check stopped: {}", e.what());
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    verdicts.emplace(key, verdict);
  }
  if (!verdict.empty()) throw SourceError(verdict);
}

}  // namespace runner
