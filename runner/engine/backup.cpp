// SPDX-License-Identifier: MIT
#include "runner/engine/backup.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <system_error>

namespace runner {
namespace fs = std::filesystem;

namespace {

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// ".db" for a SQLite copy, ".dump" for pg_dump's archive.
std::string extension(const DatabaseInfo& target) { return target.file.empty() ? ".dump" : ".db"; }

}  // namespace

fs::path backup_folder(const DatabaseInfo& target, const BackupOptions& options) {
  if (!options.dir.empty()) return options.dir;
  if (!target.file.empty()) return fs::path(target.file).parent_path() / "backups";
  return "backups";
}

std::string backup_stem(const DatabaseInfo& target) {
  if (!target.file.empty()) return fs::path(target.file).stem().string();
  return target.schema.empty() ? std::string("database") : target.schema;
}

std::vector<BackupFile> list_backups(const DatabaseInfo& target, const BackupOptions& options) {
  std::vector<BackupFile> out;
  const fs::path dir = backup_folder(target, options);
  const std::string prefix = backup_stem(target) + ".v", ext = extension(target);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0 || name.size() <= prefix.size() + ext.size() ||
        name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
      continue;
    // stem.vVERSION.TIME.ext
    const std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - ext.size());
    const std::size_t dot = middle.find('.');
    if (dot == std::string::npos || dot == 0 || middle.find_first_not_of("0123456789") != dot) continue;
    BackupFile f;
    f.path = it->path();
    f.version = std::stoull(middle.substr(0, dot));
    f.time = middle.substr(dot + 1);
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const BackupFile& a, const BackupFile& b) {
    return a.time != b.time ? a.time < b.time : a.path < b.path;
  });
  return out;
}

std::string back_up(const Dialect& dialect, const DatabaseInfo& target, std::uint64_t version,
                    const BackupOptions& options) {
  if (!dialect.backs_up()) throw UsageError(fmt::format("--backup: the {} dialect makes no backups", dialect.name()));
  if (target.keep_open) throw UsageError("--backup: an in-memory database has nothing to back up");
  const fs::path dir = backup_folder(target, options);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw UsageError(fmt::format("--backup: cannot create {}: {}", dir.string(), ec.message()));
  const std::string name = fmt::format("{}.v{}.{}{}", backup_stem(target), version, utc_stamp(), extension(target));
  fs::path dest = dir / name;
  for (int n = 2; fs::exists(dest, ec); ++n)  // two in one second
    dest = dir / fmt::format("{}.v{}.{}-{}{}", backup_stem(target), version, utc_stamp(), n, extension(target));
  const fs::path partial = dir / fmt::format(".{}.partial-{}", dest.filename().string(), ::getpid());
  fs::remove(partial, ec);
  try {
    dialect.backup(target, partial.string());
  } catch (...) {
    fs::remove(partial, ec);
    throw;
  }
  fs::rename(partial, dest, ec);
  if (ec) {
    fs::remove(partial, ec);
    throw UsageError(fmt::format("--backup: cannot place {}: {}", dest.string(), ec.message()));
  }
  log().debug("{}: backed up to {}", target.display, dest.string());
  if (options.keep > 0) {
    const auto all = list_backups(target, options);
    for (std::size_t i = 0; i + options.keep < all.size(); ++i) {
      fs::remove(all[i].path, ec);
      if (!ec) log().info("{}: removed old backup {} (--keep {})", target.display, all[i].path.string(), options.keep);
    }
  }
  return dest.string();
}

}  // namespace runner
