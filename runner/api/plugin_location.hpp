// SPDX-License-Identifier: MIT
// Where the library looks for dialect plugins: the folders the application names, then
// RUNNER_PLUGIN_PATH, then runner/dialects beside the library file itself (lib/librunner.so ->
// lib/runner/dialects, as installed and in the build tree), then beside the executable as the
// runner command does.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace runner {

std::vector<std::filesystem::path> library_search_path(const std::vector<std::string>& explicit_dirs);

}  // namespace runner
