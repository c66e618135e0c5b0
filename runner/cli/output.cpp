// SPDX-License-Identifier: MIT
#include "runner/cli/output.hpp"

#include "runner/base/errors.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace runner::cli {

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

void print(const std::string& text) {
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    const int err = errno;
    std::clearerr(stdout);
    throw OutputError(std::string("cannot write to standard output: ") +
                      (err != 0 ? std::strerror(err) : "write failed") + "; the output is incomplete");
  }
}

namespace {

// Writes all of `text` to `fd`. Returns 0, or the errno of the write that failed.
int write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : ENOSPC;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

namespace {

[[noreturn]] void write_failed(const std::string& shown, int err, const char* outcome) {
  throw OutputError("cannot write " + shown + ": " + std::strerror(err) + "; " + outcome);
}

// Writes into what already exists at `path` (a device, a pipe, a file /dev/stdout stands for),
// as a shell redirection would.
void write_in_place(const std::string& path, const std::string& shown, const std::string& text) {
  if (path == "/dev/stdout") return print(text);
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) write_failed(shown, errno, "nothing was written");
  int err = write_all(fd, text);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) write_failed(shown, err, "the output is incomplete");
}

// Without hard links (some network and FUSE file systems) a new file is created exclusively and
// written directly: it still never replaces one.
void write_new_exclusively(const std::string& path, const std::string& shown, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) throw UsageError(shown + " already exists; not overwriting it");
    write_failed(shown, errno, "nothing was written");
  }
  int err = write_all(fd, text);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(path.c_str());
    write_failed(shown, err, "nothing was written");
  }
}

}  // namespace

void write_file_whole(const std::filesystem::path& path, const std::string& text, bool replace) {
  const std::string shown = path.generic_string();
  // /dev/stdout, /dev/fd/N, /proc/self/fd/N name what a file descriptor already holds: never
  // renamed over (as root that would replace the device node itself).
  if (shown.rfind("/dev/", 0) == 0 || shown.rfind("/proc/", 0) == 0) {
    if (!replace) throw UsageError("cannot create " + shown + ": not a place for a new file");
    return write_in_place(shown, shown, text);
  }
  // A symbolic link stays one: its target is what gets replaced.
  std::error_code ec;
  std::filesystem::path real = path;
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    real = std::filesystem::weakly_canonical(path, ec);
    if (ec) write_failed(shown, ec.value(), "nothing was written");
  }
  struct stat existing {};
  const bool exists = ::stat(real.c_str(), &existing) == 0;
  if (!replace && (exists || S_ISLNK(link.st_mode))) throw UsageError(shown + " already exists; not overwriting it");
  if (exists && !S_ISREG(existing.st_mode)) return write_in_place(real.string(), shown, text);  // a FIFO, a device

  // A replaced file keeps its mode and owner; a new one gets what the umask allows, as any file
  // the user makes (mkstemp's 0600 would hide a script from the DBA's colleagues).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  const mode_t mode = exists ? (existing.st_mode & 07777) : (0666 & ~mask);

  std::filesystem::path dir = real.parent_path();
  std::string tmp = (dir.empty() ? std::string(".") : dir.string()) + "/." + real.filename().string() + ".XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) write_failed(shown, errno, "nothing was written");
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    write_failed(shown, err, "nothing was written");
  };
  if (int err = write_all(fd, text)) fail(err);
  if (::fchmod(fd, mode) != 0) fail(errno);
  if (exists && (existing.st_uid != ::geteuid() || existing.st_gid != ::getegid()) &&
      ::fchown(fd, existing.st_uid, existing.st_gid) != 0) {
    // Only root may give a file away; the script is still whole, owned by whoever wrote it.
  }
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    write_failed(shown, err, "nothing was written");
  }
  const int rc = replace ? ::rename(tmp.c_str(), real.c_str()) : ::link(tmp.c_str(), real.c_str());
  const int err = errno;
  if (!replace || rc != 0) ::unlink(tmp.c_str());
  if (rc == 0) return;
  if (!replace && err == EEXIST) throw UsageError(shown + " already exists; not overwriting it");
  if (!replace && (err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EXDEV || err == EMLINK))
    return write_new_exclusively(real.string(), shown, text, mode);
  write_failed(shown, err, "nothing was written");
}

}  // namespace runner::cli
