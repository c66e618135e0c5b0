// SPDX-License-Identifier: MIT
#include "runner/engine/lint.hpp"

#include "plugins/dialect_abi.h"
#include "plugins/sdk/sql_text.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/core/migration_text.hpp"
#include "runner/engine/step_source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace runner {
namespace {

constexpr std::uint32_t k_tx_flags = RUNNER_STMT_TX_BEGIN | RUNNER_STMT_TX_COMMIT | RUNNER_STMT_TX_OTHER;

LintLevel level_of(int diagnostic_level) {
  return diagnostic_level >= RUNNER_DIAG_ERROR     ? LintLevel::error
         : diagnostic_level == RUNNER_DIAG_WARNING ? LintLevel::warning
                                                   : LintLevel::note;
}

// The message of a SourceError without the "file:line: " its what() starts with.
std::string bare_message(const Error& e) {
  std::string m = e.what();
  const std::string prefix = e.line() > 0 ? e.file() + ":" + std::to_string(e.line()) + ": " : e.file() + ": ";
  if (!e.file().empty() && m.compare(0, prefix.size(), prefix) == 0) m.erase(0, prefix.size());
  return m;
}

// What the run itself refuses in a file that runs in runner's transaction, as a finding (the
// first, as the run names it): the plugin names what it knows better (CONCURRENTLY), so a line it
// reported an error on is left to it.
void transaction_findings(const PreparedStep& p, std::vector<LintFinding>& out) {
  try {
    check_transaction_rules(p);
  } catch (const SourceError& e) {
    const bool taken = std::any_of(out.begin(), out.end(), [&](const LintFinding& f) {
      return f.line == e.line() && f.level == LintLevel::error;
    });
    if (taken) return;
    std::uint32_t flags = 0;
    for (const auto& st : p.statements)
      if (st.line == e.line()) flags = st.flags;
    LintFinding f;
    f.file = e.file().empty() ? p.file : e.file();
    f.line = e.line();
    f.level = LintLevel::error;
    f.rule = (flags & k_tx_flags) ? "transaction-nesting" : "statement-outside-transaction";
    f.refused = true;
    // The run's message is the finding's; its hint, on the next line, is the fix.
    const std::string said = bare_message(e);
    const std::size_t hint = said.find("\n  ");
    f.message = said.substr(0, hint) + " (runner refuses the file)";
    f.fix = hint == std::string::npos ? "" : said.substr(hint + 3);
    out.push_back(std::move(f));
  }
}

// One statement of the file as the dialect's split() gives it: its index, where its text
// starts and ends (lines), so that a lint-ignore is matched with the statement below it.
struct Span {
  std::uint32_t index, first, last;
};

std::vector<Span> spans_of(const std::vector<SplitStatement>& raw) {
  std::vector<Span> spans;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string& sql = raw[i].sql;
    const std::size_t token = sdk::skip_blank(sql, 0, true);
    const auto lines = static_cast<std::uint32_t>(
        std::count(sql.begin() + static_cast<std::ptrdiff_t>(std::min(token, sql.size())), sql.end(), '\n'));
    spans.push_back({static_cast<std::uint32_t>(i + 1), raw[i].line, raw[i].line + lines});
  }
  return spans;
}

// The index of the statement a finding is on: the plugin's, else the statement holding its line.
std::uint32_t statement_of(const LintFinding& f, const std::vector<Span>& spans) {
  if (f.statement > 0) return f.statement;
  std::uint32_t found = 0;
  for (const auto& s : spans)
    if (s.first <= f.line) found = s.index;
  return found;
}

void apply_ignores(const Directives& directives, const std::vector<Span>& spans, const std::string& file,
                   std::vector<LintFinding>& findings) {
  std::vector<LintFinding> said;
  for (const auto& ignore : directives.lint_ignores) {
    // A comment inside a statement (a string, a function's body) is that statement's text.
    const bool inside = std::any_of(spans.begin(), spans.end(),
                                    [&](const Span& s) { return s.first < ignore.line && ignore.line <= s.last; });
    if (inside) continue;
    auto below = std::find_if(spans.begin(), spans.end(), [&](const Span& s) { return s.first > ignore.line; });
    const std::uint32_t target = below == spans.end() ? 0 : below->index;
    std::set<std::string> used;
    std::string refused;
    for (auto& f : findings) {
      if (target == 0 || statement_of(f, spans) != target) continue;
      if (std::find(ignore.rules.begin(), ignore.rules.end(), f.rule) == ignore.rules.end()) continue;
      used.insert(f.rule);
      if (f.refused) {
        refused = f.rule;
        continue;
      }
      f.ignored = true;
      f.ignore_reason = ignore.reason;
    }
    std::string rules;  // those that silenced nothing
    for (const auto& r : ignore.rules)
      if (!used.count(r)) rules += (rules.empty() ? "" : ",") + r;
    LintFinding f;
    f.file = file;
    f.line = ignore.line;
    f.rule = "unused-ignore";
    f.level = LintLevel::warning;
    if (!refused.empty()) {
      f.message = "-- runner:lint-ignore cannot silence " + refused +
                  ": the run fails on the statement whatever "
                  "a comment says";
      f.fix = "correct the statement";
    } else if (!rules.empty() && ignore.reason != "squawk-ignore") {  // squawk's may name rules of its own
      f.message = "-- runner:lint-ignore " + rules + " silences nothing: the statement below has no such finding";
      f.fix = "correct the rule's name (runner lint prints it in brackets), or remove the comment";
    } else {
      continue;
    }
    said.push_back(std::move(f));
  }
  for (auto& f : said) findings.push_back(std::move(f));
}

// Whether `table` (as a finding names it) is one of `created`: the same name, and the same schema
// when both say one.
bool among(const std::string& table, const std::set<std::string>& created) {
  if (table.empty()) return false;
  if (created.count(table)) return true;
  const std::size_t dot = table.rfind('.');
  return dot == std::string::npos ? false : created.count(table.substr(dot + 1)) > 0;
}

std::string thousands(long long n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string size_text(long long bytes) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%lld bytes", bytes);
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace

std::vector<LintFinding> lint_file(const Dialect& dialect, const std::filesystem::path& path, bool down,
                                   const LintSettings& settings, SqlReader* db, RunTables* run) {
  const std::string file = path.generic_string();
  std::vector<LintFinding> findings;
  std::string text;
  Directives directives;
  PreparedStep p;
  try {
    p = prepare_file(path, dialect, settings.placeholders, &text, &directives, false);
  } catch (const SourceError& e) {
    // Unreadable, a bad directive, a statement the splitter rejects: the run refuses the file
    // before any rule could read it.
    LintFinding f;
    f.file = e.file().empty() ? file : e.file();
    f.line = e.line();
    f.rule = "invalid-file";
    f.level = LintLevel::error;
    f.message = bare_message(e);
    f.fix = "correct the file: runner refuses to run it";
    findings.push_back(std::move(f));
    return findings;
  }
  std::uint32_t options = 0;
  if (p.in_transaction) options |= RUNNER_LINT_IN_TRANSACTION;
  if (down) options |= RUNNER_LINT_DOWN;
  if (settings.lock_wait) options |= RUNNER_LINT_LOCK_WAIT;
  if (directives.as_written) options |= RUNNER_LINT_AS_WRITTEN;
  for (auto& d : dialect.lint(text, options, db, file)) {
    LintFinding f;
    f.file = file;
    f.line = d.line;
    f.rule = std::move(d.rule);
    f.level = level_of(d.level);
    f.message = std::move(d.message);
    f.fix = d.fields["fix"];
    f.table = d.fields["table"];
    if (!d.fields["rows"].empty()) f.rows = std::atoll(d.fields["rows"].c_str());
    f.rows_source = d.fields["rows_source"];
    if (!d.fields["bytes"].empty()) f.bytes = std::atoll(d.fields["bytes"].c_str());
    if (!d.fields["statement"].empty())
      f.statement = static_cast<std::uint32_t>(std::atol(d.fields["statement"].c_str()));
    f.refused = d.fields["refused"] == "1";
    // A table an earlier migration of the same run creates holds no rows anybody waits on yet.
    if (run != nullptr && !f.refused && among(f.table, run->created)) continue;
    findings.push_back(std::move(f));
  }
  transaction_findings(p, findings);
  const std::vector<SplitStatement> raw = dialect.split(text, file, directives.as_written);
  apply_ignores(directives, spans_of(raw), file, findings);
  if (run != nullptr && !down && dialect.reads_statements()) {
    for (const auto& st : raw) {
      if (sdk::keyword_at(st.sql, sdk::skip_blank(st.sql, 0, true)) != "CREATE") continue;
      try {
        const StatementTarget t = dialect.statement_target(st.sql);
        if (t.kind == "create_table") run->created.insert(t.schema.empty() ? t.table : t.schema + "." + t.table);
      } catch (const DialectError&) {
        // not read: the table counts as one that may hold rows
      }
    }
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const LintFinding& a, const LintFinding& b) { return a.line < b.line; });
  return findings;
}

void refuse_lint_errors(const Dialect& dialect, const std::vector<PreparedStep>& steps, const LintSettings& settings,
                        SqlReader* db, const std::string& display) {
  std::string errors;
  std::size_t n = 0;
  RunTables run;
  for (const PreparedStep& p : steps) {
    const bool down = p.step.direction == Direction::down;
    const auto& path = down ? *p.step.migration->down : p.step.migration->up;
    for (const LintFinding& f : lint_file(dialect, path, down, settings, db, &run)) {
      if (blocks(f)) {
        errors += "\n" + describe_finding(f);
        ++n;
      } else if (f.level == LintLevel::warning && !f.ignored) {
        log().warn("{}", describe_finding(f));
      }
    }
  }
  if (n == 0) return;
  throw SafetyError("lint refuses to run on " + display + ": " + std::to_string(n) + " error-level finding" +
                    (n == 1 ? "" : "s") + " in the pending migrations" + errors +
                    "\n  make each safe, or silence it with -- runner:lint-ignore RULE REASON above the statement "
                    "(runner lint shows them all)");
}

const char* level_name(LintLevel level) {
  switch (level) {
    case LintLevel::error: return "error";
    case LintLevel::warning: return "warning";
    case LintLevel::note: return "note";
  }
  return "note";
}

std::string describe_finding(const LintFinding& f) {
  std::string out = f.file + (f.line > 0 ? ":" + std::to_string(f.line) : "") + ": " +
                    (f.ignored ? std::string("ignored ") + level_name(f.level) : level_name(f.level)) + " [" + f.rule +
                    "] " + f.message;
  if (!f.table.empty() && (f.rows >= 0 || f.bytes >= 0)) {
    out += " (" + f.table + ":";
    if (f.rows >= 0)
      out += (f.rows_source == "count" ? " " : " ~") + thousands(f.rows) + (f.rows == 1 ? " row" : " rows");
    if (f.bytes >= 0) out += std::string(f.rows >= 0 ? "," : "") + " " + size_text(f.bytes);
    out += ")";
  }
  if (f.ignored) return out + "\n  ignored: " + f.ignore_reason;
  if (!f.fix.empty()) out += "\n  fix: " + f.fix;
  return out;
}

}  // namespace runner
