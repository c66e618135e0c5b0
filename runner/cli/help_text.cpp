// SPDX-License-Identifier: MIT
#include "runner/cli/help_text.hpp"

#include "plugins/loader/dialect_loader.hpp"
#include "runner/base/version.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/settings.hpp"

#include <sstream>

namespace runner::cli {
namespace {

const char* const k_intro =
    ": applies numbered NNNN_name.up.sql / .down.sql migrations to the databases of its dialect plugins.";
const char* const k_exit_codes =
    "0 success; 1 a database or migration error; 2 usage, configuration, plugin or invalid migration files; "
    "3 refused for safety (changed checksum, lock timeout, out-of-order, run lock lost); 130, 143 (129) stopped by "
    "SIGINT, SIGTERM (SIGHUP) at a migration boundary.";

// Each dialect plugin found, with the URLs it takes: what -d accepts is what is installed.
std::string dialects_help(const Settings& settings) {
  DialectLoader loader(DialectLoader::search_path(settings.plugin_dirs, settings.plugin_env));
  std::vector<std::vector<std::string>> rows;
  for (const auto& found : loader.load_all())
    if (found.dialect != nullptr) rows.push_back({"  " + found.dialect->name(), found.dialect->url_forms()});
  return "\nDialects (database URLs; `runner dialects` says where each plugin is):\n" +
         (rows.empty() ? std::string("  none found: set --plugin-dir or RUNNER_PLUGIN_PATH\n") : format_table(rows));
}

}  // namespace

std::string main_help(const Settings& settings) {
  std::string out =
      std::string("runner ") + version() + k_intro + "\n\nUsage: runner [OPTIONS] COMMAND [ARGS]\n\nCommands:\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : commands())
    rows.push_back(
        {std::string("  ") + c.name + (c.alias != nullptr ? std::string(" (") + c.alias + ")" : ""), c.summary});
  out += format_table(rows);
  out += dialects_help(settings);
  out += "\n" + global_options_help();
  out += std::string("\nExit codes: ") + k_exit_codes + "\nSee `runner COMMAND --help` for each command.\n";
  return out;
}

std::string command_help(const Command& c) {
  std::string out = std::string("Usage: runner [OPTIONS] ") + c.usage + "\n\n" + c.summary + ".\n\n" + c.details +
                    "\n\n" + command_options_help(c.options);
  if (!c.options.empty()) out += "\n";
  out += "Global options: see runner --help.\n";
  return out;
}

namespace {

// Text as roff reads it: a backslash is \e, and a line may not start with '.' or '\''.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else
      out.push_back(c);
    line_start = c == '\n';
  }
  return out;
}

// Preformatted lines (option tables), as --help prints them.
std::string verbatim(const std::string& text) {
  return ".nf\n" + roff(text) + (text.empty() || text.back() == '\n' ? "" : "\n") + ".fi\n";
}

}  // namespace

std::string man_page() {
  std::string out = std::string(".TH RUNNER 1 \"\" \"runner ") + version() + "\" \"User Commands\"\n";
  out += ".SH NAME\nrunner \\- apply numbered SQL migrations to SQLite and PostgreSQL\n";
  out += ".SH SYNOPSIS\n.B runner\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n";
  out += ".SH DESCRIPTION\n" + roff(std::string("runner") + k_intro) + "\n";
  out += ".SH COMMANDS\n";
  for (const auto& c : commands()) {
    out += ".SS \"" + roff(c.usage) + "\"\n";
    if (c.alias != nullptr) out += roff(std::string("Also: ") + c.alias + ".") + "\n.PP\n";
    out += roff(std::string(c.summary) + ".") + "\n";
    std::istringstream details(c.details);
    for (std::string paragraph; std::getline(details, paragraph);) out += ".PP\n" + roff(paragraph) + "\n";
    if (!c.options.empty()) out += ".PP\n" + verbatim(command_options_help(c.options));
  }
  out += ".SH OPTIONS\n" + verbatim(global_options_help());
  out += std::string(".SH \"EXIT STATUS\"\n") + roff(k_exit_codes) + "\n";
  out +=
      ".SH ENVIRONMENT\n"
      ".TP\n.B RUNNER_DATABASE_URL\\fR, \\fBDATABASE_URL\nthe database, when -d is not given\n"
      ".TP\n.B RUNNER_PLUGIN_PATH\ncolon-separated folders searched for dialect plugins\n"
      ".TP\n.B RUNNER_PLACEHOLDER_\\fIname\nthe value of placeholder \\fIname\\fR for files that say -- "
      "runner:placeholders\n"
      ".TP\n.B RUNNER_CHECKSUM_CACHE\n\\fBoff\\fR: read every applied file again on each run instead of trusting "
      "the checksum remembered for an unchanged file\n"
      ".TP\n.B XDG_CACHE_HOME\nwhere that cache is kept (runner/checksums; else ~/.cache)\n";
  out +=
      ".SH FILES\n.TP\n.B runner.ini\nthe configuration file read from the working folder (or -c FILE)\n"
      ".TP\n.B ~/.cache/runner/checksums/\nchecksums of applied migration files by their stamp, one file per "
      "migration folder\n";
  out += ".SH \"SEE ALSO\"\nThe README and docs/ of runner, installed under share/doc/runner.\n";
  return out;
}

}  // namespace runner::cli
