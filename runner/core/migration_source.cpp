// SPDX-License-Identifier: MIT
#include "runner/core/migration_source.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/migration.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace runner {
namespace fs = std::filesystem;
namespace {

std::string display(const fs::path& p) { return p.generic_string(); }

// ".sql" in any case: ".SQL" is no less a migration to its author, so it must not be skipped.
bool ends_with_sql_any_case(const char* name) {
  std::size_t n = std::strlen(name);
  return n >= 4 && name[n - 4] == '.' && (name[n - 3] | 0x20) == 's' && (name[n - 2] | 0x20) == 'q' &&
         (name[n - 1] | 0x20) == 'l';
}

// Why an entry named like a migration cannot be one, or "" when it is a readable regular file.
std::string unusable_entry(const fs::path& path, unsigned char d_type) {
  if (d_type == DT_REG) return "";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    struct stat link {};
    if (err == ELOOP) return "cannot be read: a loop of symbolic links";
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      std::error_code ec;
      return "cannot be read: a symbolic link to '" + fs::read_symlink(path, ec).generic_string() +
             "', which does not exist";
    }
    return std::string("cannot be read: ") + std::strerror(err);
  }
  if (S_ISREG(st.st_mode)) return "";
  if (S_ISDIR(st.st_mode)) return "is a folder, not a migration file";
  return "is not a regular file";
}

// The folder's entries ending in .sql in any case. readdir's d_type spares a stat per file: a
// no-op run lists the whole folder every time.
std::vector<MigrationSource::Entry> list_sql_files(const fs::path& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) throw UsageError("cannot list migration folder '" + display(dir) + "': " + std::strerror(errno));
  std::vector<MigrationSource::Entry> names;
  while (const dirent* e = ::readdir(d)) {
    // Hidden entries are editors' and tools' own (Emacs's .#0003_x.up.sql lock link, a
    // .0003_x.up.sql.swp): never migrations.
    if (e->d_name[0] == '.' || !ends_with_sql_any_case(e->d_name)) continue;
    names.push_back({e->d_name, unusable_entry(dir / e->d_name, e->d_type)});
  }
  ::closedir(d);
  return names;
}

FileStamp stamp_of(const struct stat& st) {
  return FileStamp{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                   static_cast<std::uint64_t>(st.st_size),
                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                   static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

class DiskSource final : public MigrationSource {
 public:
  bool stamp(const fs::path& file, FileStamp* out) override {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    *out = stamp_of(st);
    return true;
  }
  bool is_folder(const fs::path& dir) override {
    std::error_code ec;
    return fs::is_directory(dir, ec);
  }
  std::vector<Entry> list(const fs::path& dir) override { return list_sql_files(dir); }
  std::string read(const fs::path& file, FileStamp* stamp) override {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw SourceError(file.generic_string(), 0, std::string("cannot read: ") + std::strerror(errno));
    std::string raw;
    struct stat st {};
    const bool stat_ok = ::fstat(fd, &st) == 0;
    const std::size_t expected = stat_ok && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0;
    if (stamp != nullptr && stat_ok) *stamp = stamp_of(st);
    raw.reserve(expected);
    char buf[16384];
    // Stop once fstat's size is in: that spares the read that would only report the end.
    while (expected == 0 || raw.size() < expected) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        throw SourceError(file.generic_string(), 0, std::string("read failed: ") + std::strerror(err));
      }
      raw.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return raw;
  }
};

}  // namespace

std::shared_ptr<MigrationSource> disk_migration_source() { return std::make_shared<DiskSource>(); }

namespace {

std::shared_ptr<MigrationSource>& slot() {
  static std::shared_ptr<MigrationSource> source = std::make_shared<DiskSource>();
  return source;
}

}  // namespace

MigrationSource& migration_source() { return *slot(); }

void set_migration_source(std::shared_ptr<MigrationSource> source) {
  slot() = source ? std::move(source) : std::make_shared<DiskSource>();
}

}  // namespace runner
