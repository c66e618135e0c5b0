// SPDX-License-Identifier: MIT
#include "runner/core/migration_scanner.hpp"

#include "runner/core/errors.hpp"
#include "runner/core/migration_name.hpp"

#include <algorithm>
#include <map>
#include <system_error>
#include <vector>

namespace runner {
namespace fs = std::filesystem;

namespace {

struct Found {
  fs::path path;
  MigrationFileName parsed;
};

// Every file of one version, by role.
struct VersionFiles {
  std::vector<Found> files;
};

std::string display(const fs::path& p) { return p.generic_string(); }

}  // namespace

MigrationSet scan_migrations(const fs::path& dir, const std::string& dialect) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UsageError("migration folder '" + display(dir) + "' does not exist or is not a folder (set -s/--sql-dir)");

  std::vector<std::pair<std::string, std::string>> problems;  // (file, what is wrong)
  std::map<std::uint64_t, VersionFiles> by_version;

  std::vector<fs::path> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".sql") continue;
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    paths.push_back(it->path());
  }
  if (ec) throw UsageError("cannot list migration folder '" + display(dir) + "': " + ec.message());
  std::sort(paths.begin(), paths.end());

  for (const auto& p : paths) {
    Found f{p, {}};
    std::string why;
    if (!parse_migration_file_name(p.filename().string(), &f.parsed, &why)) {
      problems.emplace_back(display(p), why);
      continue;
    }
    by_version[f.parsed.version].files.push_back(std::move(f));
  }

  MigrationSet set;
  set.dir = dir;
  for (auto& [version, group] : by_version) {
    // Two files in the same role (e.g. two ups, or 0007 and 007) are two migrations with one version.
    std::map<std::pair<int, std::string>, const Found*> role;
    bool broken = false;
    const Found* any_up = nullptr;
    for (const auto& f : group.files) {
      auto key = std::make_pair(f.parsed.direction == Direction::up ? 0 : 1, f.parsed.dialect);
      auto [it, inserted] = role.emplace(key, &f);
      if (!inserted) {
        problems.emplace_back(display(f.path), "version " + std::to_string(version) + " is also used by " +
                                                   display(it->second->path));
        broken = true;
      }
      if (f.parsed.direction == Direction::up && any_up == nullptr) any_up = &f;
    }
    if (broken) continue;
    if (any_up == nullptr) {
      for (const auto& f : group.files) problems.emplace_back(display(f.path), "down migration without an up");
      continue;
    }
    for (const auto& f : group.files) {
      if (f.parsed.name != any_up->parsed.name) {
        problems.emplace_back(display(f.path), "name '" + f.parsed.name + "' differs from '" + any_up->parsed.name +
                                                   "' in " + display(any_up->path) +
                                                   " (an up and its down must have the same name)");
        broken = true;
      }
    }
    if (broken) continue;

    auto pick = [&](int dir_index) -> const Found* {
      if (auto it = role.find({dir_index, dialect}); it != role.end()) return it->second;
      if (auto it = role.find({dir_index, std::string()}); it != role.end()) return it->second;
      return nullptr;
    };
    const Found* up = pick(0);
    if (up == nullptr) {
      problems.emplace_back(display(any_up->path), "migration " + any_up->parsed.version_text +
                                                       " has no up file for the " + dialect + " dialect (add " +
                                                       any_up->parsed.version_text +
                                                       (any_up->parsed.name.empty() ? "" : "_" + any_up->parsed.name) +
                                                       ".up.sql or .up." + dialect + ".sql)");
      continue;
    }
    Migration m;
    m.version = version;
    m.version_text = up->parsed.version_text;
    m.name = up->parsed.name;
    m.up = up->path;
    if (const Found* down = pick(1)) m.down = down->path;
    set.migrations.push_back(std::move(m));
  }

  if (!problems.empty()) {
    std::sort(problems.begin(), problems.end());
    std::string msg = "invalid migration files in " + display(dir) + " (nothing was applied):";
    for (const auto& [file, what] : problems) msg += "\n  " + file + ": " + what;
    throw SourceError(msg);
  }
  return set;
}

}  // namespace runner
