// SPDX-License-Identifier: MIT
// runner explain FILE: the statements of one migration file as they will run on a dialect, with
// each statement the dialect rewrites shown beside what the file says. Connects to nothing: the
// schema a statement is translated against is the one the earlier migrations build.
#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/core/migration_name.hpp"
#include "runner/engine/offline_translation.hpp"
#include "runner/engine/sql_script.hpp"
#include "runner/engine/step_source.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace runner::cli {
namespace fs = std::filesystem;

namespace {

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

struct Chosen {
  Step step;
  std::string note;  // why another file than the one named is explained ("" when it is that one)
};

// The migration step FILE is: its up or down file. A plain file whose migration runs a dialect
// variant here is answered with the variant, saying so.
Chosen find_step(const MigrationSet& files, const std::string& dialect, const std::string& arg) {
  fs::path file = arg;
  std::error_code ec;
  // A bare file name is looked up in the migration folder first.
  if (!file.has_parent_path() && fs::exists(files.dir / file, ec)) file = files.dir / file;
  if (!fs::exists(file, ec)) throw UsageError(arg + ": no such file");
  for (const auto& m : files.migrations) {
    if (same_file(file, m.up)) return {{&m, m.version, Direction::up}, ""};
    if (m.down && same_file(file, *m.down)) return {{&m, m.version, Direction::down}, ""};
  }
  MigrationFileName name;
  std::string why;
  if (!parse_migration_file_name(file.filename().string(), &name, &why))
    throw UsageError(arg + ": not a migration file: " + why);
  if (!same_file(file.parent_path().empty() ? fs::path(".") : file.parent_path(), files.dir))
    throw UsageError(arg + ": not in the migration folder " + files.dir.generic_string() +
                     " (give the folder with --sql-dir)");
  const Migration* m = files.find(name.version);
  if (m == nullptr)
    throw UsageError(arg + ": version " + name.version_text + " is not a migration of " + files.dir.generic_string());
  if (!name.dialect.empty() && name.dialect != dialect)
    throw UsageError(arg + ": a variant for " + name.dialect + ", not " + dialect + " (explain it with --dialect " +
                     name.dialect + ")");
  if (name.direction == Direction::down && !m->down)
    throw UsageError(arg + ": " + m->label() + " has no down file for " + dialect);
  const fs::path& runs = name.direction == Direction::up ? m->up : *m->down;
  return {{m, m->version, name.direction},
          "on " + dialect + " this migration runs " + runs.generic_string() + ", explained here"};
}

// The history the step starts from, as the files order it: up runs after the earlier
// migrations, down runs with this one applied.
History starting_point(const MigrationSet& files, const Step& step) {
  History history;
  for (const auto& m : files.migrations) {
    if (m.version > step.version || (m.version == step.version && step.direction == Direction::up)) break;
    history.push_back({m.version, m.name, m.checksum(), "", 0});
  }
  return history;
}

// The statements written in the file paired with what runs for each: itself, or its translation.
struct Pair {
  const SplitStatement* written;
  std::vector<const SplitStatement*> runs;
  bool translated = false;
};

std::vector<Pair> pair_up(const std::vector<SplitStatement>& written, const std::vector<SplitStatement>& runs) {
  std::vector<Pair> out;
  std::size_t j = 0;
  for (std::size_t i = 0; i < written.size(); ++i) {
    Pair p{&written[i], {}, false};
    if (!(written[i].flags & RUNNER_STMT_TRANSLATE)) {
      if (j < runs.size()) p.runs.push_back(&runs[j++]);
    } else {
      // A translation may be nothing at all (COMMENT ON, IF EXISTS on what is missing).
      p.translated = true;
      while (j < runs.size() && runs[j].written_as == i + 1) p.runs.push_back(&runs[j++]);
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Each line of `sql` as a "--" comment line.
std::string commented(const std::string& sql, const std::string& prefix) {
  std::string out = prefix;
  std::size_t start = 0;
  for (std::size_t nl; (nl = sql.find('\n', start)) != std::string::npos; start = nl + 1)
    out += comment_text(sql.substr(start, nl - start)) + "\n" + prefix;
  return out + comment_text(sql.substr(start)) + "\n";
}

}  // namespace

int cmd_explain(Context& ctx) {
  expect_args(ctx, 1, 1, "explain FILE");
  const MigrationSet& files = ctx.migrations();
  const Dialect& dialect = ctx.dialect();
  Chosen chosen = find_step(files, dialect.name(), ctx.settings().args[0]);

  const Placeholders values = placeholders(ctx, ctx.settings().schema.value_or(""));
  std::vector<PreparedStep> steps = prepare_steps({chosen.step}, dialect, values, nullptr);
  // The statements as written, kept apart only when the dialect rewrites some: a data file's
  // statements are not copied.
  const bool rewrites = std::any_of(steps.front().statements.begin(), steps.front().statements.end(),
                                    [](const SplitStatement& st) { return (st.flags & RUNNER_STMT_TRANSLATE) != 0; });
  std::vector<SplitStatement> written_copy;
  if (rewrites) written_copy = steps.front().statements;
  const History from = starting_point(files, chosen.step);
  translate_offline(dialect, files, from, steps, values, nullptr, "", ctx.settings().shadow_url);
  const PreparedStep& p = steps.front();
  const std::vector<SplitStatement>& written = rewrites ? written_copy : p.statements;
  std::vector<Pair> pairs = pair_up(written, p.statements);
  const char* direction = chosen.step.direction == Direction::up ? "up" : "down";
  const std::string after = from.empty() ? std::string("base") : files.label(from.back().version, from.back().name);

  if (ctx.settings().json) {
    nlohmann::json statements = nlohmann::json::array();
    for (const auto& pair : pairs) {
      nlohmann::json runs = nlohmann::json::array();
      for (const auto* st : pair.runs) runs.push_back(st->sql);
      statements.push_back({{"line", pair.written->line},
                            {"written", pair.written->sql},
                            {"translated", pair.translated},
                            {"runs", runs}});
    }
    print(nlohmann::json{{"dialect", dialect.name()},
                         {"file", p.file},
                         {"version", chosen.step.version},
                         {"name", chosen.step.migration->name},
                         {"direction", direction},
                         {"transaction", p.in_transaction},
                         {"after", after},
                         {"statements", statements}}
              .dump(2) +
          "\n");
    return 0;
  }

  std::size_t translated = 0;
  for (const auto& pair : pairs) translated += pair.translated ? 1 : 0;
  std::string out =
      "-- " + comment_text(p.label) + " (" + direction + ") on " + dialect.name() + ": " + comment_text(p.file) + "\n";
  if (!chosen.note.empty()) out += "-- " + comment_text(chosen.note) + "\n";
  out += "-- " + std::to_string(written.size()) + " statement" + (written.size() == 1 ? "" : "s") + ", " +
         (p.in_transaction ? std::string("in one transaction") : transaction_note(p)) + "; ";
  if (translated == 0)
    out += "each runs as written.\n";
  else
    out += std::to_string(translated) + " rewritten for " + dialect.name() +
           (dialect.shadow_url().empty() ? std::string(".\n")
                                         : ", against the schema at " + comment_text(after) +
                                               " (the migrations up to it replayed into a scratch database).\n");
  for (const auto& pair : pairs) {
    // Printed as it goes: a data file's explanation is several times its size.
    if (out.size() > (std::size_t{1} << 16)) {
      print(out);
      out.clear();
    }
    out += "\n-- " + comment_text(p.file) + ":" + std::to_string(pair.written->line) + "\n";
    if (pair.translated) {
      std::string as_written = terminated(pair.written->sql);
      as_written.pop_back();  // its newline
      out += "-- written as:\n" + commented(as_written, "--   ");
      out += pair.runs.empty() ? std::string("-- runs as nothing on " + dialect.name() + "\n")
                               : "-- runs as " + std::to_string(pair.runs.size()) + " statement" +
                                     (pair.runs.size() == 1 ? "" : "s") + ":\n";
    }
    for (const auto* st : pair.runs) out += terminated(st->sql);
  }
  print(out);
  return 0;
}

}  // namespace runner::cli
