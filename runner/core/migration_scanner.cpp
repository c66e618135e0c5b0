// SPDX-License-Identifier: MIT
#include "runner/core/migration_scanner.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/migration_name.hpp"
#include "runner/core/migration_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <vector>

namespace runner {
namespace fs = std::filesystem;

namespace {

struct Found {
  fs::path path;
  std::string file_name;
  MigrationFileName parsed;
};

std::string display(const fs::path& p) { return p.generic_string(); }

using Problems = std::vector<std::pair<std::string, std::string>>;  // (file, what is wrong)

// The migration files of `dir` whose names parse and whose dialect tag names a known dialect, by
// version, then file name, so that messages come out in a stable order.
std::vector<Found> parse_names(const fs::path& dir, const std::string& dialect,
                               const std::vector<std::string>& known_dialects, Problems& problems) {
  std::vector<Found> found;
  std::vector<std::string> names;
  for (auto& entry : migration_source().list(dir)) {
    // Everything from the first '.' is the grammar's, in lower case: .UP.SQL is refused, naming
    // the fix, not skipped.
    const std::size_t n = entry.name.size();
    if (entry.name.compare(n - 4, 4, ".sql") != 0) {
      std::string fixed = entry.name;
      for (std::size_t k = fixed.find('.'); k < fixed.size(); ++k)
        fixed[k] = static_cast<char>(fixed[k] >= 'A' && fixed[k] <= 'Z' ? fixed[k] + 32 : fixed[k]);
      problems.emplace_back(display(dir / entry.name),
                            "the extension must be '.sql' in lower case (rename it to " + fixed + ")");
    } else if (!entry.problem.empty()) {
      problems.emplace_back(display(dir / entry.name), entry.problem);
    } else {
      names.push_back(std::move(entry.name));
    }
  }
  found.reserve(names.size());
  for (const auto& name : names) {
    Found f{dir / name, name, {}};
    std::string why;
    if (!parse_migration_file_name(name, &f.parsed, &why)) {
      problems.emplace_back(display(f.path), why);
      continue;
    }
    const std::string& tag = f.parsed.dialect;
    if (!tag.empty() && tag != dialect &&
        std::find(known_dialects.begin(), known_dialects.end(), tag) == known_dialects.end()) {
      std::string known = dialect;
      for (const auto& k : known_dialects)
        if (k != dialect) known += ", " + k;
      problems.emplace_back(display(f.path), "'." + tag + ".sql' names no dialect (known: " + known + ")");
      continue;
    }
    found.push_back(std::move(f));
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.parsed.version != b.parsed.version ? a.parsed.version < b.parsed.version : a.file_name < b.file_name;
  });
  return found;
}

// The migration the files [begin, end) of one version make for `dialect`: its up file (the
// dialect's variant, else the plain one) and down file. Nothing, with the problems noted, when two
// files share a role, a down has no up, names differ, or no up file serves the dialect.
std::optional<Migration> pair_version(const std::vector<Found>& found, std::size_t begin, std::size_t end,
                                      const std::string& dialect, Problems& problems) {
  const std::uint64_t version = found[begin].parsed.version;
  // A handful of files per version at most: linear look-ups beat a map here.
  auto role = [&](Direction d, const std::string& dialect_tag) -> const Found* {
    for (std::size_t i = begin; i < end; ++i)
      if (found[i].parsed.direction == d && found[i].parsed.dialect == dialect_tag) return &found[i];
    return nullptr;
  };

  // Two files in the same role (e.g. two ups, or 0007 and 007) are two migrations with one version.
  bool broken = false;
  const Found* any_up = nullptr;
  for (std::size_t i = begin; i < end; ++i) {
    const Found& f = found[i];
    for (std::size_t j = begin; j < i; ++j)
      if (found[j].parsed.direction == f.parsed.direction && found[j].parsed.dialect == f.parsed.dialect) {
        problems.emplace_back(display(f.path),
                              "version " + std::to_string(version) + " is also used by " + display(found[j].path));
        broken = true;
        break;
      }
    if (f.parsed.direction == Direction::up && any_up == nullptr) any_up = &f;
  }
  if (broken) return std::nullopt;
  if (any_up == nullptr) {
    for (std::size_t i = begin; i < end; ++i)
      problems.emplace_back(display(found[i].path), "down migration without an up");
    return std::nullopt;
  }
  for (std::size_t i = begin; i < end; ++i) {
    const Found& f = found[i];
    if (f.parsed.name != any_up->parsed.name) {
      problems.emplace_back(display(f.path), "name '" + f.parsed.name + "' differs from '" + any_up->parsed.name +
                                                 "' in " + display(any_up->path) +
                                                 " (an up and its down must have the same name)");
      broken = true;
    }
  }
  if (broken) return std::nullopt;

  auto pick = [&](Direction d) -> const Found* {
    const Found* variant = role(d, dialect);
    return variant != nullptr ? variant : role(d, std::string());
  };
  const Found* up = pick(Direction::up);
  if (up == nullptr) {
    problems.emplace_back(display(any_up->path), "migration " + any_up->parsed.version_text +
                                                     " has no up file for the " + dialect + " dialect (add " +
                                                     any_up->parsed.version_text +
                                                     (any_up->parsed.name.empty() ? "" : "_" + any_up->parsed.name) +
                                                     ".up.sql or .up." + dialect + ".sql)");
    return std::nullopt;
  }
  Migration m;
  m.version = version;
  m.version_text = up->parsed.version_text;
  m.name = up->parsed.name;
  m.up = up->path;
  if (const Found* down = pick(Direction::down)) m.down = down->path;
  return m;
}

}  // namespace

namespace {

// <dir>/callbacks: each file is a known callback, for every dialect or one (NAME.DIALECT.sql); the
// active dialect's variant wins. Anything else there is a problem, so that a misspelt callback
// (beforeMigrate.sql) is not silently never run.
Callbacks scan_callbacks(const fs::path& dir, const std::string& dialect,
                         const std::vector<std::string>& known_dialects, Problems& problems) {
  Callbacks c;
  const fs::path folder = dir / "callbacks";
  if (!migration_source().is_folder(folder)) return c;
  static const char* const k_names[] = {"before_migrate", "after_migrate", "before_each", "after_each"};
  std::optional<fs::path>* slots[] = {&c.before_migrate, &c.after_migrate, &c.before_each, &c.after_each};
  bool variant[4] = {false, false, false, false};
  for (const auto& entry : migration_source().list(folder)) {
    const fs::path path = folder / entry.name;
    if (!entry.problem.empty()) {
      problems.emplace_back(display(path), entry.problem);
      continue;
    }
    std::string stem = entry.name.substr(0, entry.name.size() - 4);  // list() gives names ending in .sql
    std::string tag;
    if (const std::size_t dot = stem.find('.'); dot != std::string::npos) {
      tag = stem.substr(dot + 1);
      stem = stem.substr(0, dot);
    }
    const auto* name = std::find_if(std::begin(k_names), std::end(k_names), [&](const char* n) { return stem == n; });
    const bool known_tag = tag.empty() || tag == dialect ||
                           std::find(known_dialects.begin(), known_dialects.end(), tag) != known_dialects.end();
    if (name == std::end(k_names) || !known_tag || entry.name.compare(entry.name.size() - 4, 4, ".sql") != 0) {
      problems.emplace_back(display(path),
                            "not a callback (known: before_migrate, after_migrate, before_each, after_each, as "
                            "NAME.sql or NAME.DIALECT.sql)");
      continue;
    }
    const auto i = static_cast<std::size_t>(name - std::begin(k_names));
    if (!tag.empty() && tag != dialect) continue;  // another dialect's
    if (!tag.empty() || !variant[i]) *slots[i] = path;
    variant[i] = variant[i] || !tag.empty();
  }
  return c;
}

}  // namespace

MigrationSet scan_migrations(const fs::path& dir, const std::string& dialect,
                             const std::vector<std::string>& known_dialects) {
  if (!migration_source().is_folder(dir))
    throw UsageError("migration folder '" + display(dir) + "' does not exist or is not a folder (set -s/--sql-dir)");
  Problems problems;
  const std::vector<Found> found = parse_names(dir, dialect, known_dialects, problems);
  MigrationSet set;
  set.dir = dir;
  for (std::size_t begin = 0, end = 0; begin < found.size(); begin = end) {
    while (end < found.size() && found[end].parsed.version == found[begin].parsed.version) ++end;
    if (auto m = pair_version(found, begin, end, dialect, problems)) set.migrations.push_back(std::move(*m));
  }
  set.callbacks = scan_callbacks(dir, dialect, known_dialects, problems);
  if (!problems.empty()) {
    std::sort(problems.begin(), problems.end());
    std::string msg = "invalid migration files in " + display(dir) + " (nothing was applied):";
    for (const auto& [file, what] : problems) msg += "\n  " + file + ": " + what;
    throw SourceError(msg);
  }
  return set;
}

}  // namespace runner
