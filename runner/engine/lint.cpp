// SPDX-License-Identifier: MIT
#include "runner/engine/lint.hpp"

#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/core/migration_text.hpp"
#include "runner/engine/step_source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

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
    // The run's message is the finding's; its hint, on the next line, is the fix.
    const std::string said = bare_message(e);
    const std::size_t hint = said.find("\n  ");
    f.message = said.substr(0, hint) + " (runner refuses the file)";
    f.fix = hint == std::string::npos ? "" : said.substr(hint + 3);
    out.push_back(std::move(f));
  }
}

// The first line of the statement holding `line` (statements: their first lines, ascending).
std::uint32_t statement_of(const std::vector<std::uint32_t>& starts, std::uint32_t line) {
  auto it = std::upper_bound(starts.begin(), starts.end(), line);
  return it == starts.begin() ? 0 : *(it - 1);
}

void apply_ignores(const Directives& directives, const std::vector<std::uint32_t>& starts, const std::string& file,
                   std::vector<LintFinding>& findings) {
  for (const auto& ignore : directives.lint_ignores) {
    auto next = std::upper_bound(starts.begin(), starts.end(), ignore.line);
    const std::uint32_t target = next == starts.end() ? 0 : *next;
    bool used = false;
    for (auto& f : findings) {
      if (target == 0 || statement_of(starts, f.line) != target) continue;
      if (std::find(ignore.rules.begin(), ignore.rules.end(), f.rule) == ignore.rules.end()) continue;
      f.ignored = true;
      f.ignore_reason = ignore.reason;
      used = true;
    }
    if (used || ignore.reason == "squawk-ignore") continue;  // squawk's comments may name rules of its own
    LintFinding f;
    f.file = file;
    f.line = ignore.line;
    f.rule = "unused-ignore";
    f.level = LintLevel::warning;
    std::string rules;
    for (const auto& r : ignore.rules) rules += (rules.empty() ? "" : ",") + r;
    f.message = "-- runner:lint-ignore " + rules + " silences nothing: the statement below has no such finding";
    f.fix = "correct the rule's name (runner lint prints it in brackets), or remove the comment";
    findings.push_back(std::move(f));
  }
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
                                   const LintSettings& settings, SqlReader* db) {
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
    findings.push_back(std::move(f));
  }
  transaction_findings(p, findings);
  std::vector<std::uint32_t> starts;
  for (const auto& st : p.statements) starts.push_back(st.line);
  std::sort(starts.begin(), starts.end());
  apply_ignores(directives, starts, file, findings);
  std::stable_sort(findings.begin(), findings.end(),
                   [](const LintFinding& a, const LintFinding& b) { return a.line < b.line; });
  return findings;
}

void refuse_lint_errors(const Dialect& dialect, const std::vector<PreparedStep>& steps, const LintSettings& settings,
                        SqlReader* db, const std::string& display) {
  std::string errors;
  std::size_t n = 0;
  for (const PreparedStep& p : steps) {
    const bool down = p.step.direction == Direction::down;
    const auto& path = down ? *p.step.migration->down : p.step.migration->up;
    for (const LintFinding& f : lint_file(dialect, path, down, settings, db)) {
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
