// SPDX-License-Identifier: MIT
#include "runner/api/plugin_location.hpp"

#include "plugins/loader/dialect_loader.hpp"

#include <dlfcn.h>
#include <cstdlib>

namespace fs = std::filesystem;

namespace runner {

std::vector<fs::path> library_search_path(const std::vector<std::string>& explicit_dirs) {
  const char* env = std::getenv("RUNNER_PLUGIN_PATH");
  std::vector<fs::path> dirs = DialectLoader::search_path(explicit_dirs, env != nullptr ? env : "", false);
  // The file this function is in: librunner.so, or the executable a static build is linked into.
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&library_search_path), &info) != 0 && info.dli_fname != nullptr) {
    const fs::path self = fs::absolute(info.dli_fname).parent_path();
    dirs.push_back((self / "runner" / "dialects").lexically_normal());
  }
  for (const auto& d : DialectLoader::search_path({}, "", true)) dirs.push_back(d);
  return dirs;
}

}  // namespace runner
