// SPDX-License-Identifier: MIT
// Finds dialect plugins (runner_dialect_<name>.so), loads them and checks that they speak this
// runner's ABI before any of their code is trusted. Loaded plugins stay loaded for the process.
#pragma once

#include "plugins/loader/dialect.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace runner {

class DialectLoader {
 public:
  // Directories searched in order, first match wins.
  explicit DialectLoader(std::vector<std::filesystem::path> search_dirs);

  // The default search path: `explicit_dirs` (--plugin-dir), then `env_path` (RUNNER_PLUGIN_PATH,
  // colon-separated), then, when beside_executable, <directory of the running executable>/../lib/
  // runner/dialects. An application embedding the runner passes false (the running executable is
  // its own), or builds the loader from its own folders with the constructor.
  static std::vector<std::filesystem::path> search_path(const std::vector<std::string>& explicit_dirs,
                                                        const std::string& env_path, bool beside_executable = true);

  // Throws DialectLoadError naming every file tried, or the file and the check that failed.
  const Dialect& load(const std::string& name);

  // Loads one file. Throws DialectLoadError naming it and what is wrong with it.
  const Dialect& load_file(const std::filesystem::path& file);

  struct Found {
    std::filesystem::path file;
    const Dialect* dialect = nullptr;  // null when loading failed
    std::string error;
  };
  // Every runner_dialect_*.so on the search path, loaded (first of each name only).
  std::vector<Found> load_all();

  // The dialect names on the search path (from file names; nothing is loaded).
  std::vector<std::string> available_names() const;

  const std::vector<std::filesystem::path>& search_dirs() const { return dirs_; }

 private:
  std::vector<std::filesystem::path> dirs_;
  std::map<std::string, std::unique_ptr<Dialect>> by_file_;
};

// The file name a dialect called `name` must have.
// The dialect a URL names: its scheme ("postgresql" for postgresql://...), which names the plugin
// file (another scheme of a dialect is a link to it); "" when the URL has no plain scheme.
std::string dialect_name_from_url(const std::string& url);

std::string dialect_file_name(const std::string& name);

}  // namespace runner
