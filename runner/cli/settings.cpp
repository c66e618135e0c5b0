// SPDX-License-Identifier: MIT
#include "runner/cli/settings.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/fleet/inventory.hpp"
#include "runner/fleet/shard.hpp"

#include <boost/program_options.hpp>

#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

namespace runner::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// A leading "-N" is a downgrade target, not an option; it travels through the parser with this
// prefix and loses it afterwards.
constexpr char k_relative_marker = '\x01';
// Stands for "no value given" to an option whose value is optional (Boost takes no empty one).
constexpr char k_no_value[] = "\x03";

// The option tables, one option per line; left as written.
// clang-format off
po::options_description global_options() {
  po::options_description d("Global options");
  d.add_options()
      ("database,d", po::value<std::string>()->value_name("URL"),
       "database URL, DIALECT:... in the forms listed under Dialects "
       "(else RUNNER_DATABASE_URL, DATABASE_URL, database= in the config)")
      ("sql-dir,s", po::value<std::string>()->value_name("DIR"), "migration folder (default: sql)")
      ("config,c", po::value<std::string>()->value_name("FILE"), "config file (default: ./runner.ini when present)")
      ("dialect", po::value<std::string>()->value_name("NAME"), "dialect plugin to use (default: from the URL)")
      ("plugin-dir", po::value<std::vector<std::string>>()->composing()->value_name("DIR"),
       "where dialect plugins are (also RUNNER_PLUGIN_PATH, colon-separated)")
      ("lock-timeout", po::value<long long>()->value_name("SECONDS"),
       "how long to wait for another runner's lock before giving up with exit 3 (default: 60)")
      ("lock-wait", po::value<std::string>()->value_name("SECONDS"),
       "how long a migration's statement waits for a lock another session holds before its migration is rolled "
       "back and tried again (PostgreSQL lock_timeout, SQLite busy timeout; e.g. 2 or 0.5; default: off, "
       "recommended on a live database)")
      ("lock-retries", po::value<long long>()->value_name("N"),
       "with --lock-wait: how often a migration that gave up waiting is tried again, pausing 1 s, 2 s, 4 s, ... "
       "(default: 3)")
      ("statement-timeout", po::value<std::string>()->value_name("SECONDS"),
       "how long a migration's statement may run before it is cancelled and its migration rolled back "
       "(PostgreSQL statement_timeout; default: off)")
      ("all-projects", po::bool_switch(),
       "run the command on every project: each file matching --projects, or each schema matching --schema-pattern")
      ("projects", po::value<std::string>()->value_name("GLOB"),
       "the project files for --all-projects (default: data/project_*.db; also projects= in the config)")
      ("schema-pattern", po::value<std::string>()->value_name("GLOB"),
       "the project schemas for --all-projects, where projects are schemas (default: project_*)")
      ("databases", po::value<std::string>()->value_name("FILE"),
       "with --all-projects: the databases to cover, one URL per line, each optionally followed by its schema "
       "pattern; ${VAR} from the environment (databases= in the config)")
      ("jobs,j", po::value<long long>()->value_name("N"), "projects run in parallel, one connection each (default: cores)")
      ("jobs-per-server", po::value<long long>()->value_name("M"),
       "with --all-projects: at most M projects at once on any one server (default: 4 with --databases, else "
       "no cap)")
      ("canary", po::value<std::string>()->value_name("N|ID,..."),
       "with --all-projects: run the first N projects (or those named) first, and stop if any of them fails")
      ("max-failures", po::value<long long>()->value_name("K"),
       "with --all-projects: start no new project after K failed (default: no limit)")
      ("fail-fast", po::bool_switch(), "with --all-projects: start no new project after one fails or is refused (--max-failures 1)")
      ("shard", po::value<std::string>()->value_name("K/N"),
       "with --all-projects: run only shard K (0 to N-1) of the projects, so that N processes cover each once; "
       "auto: K from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), N from auto/N or RUNNER_SHARD_COUNT")
      ("json", po::bool_switch(), "print results as JSON")
      ("verbose,v", po::bool_switch(), "log every step on stderr")
      ("quiet,q", po::bool_switch(), "print only errors and results")
      ("version", po::bool_switch(), "print the runner's version")
      ("man", po::bool_switch(), "print this manual as a man page (roff), from the same text as --help")
      ("help,h", po::bool_switch(), "show help (also: runner COMMAND --help)");
  return d;
}

po::options_description command_options() {
  po::options_description d("Command options");
  d.add_options()
      ("dry-run", po::bool_switch(), "show what would run or be written and change nothing (no lock, no file, no table)")
      ("sql", po::bool_switch(), "upgrade/downgrade: print the SQL script instead of running it ([FROM:]TO)")
      ("output,o", po::value<std::string>()->value_name("FILE"), "with --sql: write the script to FILE (a folder when projects are files); dump: write the schema to FILE")
      ("schema", po::value<std::string>()->value_name("NAME"), "with --sql, where the database has schemas: the schema the script targets; dump, drift, test: the schemas read (comma-separated)")
      ("allow-changed", po::bool_switch(), "upgrade/downgrade: proceed (with a warning) when an applied file changed or is missing")
      ("out-of-order", po::bool_switch(), "upgrade: also apply pending migrations older than the current version")
      ("message,m", po::value<std::string>()->value_name("NAME"), "revision: the new migration's name")
      ("from", po::value<std::string>()->value_name("DIR"), "import/adopt: the other tool's project or migration folder; test: the first migration checked (a version)")
      ("to", po::value<std::string>()->value_name("VERSION|FILE"), "test: the last migration checked; diff, new: the desired schema (an SQL file)")
      ("from-db", po::bool_switch(), "diff, new --to: start from the database's schema instead of the one the migrations build")
      ("alembic", po::value<std::string>()->value_name("CMD"), "import/adopt alembic: how to run Alembic (default: alembic on PATH)")
      ("alembic-config", po::value<std::string>()->value_name("FILE"), "import alembic: the project's ini (default: DIR/alembic.ini)")
      ("url-env", po::value<std::vector<std::string>>()->composing()->value_name("NAME"), "import alembic: also give the offline URL in environment variable NAME (for an env.py that reads it there)")
      ("drop-source", po::bool_switch(), "adopt: drop the other tool's history table once its history is recorded")
      ("backup", po::value<std::string>()->implicit_value("")->value_name("[=DIR]"),
       "upgrade: back each database up before its first pending migration, into DIR (--backup=DIR; default: "
       "backups/ beside a SQLite file, else backups/ here); SQLite's online backup, pg_dump -Fc on PostgreSQL")
      ("keep", po::value<long long>()->value_name("N"), "with --backup: keep the newest N backups of each database")
      ("atomic", po::bool_switch(), "upgrade: all pending migrations of a database in one transaction with their history rows: a failure leaves it where it started (atomic = true in the config)")
      ("lint", po::bool_switch(), "upgrade: lint the pending migrations first and refuse (exit 3) on an error-level finding (lint = true in the config)")
      ("no-lint", po::bool_switch(), "upgrade: do not lint first, whatever lint = in the config says")
      ("no-atomic", po::bool_switch(), "upgrade: one transaction per migration, whatever atomic = in the config says")
      ("shadow-url", po::value<std::string>()->value_name("URL"), "drift, test, diff, new --to: build shadows in scratch databases created (and dropped) on this server, not in schemas beside the database; --sql and explain: where a dialect with no scratch database in memory (mysql) replays earlier migrations to translate against (shadow-url = in the config)")
      ("wait-replicas", po::value<std::string>()->implicit_value("60")->value_name("SECONDS"),
       "upgrade/downgrade: after a run that succeeded, wait until every replica of each server it wrote to has "
       "replayed what it wrote (--wait-replicas=SECONDS; default 60), exit 3 naming any still behind")
      ("dump-schema", po::value<std::string>()->value_name("FILE"), "upgrade/downgrade: after a run that succeeded, write the schema to FILE as `runner dump` does (dump-schema = in the config)")
      ("to-version", po::value<std::string>()->value_name("VERSION"),
       "restore --all-projects: put back each project's newest backup taken at VERSION")
      ("mark-applied", po::bool_switch(), "repair: record the migration as applied (you finished it by hand)")
      ("forget", po::bool_switch(), "repair: record the migration as not applied (you undid it by hand)")
      ("yes", po::bool_switch(), "repair: record it (without --yes or --dry-run, repair only says what it would record)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("NAME=VALUE"), "a placeholder's value for files that say -- runner:placeholders (repeatable; over RUNNER_PLACEHOLDER_NAME and [placeholders] in the config)");
  return d;
}

po::options_description config_options() {
  po::options_description d("Config file");
  d.add_options()
      ("database", po::value<std::string>())
      ("sql-dir", po::value<std::string>())
      ("dialect", po::value<std::string>())
      ("plugin-dir", po::value<std::vector<std::string>>()->composing())
      ("lock-timeout", po::value<long long>())
      ("lock-wait", po::value<std::string>())
      ("lock-retries", po::value<long long>())
      ("statement-timeout", po::value<std::string>())
      ("backup", po::value<std::string>())
      ("backup-keep", po::value<long long>())
      ("lint", po::value<std::string>())
      ("atomic", po::value<std::string>())
      ("dump-schema", po::value<std::string>())
      ("shadow-url", po::value<std::string>())
      ("projects", po::value<std::string>())
      ("databases", po::value<std::string>())
      ("jobs-per-server", po::value<long long>())
      ("schema-pattern", po::value<std::string>());
  return d;
}
// clang-format on

// Boost's message for an option error: its what() replaces %value% and the like in a template with
// what the user wrote, again and again while the result still holds one, so a value that holds
// "%value%" itself hangs it for ever (found by tests/fuzz/fuzz_config). The user's text goes in
// with its '%' stood in for, and comes back out after.
std::string option_error_text(const po::error& e) {
  const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
  if (named == nullptr) return e.what();
  struct Access : po::error_with_option_name {
    static std::map<std::string, std::string> po::error_with_option_name::*substitutions() {
      return &Access::m_substitutions;
    }
  };
  constexpr char k_percent = '\x02';  // not k_relative_marker
  po::error_with_option_name copy = *named;
  for (auto& [key, value] : copy.*Access::substitutions()) std::replace(value.begin(), value.end(), '%', k_percent);
  std::string text = copy.what();
  std::replace(text.begin(), text.end(), k_percent, '%');
  return text;
}

bool is_relative_target(const std::string& s) {
  if (s.size() < 2 || s[0] != '-') return false;
  for (std::size_t i = 1; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// The config file's text as Boost's reader should see it: without a UTF-8 BOM (editors on Windows
// write one, and it would become part of the first option's name) and with LF line ends.
std::string read_config_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream raw;
  raw << in.rdbuf();
  if (!in && !in.eof()) throw UsageError("config file " + file.string() + " cannot be read");
  std::string text = raw.str();
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

// Boost's config reader ends a value at '#', which would silently cut a path or a password short:
// refuse such a line instead, naming it.
void reject_inline_comments(const fs::path& file, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#' || line[first] == ';') continue;
    std::size_t eq = line.find('=');
    if (eq != std::string::npos && line.find('#', eq) != std::string::npos)
      throw UsageError(file.string() + ":" + std::to_string(n) +
                       ": '#' would start a comment inside the value; give this value with a command-line option or an "
                       "environment variable instead (in a URL, %23 works too)");
  }
}

// The [placeholders] section: NAME = VALUE lines, read here and blanked (line numbers kept) for
// Boost's reader, which knows only runner's own options.
std::string take_placeholder_section(const fs::path& file, const std::string& text,
                                     std::map<std::string, std::string>* values) {
  std::istringstream in(text);
  std::string line, out;
  bool inside = false;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] == '[') {
      const std::size_t close = line.find(']', first);
      inside = close != std::string::npos && line.substr(first + 1, close - first - 1) == "placeholders";
      out += (inside ? "" : line) + "\n";
      continue;
    }
    if (!inside || first == std::string::npos || line[first] == '#' || line[first] == ';') {
      out += (inside ? "" : line) + "\n";
      continue;
    }
    const std::size_t eq = line.find('=');
    auto trim = [](std::string v) {
      v.erase(0, v.find_first_not_of(" \t"));
      v.erase(v.find_last_not_of(" \t") + 1);
      return v;
    };
    const std::string name = eq == std::string::npos ? std::string() : trim(line.substr(0, eq));
    if (!is_placeholder_name(name))
      throw UsageError(file.string() + ":" + std::to_string(n) +
                       ": [placeholders] holds NAME = VALUE lines (a name is letters, digits, '_' and '.')");
    (*values)[name] = trim(line.substr(eq + 1));
    out += "\n";
  }
  return out;
}

// A true/false setting of the config file (true, yes, on, 1 / false, no, off, 0); false when
// absent. Throws UsageError naming the setting for anything else.
bool config_switch(const po::variables_map& file_vm, const char* name) {
  if (!file_vm.count(name)) return false;
  const std::string v = file_vm[name].as<std::string>();
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  throw UsageError(std::string(name) + " = '" + v + "' in the config: expected true or false");
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

}  // namespace

std::string global_options_help() {
  std::ostringstream out;
  out << global_options();
  return out.str();
}

std::vector<std::string> global_option_switches() {
  std::vector<std::string> out;
  const po::options_description all = global_options();  // options() refers into it
  for (const auto& o : all.options()) {
    out.push_back("--" + o->long_name());
    const std::string shorts = o->canonical_display_name(po::command_line_style::allow_dash_for_short);
    if (shorts.size() == 2 && shorts[0] == '-' && shorts[1] != '-') out.push_back(shorts);
  }
  return out;
}

std::vector<std::string> global_options_with_values() {
  std::vector<std::string> out;
  const po::options_description all = global_options();  // options() refers into it
  for (const auto& o : all.options())
    if (o->semantic()->max_tokens() > 0) out.push_back(o->long_name());
  return out;
}

std::string command_options_help(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  po::options_description all = command_options();
  po::options_description d("Command options");
  for (const auto& option : all.options())
    for (const auto& n : names)
      if (option->long_name() == n) d.add(option);
  std::ostringstream out;
  out << d;
  return out.str();
}

namespace {

// An option whose value is optional (--backup[=DIR], --wait-replicas[=SECONDS]) takes it only
// after '=': Boost would take the next word as its value, and `upgrade --wait-replicas +1` would
// run every pending migration. Bare, it gets "" (its default), and the next word stays a target.
bool bare_optional_value(const po::options_description& options, const std::string& token) {
  if (token.size() < 3 || token.compare(0, 2, "--") != 0 || token.find('=') != std::string::npos) return false;
  try {
    // Abbreviated too (--wait), as Boost would take it.
    const po::option_description* o = options.find_nothrow(token.substr(2), true);
    return o != nullptr && o->semantic()->min_tokens() == 0 && o->semantic()->max_tokens() == 1;
  } catch (const po::error&) {
    return false;  // ambiguous: Boost says so
  }
}

// The command line parsed; a relative target (-1, +2) is marked so that it does not read as an
// option. Throws UsageError.
po::variables_map parse_command_line(int argc, const char* const* argv) {
  po::options_description hidden;
  hidden.add_options()("command", po::value<std::string>())("args", po::value<std::vector<std::string>>());
  po::options_description cmdline;
  cmdline.add(global_options()).add(command_options()).add(hidden);

  std::vector<std::string> tokens;
  for (int i = 1; i < argc; ++i) {
    std::string t = argv[i];
    if (bare_optional_value(cmdline, t)) t += std::string("=") + k_no_value;
    tokens.push_back(is_relative_target(t) ? std::string(1, k_relative_marker) + t : t);
  }
  po::positional_options_description positional;
  positional.add("command", 1).add("args", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(tokens).options(cmdline).positional(positional).run(), vm);
    po::notify(vm);
    for (auto& entry : vm)
      if (auto* text = boost::any_cast<std::string>(&entry.second.value()); text != nullptr && *text == k_no_value)
        text->clear();
  } catch (const po::error& e) {
    std::string what = option_error_text(e);
    what.erase(std::remove(what.begin(), what.end(), k_relative_marker), what.end());
    throw UsageError(what + " (see runner --help)");
  }

  return vm;
}

// What the command line alone says: the command, its arguments and the flags no config can set.
void read_flags(const po::variables_map& vm, Settings& s) {
  if (vm.count("command")) s.command = vm["command"].as<std::string>();
  if (vm.count("args"))
    for (std::string a : vm["args"].as<std::vector<std::string>>()) {
      if (!a.empty() && a[0] == k_relative_marker) a.erase(0, 1);
      s.args.push_back(a);
    }
  s.help = vm["help"].as<bool>();
  s.version = vm["version"].as<bool>();
  s.man = vm["man"].as<bool>();
  s.json = vm["json"].as<bool>();
  s.all_projects = vm["all-projects"].as<bool>();
  s.fail_fast = vm["fail-fast"].as<bool>();
  if (vm.count("jobs")) {
    long long j = vm["jobs"].as<long long>();
    if (j < 1 || j > 256) throw UsageError("--jobs must be between 1 and 256, not " + std::to_string(j));
    s.jobs = static_cast<unsigned>(j);
  }
  if (vm.count("max-failures")) {
    const long long k = vm["max-failures"].as<long long>();
    if (k < 1 || k > 1000000)
      throw UsageError("--max-failures must be between 1 and 1000000, not " + std::to_string(k));
    if (s.fail_fast) throw UsageError("--fail-fast is --max-failures 1: give one of them");
    s.max_failures = static_cast<std::size_t>(k);
  }
  if (s.fail_fast) s.max_failures = 1;
  if (vm.count("canary")) {
    const std::string c = vm["canary"].as<std::string>();
    if (c.empty()) throw UsageError("--canary needs a number of projects or their names");
    if (c.find_first_not_of("0123456789") == std::string::npos) {
      if (c.size() > 9 || std::stoul(c) == 0)
        throw UsageError("--canary " + c + ": a number of projects from 1, or project names separated by commas");
      s.canary_count = std::stoul(c);
    } else {
      // A list: "7," names project 7 alone.
      std::size_t start = 0;
      while (start <= c.size()) {
        const std::size_t comma = std::min(c.find(',', start), c.size());
        if (comma > start) s.canary_projects.push_back(c.substr(start, comma - start));
        start = comma + 1;
      }
      if (s.canary_projects.empty()) throw UsageError("--canary '" + c + "' names no project");
    }
  }
  for (const char* name : {"databases", "jobs-per-server", "canary", "max-failures", "shard"})
    if ((vm.count(name) || (std::string(name) == "max-failures" && s.fail_fast)) && !s.all_projects)
      throw UsageError(std::string("--") + (vm.count(name) ? name : "fail-fast") + " goes with --all-projects");
  if (vm["verbose"].as<bool>() && vm["quiet"].as<bool>()) throw UsageError("--verbose and --quiet exclude each other");
  s.verbosity = vm["verbose"].as<bool>() ? Verbosity::verbose
                : vm["quiet"].as<bool>() ? Verbosity::quiet
                                         : Verbosity::normal;
  s.dry_run = vm["dry-run"].as<bool>();
  s.sql = vm["sql"].as<bool>();
  if (vm.count("output")) s.output = vm["output"].as<std::string>();
  if (vm.count("schema")) s.schema = vm["schema"].as<std::string>();
  if (s.output && !s.sql && s.command != "dump") throw UsageError("-o/--output goes with --sql, or with dump");
  if (s.schema && !s.sql && s.command != "dump" && s.command != "drift" && s.command != "test")
    throw UsageError("--schema goes with --sql, or with dump, drift and test");
  if (s.sql && s.dry_run) throw UsageError("--sql and --dry-run exclude each other (--sql runs nothing anyway)");
  s.allow_changed = vm["allow-changed"].as<bool>();
  s.out_of_order = vm["out-of-order"].as<bool>();
  if (vm.count("message")) s.message = vm["message"].as<std::string>();
  s.drop_source = vm["drop-source"].as<bool>();
  s.from_db = vm["from-db"].as<bool>();
  if (s.from_db) s.given_command_options.emplace_back("from-db");
  s.mark_applied = vm["mark-applied"].as<bool>();
  s.forget = vm["forget"].as<bool>();
  s.yes = vm["yes"].as<bool>();
  for (const char* name :
       {"dry-run", "sql", "allow-changed", "out-of-order", "drop-source", "mark-applied", "forget", "yes"})
    if (vm[name].as<bool>()) s.given_command_options.emplace_back(name);
  if (s.message) s.given_command_options.emplace_back("message");
  for (const char* name : {"from", "alembic", "alembic-config", "to"})
    if (vm.count(name)) {
      s.import_options[name] = vm[name].as<std::string>();
      s.given_command_options.emplace_back(name);
    }
  s.lint = vm["lint"].as<bool>();
  if (s.lint) s.given_command_options.emplace_back("lint");
  s.atomic = vm["atomic"].as<bool>();
  if (s.atomic) s.given_command_options.emplace_back("atomic");
  if (vm["no-lint"].as<bool>()) {
    if (s.lint) throw UsageError("--lint and --no-lint exclude each other");
    s.given_command_options.emplace_back("no-lint");
  }
  if (vm["no-atomic"].as<bool>()) {
    if (s.atomic) throw UsageError("--atomic and --no-atomic exclude each other");
    s.given_command_options.emplace_back("no-atomic");
  }
  if (s.lint && s.sql)
    throw UsageError(
        "--lint goes with a run; --sql writes a script and runs nothing: lint its files with `runner "
        "lint FILE...`");
  if (vm.count("url-env")) {
    s.url_variables = vm["url-env"].as<std::vector<std::string>>();
    s.given_command_options.emplace_back("url-env");
  }
}
}  // namespace

// The config file (-c, else ./runner.ini when present), parsed; empty when there is none.
po::variables_map read_config(const po::variables_map& vm, Settings& s) {
  po::variables_map file_vm;
  std::error_code ec;
  if (vm.count("config")) {
    s.config_file = fs::path(vm["config"].as<std::string>());
    const fs::file_status st = fs::status(*s.config_file, ec);
    if (!fs::exists(st))
      throw UsageError("config file " + s.config_file->string() + " does not exist" +
                       (ec && ec != std::errc::no_such_file_or_directory ? " (" + ec.message() + ")" : ""));
    if (!fs::is_regular_file(st))
      throw UsageError("config file " + s.config_file->string() + " is not a regular file (" +
                       (fs::is_directory(st) ? "a directory" : "a device, pipe or socket") +
                       "): give the path of an ini file");
  } else if (fs::is_regular_file("runner.ini", ec)) {
    s.config_file = fs::path("runner.ini");
  }
  if (s.config_file) {
    std::string text = read_config_text(*s.config_file);
    reject_inline_comments(*s.config_file, text);
    text = take_placeholder_section(*s.config_file, text, &s.placeholders);
    try {
      std::istringstream in(text);
      po::store(po::parse_config_file(in, config_options(), false), file_vm);
      po::notify(file_vm);
    } catch (const po::error& e) {
      throw UsageError(s.config_file->string() + ": " + option_error_text(e));
    }
  }
  return file_vm;
}

// The values the command line, the environment or the config file may give, in that order of
// precedence; paths from the config file are relative to its folder.
void resolve_sources(const po::variables_map& vm, const po::variables_map& file_vm, Settings& s) {
  if (vm.count("database")) {
    s.database_url = vm["database"].as<std::string>();
    s.database_origin = "--database";
  } else if (!env("RUNNER_DATABASE_URL").empty()) {
    s.database_url = env("RUNNER_DATABASE_URL");
    s.database_origin = "RUNNER_DATABASE_URL";
  } else if (!env("DATABASE_URL").empty()) {
    s.database_url = env("DATABASE_URL");
    s.database_origin = "DATABASE_URL";
  } else if (file_vm.count("database")) {
    s.database_url = file_vm["database"].as<std::string>();
    s.database_origin = s.config_file->string();
    // A relative database file is relative to the config file, like sql-dir: `runner -c
    // path/to/runner.ini` then means the same database from any folder.
    s.database_base_dir = s.config_file->parent_path().string();
  }

  if (vm.count("sql-dir")) {
    s.sql_dir = vm["sql-dir"].as<std::string>();
  } else if (file_vm.count("sql-dir")) {
    // Relative to the config file, so `runner -c path/to/runner.ini` works from anywhere.
    fs::path dir = file_vm["sql-dir"].as<std::string>();
    s.sql_dir = dir.is_absolute() ? dir : (s.config_file->parent_path() / dir).lexically_normal();
    if (s.sql_dir.empty()) s.sql_dir = ".";
  }

  if (vm.count("projects")) {
    s.projects_glob = vm["projects"].as<std::string>();
  } else if (file_vm.count("projects")) {
    fs::path glob = file_vm["projects"].as<std::string>();
    s.projects_glob = glob.is_absolute() || s.config_file->parent_path().empty()
                          ? glob.string()
                          : (s.config_file->parent_path() / glob).string();
  }
  if (const po::variables_map* from = vm.count("jobs-per-server")        ? &vm
                                      : file_vm.count("jobs-per-server") ? &file_vm
                                                                         : nullptr) {
    const long long m = (*from)["jobs-per-server"].as<long long>();
    if (m < 1 || m > 256)
      throw UsageError(
          (from == &vm ? std::string("--jobs-per-server") : "jobs-per-server in " + s.config_file->string()) +
          " must be between 1 and 256, not " + std::to_string(m));
    s.jobs_per_server = static_cast<unsigned>(m);
  }
  const auto env_lookup = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
  };
  if (vm.count("shard")) s.shard = parse_shard(vm["shard"].as<std::string>(), env_lookup);
  // The inventory is read only for a run over every project: elsewhere databases= in the config
  // is left aside, as projects= is; and so it is when the command line or the environment names
  // the database or the project files, which outrank the config.
  const bool named_elsewhere = vm.count("database") || vm.count("projects") ||
                               s.database_origin == "RUNNER_DATABASE_URL" || s.database_origin == "DATABASE_URL";
  if (s.all_projects && (vm.count("databases") || (file_vm.count("databases") && !named_elsewhere))) {
    std::string file;
    if (vm.count("databases")) {
      file = vm["databases"].as<std::string>();
      if (file.empty()) throw UsageError("--databases needs a file");
      if (vm.count("database"))
        throw UsageError("-d/--database and --databases exclude each other: list the database in the file");
      if (vm.count("projects"))
        throw UsageError("--projects and --databases exclude each other: list the glob in the file (sqlite:GLOB)");
    } else {
      const fs::path given = file_vm["databases"].as<std::string>();
      file = (given.is_absolute() ? given : (s.config_file->parent_path() / given).lexically_normal()).string();
    }
    s.inventory = read_inventory(file, env_lookup);
  }
  if (vm.count("schema-pattern"))
    s.schema_pattern = vm["schema-pattern"].as<std::string>();
  else if (file_vm.count("schema-pattern"))
    s.schema_pattern = file_vm["schema-pattern"].as<std::string>();

  if (vm.count("dialect"))
    s.dialect = vm["dialect"].as<std::string>();
  else if (file_vm.count("dialect"))
    s.dialect = file_vm["dialect"].as<std::string>();

  if (vm.count("plugin-dir"))
    s.plugin_dirs = vm["plugin-dir"].as<std::vector<std::string>>();
  else if (file_vm.count("plugin-dir"))
    s.plugin_dirs = file_vm["plugin-dir"].as<std::vector<std::string>>();
  s.plugin_env = env("RUNNER_PLUGIN_PATH");

  const po::variables_map* timeout_from = vm.count("lock-timeout")        ? &vm
                                          : file_vm.count("lock-timeout") ? &file_vm
                                                                          : nullptr;
  if (timeout_from != nullptr) {
    long long t = (*timeout_from)["lock-timeout"].as<long long>();
    if (t < 0 || t > 86400 * 7)
      throw UsageError("--lock-timeout must be between 0 and 604800 seconds, not " + std::to_string(t));
    s.lock_timeout_s = static_cast<std::uint32_t>(t);
  }
  // Durations in seconds, fractions allowed: "2", "0.5".
  const auto seconds_ms = [&](const char* name) -> std::optional<std::uint32_t> {
    const po::variables_map* from = vm.count(name) ? &vm : file_vm.count(name) ? &file_vm : nullptr;
    if (from == nullptr) return std::nullopt;
    const std::string text = (*from)[name].as<std::string>();
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno != 0 || !(v >= 0) || v > 86400)
      throw UsageError(std::string("--") + name + " must be a number of seconds between 0 and 86400 (2, 0.5), not '" +
                       text + "'");
    const auto ms = static_cast<std::uint32_t>(v * 1000 + 0.5);
    if (v > 0 && ms == 0) throw UsageError(std::string("--") + name + " below a millisecond: '" + text + "'");
    return ms;
  };
  if (!s.lint && !vm["no-lint"].as<bool>()) s.lint = config_switch(file_vm, "lint");
  // atomic = in the config: upgrade only; other commands leave it aside.
  if (!s.atomic && !vm["no-atomic"].as<bool>() && s.command == "upgrade") s.atomic = config_switch(file_vm, "atomic");
  if (vm.count("dump-schema")) {
    s.dump_schema = vm["dump-schema"].as<std::string>();
    s.given_command_options.emplace_back("dump-schema");
  } else if (file_vm.count("dump-schema")) {
    // Relative to the config file, as sql-dir is.
    fs::path file = file_vm["dump-schema"].as<std::string>();
    s.dump_schema = (file.is_absolute() ? file : (s.config_file->parent_path() / file).lexically_normal()).string();
    s.dump_schema_from_config = true;
  }
  if (s.dump_schema && s.dump_schema->empty()) throw UsageError("--dump-schema needs a file name");
  if (vm.count("shadow-url")) {
    s.shadow_url = vm["shadow-url"].as<std::string>();
    if (s.shadow_url.empty()) throw UsageError("--shadow-url needs a URL");
    s.given_command_options.emplace_back("shadow-url");
  } else if (file_vm.count("shadow-url")) {
    s.shadow_url = file_vm["shadow-url"].as<std::string>();
  }
  if (vm.count("backup")) {
    s.backup = vm["backup"].as<std::string>();
    s.given_command_options.emplace_back("backup");
  } else if (file_vm.count("backup")) {
    s.backup = file_vm["backup"].as<std::string>();
    if (*s.backup == "on" || *s.backup == "yes" || *s.backup == "true") s.backup = "";
  }
  if (const po::variables_map* from = vm.count("keep") ? &vm : file_vm.count("backup-keep") ? &file_vm : nullptr) {
    const long long n = (*from)[from == &vm ? "keep" : "backup-keep"].as<long long>();
    if (n < 1 || n > 100000) throw UsageError("--keep must be between 1 and 100000, not " + std::to_string(n));
    if (!s.backup) throw UsageError("--keep goes with --backup (backup = in the config)");
    s.backup_keep = static_cast<unsigned>(n);
    if (from == &vm) s.given_command_options.emplace_back("keep");
  }
  if (vm.count("to-version")) {
    const std::string v = vm["to-version"].as<std::string>();
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
      throw UsageError("--to-version must be a migration version (digits), not '" + v + "'");
    s.to_version = std::stoull(v);
    s.given_command_options.emplace_back("to-version");
  }
  if (auto ms = seconds_ms("lock-wait")) s.lock_wait_ms = *ms;
  if (vm.count("wait-replicas")) {
    const std::string text = vm["wait-replicas"].as<std::string>();
    std::optional<std::uint32_t> ms = 60'000;
    try {
      if (!text.empty()) ms = seconds_ms("wait-replicas");
    } catch (const UsageError&) {
      ms = 0;
    }
    if (*ms == 0)
      throw UsageError("--wait-replicas needs a number of seconds above 0, at most 86400 (--wait-replicas=120), not '" +
                       text + "'");
    if (s.sql || s.dry_run) throw UsageError("--wait-replicas waits after a run; --sql and --dry-run run nothing");
    s.wait_replicas = std::chrono::milliseconds(*ms);
    s.given_command_options.emplace_back("wait-replicas");
  }
  if (auto ms = seconds_ms("statement-timeout")) s.statement_timeout_ms = *ms;
  if (const po::variables_map* from = vm.count("lock-retries")        ? &vm
                                      : file_vm.count("lock-retries") ? &file_vm
                                                                      : nullptr) {
    const long long n = (*from)["lock-retries"].as<long long>();
    if (n < 0 || n > 100) throw UsageError("--lock-retries must be between 0 and 100, not " + std::to_string(n));
    if (s.lock_wait_ms == 0) throw UsageError("--lock-retries goes with --lock-wait (lock-wait = in the config)");
    s.lock_retries = static_cast<unsigned>(n);
  }
  // Placeholder values: the config's were read with it; the environment's, then --set, win.
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e, prefix = "RUNNER_PLACEHOLDER_";
    const std::size_t eq = entry.find('=');
    if (entry.compare(0, prefix.size(), prefix) == 0 && eq != std::string::npos && eq > prefix.size())
      s.placeholders[entry.substr(prefix.size(), eq - prefix.size())] = entry.substr(eq + 1);
  }
  if (vm.count("set")) {
    s.given_command_options.emplace_back("set");
    for (const auto& v : vm["set"].as<std::vector<std::string>>()) {
      const std::size_t eq = v.find('=');
      if (eq == std::string::npos || !is_placeholder_name(v.substr(0, eq)))
        throw UsageError("--set " + v + ": expected NAME=VALUE (a name is letters, digits, '_' and '.')");
      s.placeholders[v.substr(0, eq)] = v.substr(eq + 1);
    }
  }

}  // namespace

Settings resolve_settings(int argc, const char* const* argv) {
  const po::variables_map vm = parse_command_line(argc, argv);
  Settings s;
  read_flags(vm, s);
  const po::variables_map file_vm = read_config(vm, s);
  resolve_sources(vm, file_vm, s);
  return s;
}

}  // namespace runner::cli
