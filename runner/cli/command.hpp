// SPDX-License-Identifier: MIT
// The command table: one entry per subcommand, one file per command (cmd_*.cpp).
#pragma once

#include <string>
#include <vector>

namespace runner::cli {

class Context;

struct Command {
  const char* name;
  const char* alias;                 // nullptr when none
  const char* summary;               // one line, for runner --help
  const char* usage;                 // "upgrade [TARGET]"
  const char* details;               // what it does, what it prints, its exit codes
  std::vector<std::string> options;  // command options it accepts (see settings.cpp)
  int (*run)(Context&);
  // SIGINT/SIGTERM stop it at a safe point (cli/signal_watch.hpp) instead of ending the process.
  bool stops_on_signal = false;
};

const std::vector<Command>& commands();

int cmd_current(Context&);
int cmd_history(Context&);
int cmd_upgrade(Context&);
int cmd_downgrade(Context&);
int cmd_stamp(Context&);
int cmd_resume(Context&);
int cmd_repair(Context&);
int cmd_restore(Context&);
int cmd_new(Context&);
int cmd_validate(Context&);
int cmd_lint(Context&);
int cmd_dump(Context&);
int cmd_drift(Context&);
int cmd_test(Context&);
int cmd_diff(Context&);
int cmd_dialects(Context&);
int cmd_explain(Context&);
int cmd_import(Context&);
int cmd_adopt(Context&);
int cmd_renumber(Context&);
int cmd_completion(Context&);

}  // namespace runner::cli
