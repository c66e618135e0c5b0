// SPDX-License-Identifier: MIT
// The checksum cache (runner/core/checksum_cache): a run with nothing to do reads no applied file
// whose stamp is unchanged, and yet an applied file edited in place, with its size and
// modification time put back, is still found changed.
#include "tests/integration/integration_fixture.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

using namespace runner::test;

namespace {

// The one cache file under `cache` (runner/checksums/<folder's key>).
fs::path cache_file(const fs::path& cache) {
  for (const auto& e : fs::directory_iterator(cache / "runner" / "checksums")) return e.path();
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checksum_cache)

BOOST_AUTO_TEST_CASE(an_applied_file_edited_with_its_time_put_back_is_still_found_changed) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql", fs::copy_options::recursive);
  const TestDatabase db = sqlite_database(dir);
  const std::map<std::string, std::string> env{{"XDG_CACHE_HOME", (dir / "cache").string()}};
  // Stamps are remembered once two seconds old: the files just copied are not yet.
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  RunResult r = run_runner({"upgrade", "-d", db.url}, dir.path(), env);
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  const fs::path cache = cache_file(dir / "cache");
  BOOST_TEST_REQUIRE(!cache.empty());
  BOOST_TEST(contains(read_file(cache), "0001_"));
  r = run_runner({"upgrade", "-d", db.url}, dir.path(), env);
  BOOST_TEST(r.exit_code == 0, r.err);

  // One byte changed, the length and the modification time as they were: only the change time
  // (which no one can set) tells.
  const fs::path file = dir / "sql" / "0002_tasks.up.sql";
  struct stat before {};
  BOOST_TEST_REQUIRE(::stat(file.c_str(), &before) == 0);
  std::string text = read_file(file);
  const std::size_t at = text.find("tasks");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  text[at] = 'T';
  write_file(file, text);
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  BOOST_TEST_REQUIRE(::utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
  r = run_runner({"upgrade", "-d", db.url}, dir.path(), env);
  BOOST_TEST(r.exit_code == 3, r.out << r.err);
  BOOST_TEST(contains(r.err, "0002_tasks: file changed since it was applied"), r.err);
}

BOOST_AUTO_TEST_CASE(the_cache_is_what_a_no_op_run_trusts_and_can_be_turned_off) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql", fs::copy_options::recursive);
  const TestDatabase db = sqlite_database(dir);
  const std::map<std::string, std::string> env{{"XDG_CACHE_HOME", (dir / "cache").string()}};
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  BOOST_TEST_REQUIRE(run_runner({"upgrade", "-d", db.url}, dir.path(), env).exit_code == 0);
  // A remembered checksum made wrong: a run that reads it says the file changed (the cache is
  // read)...
  const fs::path cache = cache_file(dir / "cache");
  std::string text = read_file(cache);
  const std::size_t line = text.find("0003_");
  BOOST_TEST_REQUIRE(line != std::string::npos);
  const std::size_t sum = text.find('\n', line) - 64;
  text.replace(sum, 64, std::string(64, '0'));
  write_file(cache, text);
  RunResult r = run_runner({"upgrade", "-d", db.url}, dir.path(), env);
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(contains(r.err, "0003_"), r.err);
  // ...and with RUNNER_CHECKSUM_CACHE=off every file is read again.
  std::map<std::string, std::string> off = env;
  off["RUNNER_CHECKSUM_CACHE"] = "off";
  r = run_runner({"upgrade", "-d", db.url}, dir.path(), off);
  BOOST_TEST(r.exit_code == 0, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(checksum_cache_damaged)

// The cache is a shortcut: a folder, a FIFO or a link to a device in its place is no cache, never
// an error or a hang.
BOOST_AUTO_TEST_CASE(something_else_in_the_cache_file_s_place_is_no_cache) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql", fs::copy_options::recursive);
  const TestDatabase db = sqlite_database(dir);
  const std::map<std::string, std::string> env{{"XDG_CACHE_HOME", (dir / "cache").string()}};
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  BOOST_TEST_REQUIRE(run_runner({"upgrade", "-d", db.url}, dir.path(), env).exit_code == 0);
  const fs::path cache = cache_file(dir / "cache");
  BOOST_TEST_REQUIRE(!cache.empty());
  fs::remove(cache);
  fs::create_directory(cache);
  RunResult r = run_runner({"upgrade", "-d", db.url}, dir.path(), env);
  BOOST_TEST(r.exit_code == 0, r.err);
  fs::remove(cache);
  BOOST_TEST_REQUIRE(::mkfifo(cache.c_str(), 0600) == 0);
  r = run_runner({"upgrade", "-d", db.url}, dir.path(), env);
  BOOST_TEST(r.exit_code == 0, r.err);
  fs::remove(cache);
  fs::create_symlink("/dev/zero", cache);
  r = run_runner({"upgrade", "-d", db.url}, dir.path(), env);
  BOOST_TEST(r.exit_code == 0, r.err);
}

// Files are read while the database opens, and it is opened without the lock: a misnamed file is
// said at once (exit 2), not after waiting for another runner's lock.
BOOST_AUTO_TEST_CASE(a_misnamed_file_is_said_without_waiting_for_the_lock) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql", fs::copy_options::recursive);
  const TestDatabase db = sqlite_database(dir);
  BOOST_TEST_REQUIRE(run_runner({"upgrade", "-d", db.url, "0003"}, dir.path()).exit_code == 0);
  write_file(dir / "sql" / "0013x.up.sql", "SELECT 1;\n");
  const int fd = ::open(db.sqlite_file.c_str(), O_RDWR);
  BOOST_TEST_REQUIRE(fd >= 0);
  BOOST_TEST_REQUIRE(::flock(fd, LOCK_EX) == 0);  // as another runner holds it
  const auto start = std::chrono::steady_clock::now();
  const RunResult r = run_runner({"upgrade", "-d", db.url, "--lock-timeout", "20"}, dir.path());
  const auto waited = std::chrono::steady_clock::now() - start;
  ::close(fd);
  // Not a speed check: a run that waited for the lock would take the whole 20 s timeout.
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(waited).count() < 15);
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(r.err.find("0013x.up.sql") != std::string::npos, r.err);
  BOOST_TEST(db.probe()->history().size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
