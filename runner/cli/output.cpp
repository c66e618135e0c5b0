// SPDX-License-Identifier: MIT
#include "runner/cli/output.hpp"

#include "runner/core/errors.hpp"

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

void write_file_whole(const std::filesystem::path& path, const std::string& text, bool replace) {
  const std::string shown = path.generic_string();
  struct stat existing {};
  const bool exists = ::stat(path.c_str(), &existing) == 0;
  if (!replace && exists) throw UsageError(shown + " already exists; not overwriting it");
  if (exists && !S_ISREG(existing.st_mode)) {
    // A device or a pipe (/dev/stdout, a FIFO a reader waits on) is written in place, never renamed over.
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw OutputError("cannot write " + shown + ": " + std::strerror(errno));
    int err = write_all(fd, text);
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) throw OutputError("cannot write " + shown + ": " + std::strerror(err) + "; the output is incomplete");
    return;
  }
  std::filesystem::path dir = path.parent_path();
  std::string tmp = (dir.empty() ? std::string(".") : dir.string()) + "/." + path.filename().string() + ".XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw OutputError("cannot write " + shown + ": " + std::strerror(errno));
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw OutputError("cannot write " + shown + ": " + std::strerror(err) + "; nothing was written");
  };
  if (int err = write_all(fd, text)) fail(err);
  // mkstemp makes the file 0600; a script or migration is as readable as any file the user makes.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0 || ::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw OutputError("cannot write " + shown + ": " + std::strerror(err) + "; nothing was written");
  }
  const int rc = replace ? ::rename(tmp.c_str(), path.c_str()) : ::link(tmp.c_str(), path.c_str());
  const int err = errno;
  if (!replace || rc != 0) ::unlink(tmp.c_str());
  if (rc != 0) {
    if (!replace && err == EEXIST) throw UsageError(shown + " already exists; not overwriting it");
    throw OutputError("cannot write " + shown + ": " + std::strerror(err) + "; nothing was written");
  }
}

}  // namespace runner::cli
