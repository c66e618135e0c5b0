// SPDX-License-Identifier: MIT
// runner dialects: every plugin on the search path, loaded and checked.
#include "runner/base/errors.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace runner::cli {

int cmd_dialects(Context& ctx) {
  auto found = ctx.loader().load_all();
  nlohmann::json j = nlohmann::json::array();
  std::vector<std::vector<std::string>> table{{"NAME", "VERSION", "FILE"}};
  bool failed = false;
  for (const auto& f : found) {
    if (f.dialect == nullptr) {
      std::fprintf(stderr, "runner: error: %s\n", f.error.c_str());
      failed = true;
      continue;
    }
    table.push_back({f.dialect->name(), f.dialect->version(), f.dialect->file()});
    j.push_back({{"name", f.dialect->name()}, {"version", f.dialect->version()}, {"file", f.dialect->file()}});
  }
  if (ctx.settings().json) {
    print(j.dump(2) + "\n");
  } else {
    std::string out = format_table(table);
    out += "searched:";
    for (const auto& d : ctx.loader().search_dirs()) out += " " + d.string();
    print(out + "\n");
  }
  return failed ? k_exit_usage : 0;
}

}  // namespace runner::cli
