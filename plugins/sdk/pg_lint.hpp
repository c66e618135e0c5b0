// SPDX-License-Identifier: MIT
// What every dialect's lint() needs when its migrations are written in PostgreSQL's grammar: each
// statement read once with libpg_query, the tables the file itself creates, findings sent with
// the size of their table, and the rules both dialects share (data lost for good, a change the
// application still running on the old schema trips over). Rules about locks are each dialect's
// own.
#pragma once

#include "plugins/dialect_abi.h"
#include "plugins/sdk/dialect_sdk.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace runner::sdk::lint {

using Json = nlohmann::json;

// One statement as the dialect's splitter gave it, with PostgreSQL's reading of it.
struct Statement {
  std::string sql;
  std::uint32_t line = 0;
  std::uint32_t flags = 0;  // RUNNER_STMT_*
  std::uint32_t index = 0;  // 1-based, in the splitter's order
  Json node;                // {"IndexStmt": {...}}; null when PostgreSQL's grammar rejects it

  std::string type() const;  // "IndexStmt", or "" when unparsed
  const Json& body() const;
};

// The statement node of `sql`, or null when PostgreSQL's grammar rejects it (error: why) or it
// holds more than one statement.
Json parse(std::string_view sql, std::string* error = nullptr);

// The statements a dialect's own splitter (`split`, writing through a Sink) finds in `sql`, not yet
// parsed: a rule set parses one at a time (parse_node) and lets it go, so that a large file's
// trees are never all held at once. Throws what the splitter throws (sdk::Failure naming the line).
std::vector<Statement> read_statements(std::string_view sql,
                                       const std::function<void(std::string_view, const Sink&)>& split);

// body[key] without copying, or an empty object when absent (the reference lives as long as body).
const Json& member(const Json& body, const char* key);
std::string str(const Json& body, const char* key);
// The sval of each {"String": ...} node of a list.
std::vector<std::string> names(const Json& list);
// The table a RangeVar names, as written: "schema.table" or "table".
std::string relation_name(const Json& range_var);
// The type a TypeName node names, without pg_catalog ("varchar", "int4", "timestamptz"), and its
// modifiers ("varchar(20)" -> {20}).
std::string type_name(const Json& type_name_node);
std::vector<long long> type_modifiers(const Json& type_name_node);

struct Finding {
  int level = RUNNER_DIAG_WARNING;
  std::uint32_t line = 0;  // the first line of the statement
  std::string rule;
  std::string message;
  std::string fix;
  std::string table;            // the table it concerns, as the file names it
  bool refused = false;         // the run fails on the statement whatever a comment says
  std::uint32_t statement = 0;  // the statement's index (FileLint::add sets it)
};

struct TableSize {
  long long rows = -1;  // -1: unknown
  long long bytes = -1;
  std::string rows_source;  // "estimate", "sqlite_stat1", "count"
};

// The findings of one file, and what the rules learn of it as they go.
class FileLint {
 public:
  explicit FileLint(std::uint32_t options) : options_(options) {}

  bool in_transaction() const { return (options_ & RUNNER_LINT_IN_TRANSACTION) != 0; }
  bool down() const { return (options_ & RUNNER_LINT_DOWN) != 0; }
  bool lock_wait() const { return (options_ & RUNNER_LINT_LOCK_WAIT) != 0; }
  bool as_written() const { return (options_ & RUNNER_LINT_AS_WRITTEN) != 0; }

  // Destructive findings are errors in an up file and warnings in a down file, which undoes a
  // migration: dropping what the up file made is its job.
  int destructive_level() const { return down() ? RUNNER_DIAG_WARNING : RUNNER_DIAG_ERROR; }

  // The statement the rules are reading now: the findings added meanwhile are its.
  void begin_statement(std::uint32_t index) { statement_ = index; }
  void add(Finding f) {
    if (f.statement == 0) f.statement = statement_;
    findings_.push_back(std::move(f));
  }
  const std::vector<Finding>& findings() const { return findings_; }

  // A table the file created in an earlier statement (CREATE TABLE without IF NOT EXISTS, CREATE
  // TABLE AS, SELECT INTO, and what such a table is renamed to): nobody else has rows in it or
  // waits on it, so neither locks nor lost rows concern it. Names as written ("app.t" is not "t").
  bool created_here(const std::string& table) const;
  // Records the tables a CREATE TABLE (AS) statement makes; call after the rules of a statement.
  void track_created(const Statement& s);
  // A table the file creates in a statement the rules read otherwise (a dialect's own syntax).
  void note_created(const std::string& table) { created_.insert(table); }

  // Sends every finding through `out`, in line order, each followed by its fields; with `size`,
  // the size of the table concerned (asked once per table).
  void emit(const Sink& out, const std::function<std::optional<TableSize>(const std::string&)>& size) const;

 private:
  std::uint32_t options_;
  std::uint32_t statement_ = 0;
  std::vector<Finding> findings_;
  std::set<std::string> created_;
};

// The bare table name of "schema.table".
std::string bare_table(const std::string& name);

// Rules both dialects share: ban-drop-table, ban-drop-column, ban-truncate, ban-truncate-cascade,
// ban-delete-without-where, ban-update-without-where, renaming-column, renaming-table,
// adding-required-field.
void shared_rules(const Statement& s, FileLint& file);

}  // namespace runner::sdk::lint
