// SPDX-License-Identifier: MIT
#include "runner/cli/cli.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"
#include "runner/base/version.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/error_report.hpp"
#include "runner/cli/help_text.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/settings.hpp"
#include "runner/cli/signal_watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>

namespace runner::cli {
namespace {

const Command* find_command(const std::string& name) {
  for (const auto& c : commands())
    if (name == c.name || (c.alias != nullptr && name == c.alias)) return &c;
  return nullptr;
}

void check_options_fit(const Command& c, const Settings& s) {
  for (const auto& given : s.given_command_options)
    if (std::find(c.options.begin(), c.options.end(), given) == c.options.end())
      throw UsageError("option --" + given + " does not apply to `" + c.name + "`");
}

// Errors are JSON on stdout too with --json, even when the options themselves are what failed.
bool asks_for_json(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--json") == 0) return true;
  return false;
}

int report_error(const Error& e, bool json) {
  std::fprintf(stderr, "runner: error: %s\n", e.what());
  if (json) {
    try {
      print(error_json(e));
    } catch (const std::exception&) {
      // stdout itself failed; stderr already has the message.
    }
  }
  return e.exit_code();
}

}  // namespace

int main(int argc, const char* const* argv) {
  const bool json = asks_for_json(argc, argv);
  try {
    Settings settings = resolve_settings(argc, argv);
    set_verbosity(settings.verbosity);
    if (settings.version) {
      print(std::string("runner ") + version() + "\n");
      return k_exit_ok;
    }
    if (settings.man) {
      print(man_page());
      return k_exit_ok;
    }
    if (settings.command.empty()) {
      print(main_help(settings));
      return settings.help ? k_exit_ok : k_exit_usage;
    }
    const Command* command = find_command(settings.command);
    if (command == nullptr) throw UsageError("unknown command '" + settings.command + "' (see runner --help)");
    if (settings.help) {
      print(command_help(*command));
      return k_exit_ok;
    }
    check_options_fit(*command, settings);
    if (settings.all_projects &&
        (std::strcmp(command->name, "new") == 0 || std::strcmp(command->name, "dialects") == 0 ||
         std::strcmp(command->name, "dump") == 0))
      throw UsageError(std::string("--all-projects does not apply to `") + command->name + "`");
    if (settings.all_projects && settings.dump_schema &&
        (std::strcmp(command->name, "upgrade") == 0 || std::strcmp(command->name, "downgrade") == 0)) {
      // One file holds one database's schema.
      if (!settings.dump_schema_from_config)
        throw UsageError("--dump-schema writes one database's schema: it does not go with --all-projects");
      log().warn("dump-schema = in the config is not written with --all-projects (one file, many databases)");
    }
    Context ctx(std::move(settings));
    std::optional<SignalWatch> watch;
    if (command->stops_on_signal) watch.emplace(ctx.cancellation());
    return command->run(ctx);
  } catch (const Error& e) {
    return report_error(e, json);
  } catch (const std::exception& e) {
    return report_error(Error(e.what()), json);
  }
}

}  // namespace runner::cli
