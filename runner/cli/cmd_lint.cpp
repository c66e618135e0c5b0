// SPDX-License-Identifier: MIT
// runner lint [FILE...]: what in the migrations could hurt the database in production, before
// anything runs. Exit 0 with no error-level finding left unsilenced, 1 otherwise.
#include "plugins/loader/dialect_loader.hpp"
#include "runner/api/migrator_access.hpp"
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/engine/lint_operation.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>

namespace runner::cli {
namespace {

namespace fs = std::filesystem;

// A bare file name is looked up in the migration folder first, as explain does.
std::vector<std::string> named_files(Context& ctx) {
  std::vector<std::string> files;
  for (const auto& arg : ctx.settings().args) {
    fs::path file = arg;
    std::error_code ec;
    // The folder is not scanned: files named are linted whatever else the folder holds.
    if (!file.has_parent_path() && !fs::exists(file, ec) && fs::exists(ctx.settings().sql_dir / file, ec))
      file = ctx.settings().sql_dir / file;
    files.push_back(file.generic_string());
  }
  return files;
}

std::string counted(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void print_report(Context& ctx, const LintReport& r) {
  if (ctx.settings().json) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : r.findings) {
      // Every key in every finding, null where nothing is known.
      const auto text_or_null = [](const std::string& v) { return v.empty() ? nlohmann::json() : nlohmann::json(v); };
      nlohmann::json j{{"file", f.file},
                       {"line", f.line},
                       {"rule", f.rule},
                       {"level", f.level},
                       {"message", f.message},
                       {"fix", text_or_null(f.fix)},
                       {"table", text_or_null(f.table)},
                       {"rows", f.rows >= 0 ? nlohmann::json(f.rows) : nlohmann::json()},
                       {"rows_source", f.rows >= 0 ? text_or_null(f.rows_source) : nlohmann::json()},
                       {"bytes", f.bytes >= 0 ? nlohmann::json(f.bytes) : nlohmann::json()},
                       {"refused", f.refused},
                       {"ignored", f.ignored},
                       {"ignore_reason", f.ignored ? nlohmann::json(f.ignore_reason) : nlohmann::json()}};
      findings.push_back(std::move(j));
    }
    print(nlohmann::json{{"dialect", ctx.dialect().name()},
                         {"database", r.database.empty() ? nlohmann::json() : nlohmann::json(r.database)},
                         {"files", r.files},
                         {"findings", findings},
                         {"errors", r.errors},
                         {"warnings", r.warnings},
                         {"notes", r.notes},
                         {"ignored", r.ignored}}
              .dump(2) +
          "\n");
    return;
  }
  std::string out;
  for (const auto& f : r.findings) {
    if (f.level == "note" && !f.ignored && ctx.settings().verbosity == Verbosity::quiet) continue;
    out += f.text + "\n";
  }
  if (ctx.settings().verbosity != Verbosity::quiet)
    out += counted(r.files.size(), "file", "files") + " linted for " + ctx.dialect().name() +
           (r.database.empty() ? "" : " against " + r.database) + ": " + counted(r.errors, "error", "errors") + ", " +
           counted(r.warnings, "warning", "warnings") + ", " + counted(r.notes, "note", "notes") + ", " +
           std::to_string(r.ignored) + " ignored\n";
  print(out);
}

}  // namespace

int cmd_lint(Context& ctx) {
  const std::vector<std::string> files = named_files(ctx);
  LintReport report;
  // A configured database of another dialect (runner.ini's SQLite default, with --dialect
  // postgresql) is not the one being linted for: the files alone then.
  const Settings& s = ctx.settings();
  if (ctx.has_database() && dialect_name_from_url(*s.database_url) == ctx.dialect().name()) {
    report = open_migrator(ctx, migrator_options(ctx)).lint(files);
  } else {
    // No database: the files alone, as the dialect's rules read them.
    LintRequest request;
    for (const auto& f : files) request.files.emplace_back(f);
    request.settings.placeholders = placeholders(ctx, ctx.settings().schema.value_or(""));
    request.settings.lock_wait = ctx.settings().lock_wait_ms > 0;
    const MigrationSet none;
    report = MigratorAccess::lint_report(
        lint_migrations(ctx.dialect(), files.empty() ? ctx.migrations() : none, nullptr, request));
  }
  print_report(ctx, report);
  return report.errors > 0 ? k_exit_failure : 0;
}

}  // namespace runner::cli
