// SPDX-License-Identifier: MIT
// Running another program (the user's alembic) and collecting what it printed: both streams are
// drained together, so a chatty program never blocks on a full pipe.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace runner {

struct ProcessResult {
  bool started = false;  // false: it could not be run at all (start_error says why)
  std::string start_error;
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up on PATH when it holds no '/') with `argv`, in `cwd`, with `env` added to
// (or replacing in) this process's environment; stdin is /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                          const std::vector<std::pair<std::string, std::string>>& env = {});

// argv as a shell would show it, for messages ("alembic -c x.ini upgrade a:b --sql").
std::string command_line(const std::vector<std::string>& argv);

}  // namespace runner
