// SPDX-License-Identifier: MIT
#include "runner/core/checksum_cache.hpp"

#include "runner/core/checksum.hpp"
#include "runner/core/migration_source.hpp"
#include "runner/core/migration_text.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace runner {
namespace {

constexpr const char* k_header = "runner-checksums 1";
constexpr std::int64_t k_settled_ns = 2'000'000'000;

fs::path cache_folder() {
  const char* off = std::getenv("RUNNER_CHECKSUM_CACHE");
  if (off != nullptr && std::string(off) == "off") return {};
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/')
    return fs::path(xdg) / "runner" / "checksums";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
    return fs::path(home) / ".cache" / "runner" / "checksums";
  return {};
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ChecksumCache::ChecksumCache(const fs::path& dir) {
  const fs::path folder = cache_folder();
  std::error_code ec;
  if (folder.empty() || !fs::is_directory(dir, ec)) return;
  const fs::path canonical = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) return;
  file_ = folder / sha256_hex(canonical.string()).substr(0, 32);
  // Only a regular file of a sane size is read: a folder, a FIFO or a link to /dev/zero in its
  // place would fail, block or fill the memory. Parsed by hand: a thousand lines through iostreams
  // cost more than hashing the files.
  struct stat st {};
  constexpr off_t k_most = 64 << 20;
  if (::stat(file_.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > k_most) return;
  std::string text;
  try {
    std::ifstream in(file_, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {
    return;  // replaced under us by something that cannot be read: no cache
  }
  const std::string header = std::string(k_header) + "\n";
  if (text.compare(0, header.size(), header) != 0) return;
  const char* p = text.c_str() + header.size();
  const char* const end = text.c_str() + text.size();
  while (p < end) {
    const char* eol = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (eol == nullptr) break;
    const char* tab = static_cast<const char*>(std::memchr(p, '\t', static_cast<std::size_t>(eol - p)));
    if (tab != nullptr) {
      Entry e;
      char* at = const_cast<char*>(tab + 1);
      e.stamp.device = std::strtoull(at, &at, 10);
      e.stamp.inode = std::strtoull(at, &at, 10);
      e.stamp.size = std::strtoull(at, &at, 10);
      e.stamp.mtime_ns = std::strtoll(at, &at, 10);
      e.stamp.ctime_ns = std::strtoll(at, &at, 10);
      if (at < eol && *at == ' ' && eol - (at + 1) == 64) {
        e.checksum.assign(at + 1, 64);
        entries_.emplace(std::string(p, tab), std::move(e));
      }
    }
    p = eol + 1;
  }
}

std::optional<std::string> ChecksumCache::find(const std::string& file_name, const FileStamp& stamp) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(file_name);
  if (it == entries_.end() || !(it->second.stamp == stamp)) return std::nullopt;
  return it->second.checksum;
}

void ChecksumCache::remember(const std::string& file_name, const FileStamp& stamp, const std::string& checksum) {
  if (file_.empty() || stamp.mtime_ns < 0 || file_name.find_first_of("\t\n\r") != std::string::npos) return;
  const std::int64_t settled = now_ns() - k_settled_ns;
  if (stamp.mtime_ns > settled || stamp.ctime_ns > settled) return;
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& e = entries_[file_name];
  if (e.stamp == stamp && e.checksum == checksum) return;
  e = Entry{stamp, checksum};
  changed_ = true;
}

void ChecksumCache::save() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!changed_ || file_.empty()) return;
  std::error_code ec;
  fs::create_directories(file_.parent_path(), ec);
  if (ec) return;
  ::chmod(file_.parent_path().c_str(), 0700);
  // Written aside and renamed over: runs at once each see a whole cache, the last one's.
  static std::atomic<unsigned> counter{0};
  const fs::path tmp = file_.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << k_header << '\n';
    for (const auto& [name, e] : entries_)
      out << name << '\t' << e.stamp.device << ' ' << e.stamp.inode << ' ' << e.stamp.size << ' ' << e.stamp.mtime_ns
          << ' ' << e.stamp.ctime_ns << ' ' << e.checksum << '\n';
    if (!out.flush()) {
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, file_, ec);
  if (ec) fs::remove(tmp, ec);
  changed_ = false;
}

std::string file_checksum(const fs::path& file, ChecksumCache& cache, FileStamp* stamp) {
  const std::string name = file.filename().string();
  if (migration_source().stamp(file, stamp))
    if (std::optional<std::string> known = cache.find(name, *stamp)) return *known;
  std::string sum = sha256_hex(read_migration_text(file, stamp));
  cache.remember(name, *stamp, sum);
  return sum;
}

}  // namespace runner
