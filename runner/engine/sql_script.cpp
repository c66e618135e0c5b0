// SPDX-License-Identifier: MIT
#include "runner/engine/sql_script.hpp"

#include "plugins/sdk/sql_text.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"

namespace runner {

// When a statement's last line holds a "--" comment the ';' goes on a line of its own: appended
// to the comment it would be swallowed, merging the statement with the next one.
std::string terminated(const std::string& sql) {
  if (!sql.empty() && sql.back() == ';') return sql + "\n";
  std::size_t last_line = sql.rfind('\n');
  bool comment = sql.find("--", last_line == std::string::npos ? 0 : last_line) != std::string::npos;
  return sql + (comment ? "\n;\n" : ";\n");
}

// A migration's statement: one holding ';' (a stored program's body) in the client's block form
// where the dialect has one (the mysql client's DELIMITER), so that the client sends it whole.
std::string script_statement(const RunnerSql& history, const std::string& sql) {
  if (history.script_block.empty() || sql.find(';') == std::string::npos) return terminated(sql);
  return replace_all(history.script_block, "$SQL$", sql) + "\n";
}

// A newline or other control character in a name must not end the comment and let the rest run
// as SQL.
std::string comment_text(const std::string& text) {
  std::string out;
  for (char c : text) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c;
  return out;
}

std::string sql_literal(const std::string& value) { return sdk::single_quote(value); }

History history_up_to(const MigrationSet& files, std::uint64_t version) {
  if (version != 0 && files.find(version) == nullptr)
    throw PlanError("no migration with version " + std::to_string(version) + " in " + files.dir.generic_string());
  History history;
  for (const auto& m : files.migrations)
    if (version != 0 && m.version <= version) history.push_back({m.version, m.name, m.checksum(), "", 0});
  return history;
}

std::string render_script_section(const RunnerSql& history, const std::vector<PreparedStep>& steps,
                                  const std::string& title, bool atomic) {
  std::string out = "-- " + comment_text(title) + "\n";
  for (const auto& sql : history.script_prelude) out += terminated(sql);
  for (const auto& sql : history.create) out += terminated(sql);
  out += terminated(history.meta_init_literal);
  if (atomic && !steps.empty()) {
    out += "\n-- --atomic: every migration below, with its history row, in this one transaction\n";
    for (const auto& sql : history.script_reset) out += terminated(sql);
    out += "BEGIN;\n";
  }
  for (const auto& p : steps) {
    out += "\n-- " + comment_text(p.label) + " (" + (p.step.direction == Direction::up ? "up" : "down") +
           "): " + comment_text(p.file);
    out += p.in_transaction ? std::string("\n") : " (" + comment_text(transaction_note(p)) + ")\n";
    const std::string begin = !p.in_transaction || atomic ? std::string()
                              : p.begin_sql.empty()       ? std::string("BEGIN;\n")
                                                          : terminated(p.begin_sql);
    // The session settings before BEGIN (SQLite ignores PRAGMA foreign_keys inside a transaction),
    // then what the file runs before its transaction.
    // In one transaction (--atomic) too, before each later migration: what one SETs must not
    // reach the next.
    if (!atomic || &p != &steps.front())
      for (const auto& sql : history.script_reset) out += terminated(sql);
    if (p.outside_before == 0) out += begin;
    const std::string* from = &p.file;
    const std::size_t body_to = p.statements.size() - p.outside_after;
    for (std::size_t i = 0; i < body_to; ++i) {
      if (p.outside_before > 0 && i == p.outside_before) out += begin;
      const SplitStatement& st = p.statements[i];
      // Where callbacks begin and end, so that a reviewer sees what is not the migration's own.
      if (statement_file(p, st) != *from) {
        from = &statement_file(p, st);
        out += "-- " + comment_text(*from) + "\n";
      }
      out += script_statement(history, st.sql);
    }
    if (p.outside_before > 0 && p.outside_before >= body_to) out += begin;
    const std::string version = std::to_string(p.step.version);
    if (p.step.direction == Direction::up)
      out += terminated(replace_all(replace_all(replace_all(history.insert_literal, "$VERSION$", version), "$NAME$",
                                                sql_literal(p.step.migration->name)),
                                    "$CHECKSUM$", sql_literal(p.checksum)));
    else
      out += terminated(replace_all(history.delete_literal, "$VERSION$", version));
    if (p.in_transaction && !atomic) out += "COMMIT;\n";
    for (std::size_t i = body_to; i < p.statements.size(); ++i) out += script_statement(history, p.statements[i].sql);
  }
  if (atomic && !steps.empty()) out += "\nCOMMIT;\n";
  return out;
}

}  // namespace runner
