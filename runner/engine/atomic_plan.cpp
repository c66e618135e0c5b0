// SPDX-License-Identifier: MIT
#include "runner/engine/atomic_plan.hpp"

#include "plugins/loader/dialect.hpp"
#include "plugins/sdk/sql_text.hpp"
#include "runner/base/errors.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace runner {
namespace {

// A BEGIN that says nothing about how its transaction runs: the run's own BEGIN stands for it.
bool plain_begin(const std::string& sql) {
  std::string words;
  for (char c : sql) {
    if (c == ';') break;
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else {
      words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  while (!words.empty() && words.back() == ' ') words.pop_back();
  return words == "BEGIN" || words == "BEGIN TRANSACTION" || words == "BEGIN WORK" || words == "START TRANSACTION";
}

// Where each line of the joined text comes from.
struct Origin {
  std::string file;
  std::uint32_t line = 0;
};

}  // namespace

void check_atomic(const Dialect& dialect, const std::vector<PreparedStep>& steps, SqlReader* db) {
  const std::string why =
      "; --atomic runs every migration of the run in one transaction (run with --no-atomic, or without atomic = in the "
      "config)";
  for (const auto& p : steps) {
    if (!p.in_transaction && p.implicit_commit_line != 0)
      throw SourceError(p.file, p.implicit_commit_line,
                        "commits implicitly (" + p.implicit_commit_sql + "): the database commits around it" + why);
    if (!p.in_transaction) throw SourceError(p.file, 0, "runs without a transaction (-- runner:no-transaction)" + why);
    if (p.outside_before > 0 || p.outside_after > 0)
      throw SourceError(p.file, p.begin_line, "runs statements outside its transaction" + why);
    if (!p.begin_sql.empty() && !plain_begin(p.begin_sql))
      throw SourceError(p.file, p.begin_line,
                        "its own BEGIN sets how its transaction runs (" + p.begin_sql + ")" + why);
  }
  if (steps.size() < 2) return;
  // What the dialect refuses inside one transaction, now across the files: the run's statements
  // joined as one text, each line traced back to its file.
  std::string text;
  std::vector<Origin> origins{{}};  // origins[n]: line n of the joined text
  for (const auto& p : steps)
    for (const auto& st : p.statements) {
      const std::string& file = st.file.empty() ? p.file : st.file;
      text += st.sql + ";\n";
      // st.line is its first token's; comments before that token come with the text.
      const std::size_t first = sdk::skip_blank(st.sql, 0, true);
      const auto lead = static_cast<std::uint32_t>(std::count(st.sql.begin(), st.sql.begin() + first, '\n'));
      const std::uint32_t from = st.line > lead ? st.line - lead : 1;
      const auto lines = static_cast<std::uint32_t>(std::count(st.sql.begin(), st.sql.end(), '\n')) + 1;
      for (std::uint32_t k = 0; k < lines; ++k) origins.push_back({file, from + k});
    }
  const std::string joined = "the run's one transaction";
  try {
    dialect.review(text, true, db, joined);
  } catch (const SourceError& e) {
    const auto at = [&](std::uint32_t n) { return n < origins.size() ? origins[n] : Origin{}; };
    std::string message = e.what();
    const std::string prefix = joined + ":" + std::to_string(e.line()) + ": ";
    if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
    // "line N" in the dialect's words is a line of the joined text: named as FILE:LINE.
    std::string out;
    for (std::size_t i = 0; i < message.size();) {
      if (message.compare(i, 5, "line ") == 0 && i + 5 < message.size() &&
          std::isdigit(static_cast<unsigned char>(message[i + 5])) != 0) {
        std::size_t end = i + 5;
        while (end < message.size() && std::isdigit(static_cast<unsigned char>(message[end])) != 0) ++end;
        const Origin o = at(static_cast<std::uint32_t>(std::stoul(message.substr(i + 5, end - i - 5))));
        if (!o.file.empty()) {
          out += o.file + ":" + std::to_string(o.line);
          i = end;
          continue;
        }
      }
      out += message[i++];
    }
    const Origin o = at(e.line());
    throw SourceError(o.file, o.line, out + why);
  }
}

}  // namespace runner
