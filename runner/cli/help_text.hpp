// SPDX-License-Identifier: MIT
// The help texts, from the command table and the option descriptions: runner --help, runner
// COMMAND --help, and the manual page made of the same words (so the two never disagree).
#pragma once

#include <string>

namespace runner::cli {

struct Command;
struct Settings;

std::string main_help(const Settings& settings);
std::string command_help(const Command& c);

// runner.1 in roff (man(7)): every command's help and the options, as --help gives them.
std::string man_page();

}  // namespace runner::cli
