// SPDX-License-Identifier: MIT
// The migration source seam: files an application embeds (or a test holds in memory) are scanned,
// hashed and read exactly as files on disk would be.
#include "runner/core/migration_source.hpp"
#include "runner/base/errors.hpp"
#include "runner/core/checksum.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/migration_scanner.hpp"
#include "runner/core/migration_text.hpp"
#include "runner/engine/step_source.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <map>

using namespace runner;
namespace fs = std::filesystem;

namespace {

class InMemory final : public MigrationSource {
 public:
  std::map<std::string, std::string> files;  // path -> bytes
  bool is_folder(const fs::path& dir) override {
    for (const auto& [path, bytes] : files)
      if (fs::path(path).parent_path() == dir) return true;
    return false;
  }
  std::vector<Entry> list(const fs::path& dir) override {
    std::vector<Entry> out;
    for (const auto& [path, bytes] : files)
      if (fs::path(path).parent_path() == dir) out.push_back({fs::path(path).filename().string(), ""});
    return out;
  }
  std::string read(const fs::path& file, FileStamp* stamp) override {
    auto it = files.find(file.generic_string());
    if (it == files.end()) throw SourceError(file.generic_string(), 0, "cannot read: not embedded");
    if (stamp != nullptr) *stamp = FileStamp{0, 0, it->second.size(), 0};
    return it->second;
  }
};

// Puts the source in place for one test and the disk back after it.
struct Embedded {
  std::shared_ptr<InMemory> source = std::make_shared<InMemory>();
  Embedded() { set_migration_source(source); }
  ~Embedded() { set_migration_source(nullptr); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(migration_source)

BOOST_AUTO_TEST_CASE(embedded_files_are_scanned_hashed_and_read_like_files_on_disk) {
  Embedded e;
  e.source->files = {{"app/sql/0001_a.up.sql", "CREATE TABLE a (x int);\r\n"},
                     {"app/sql/0001_a.down.sql", "DROP TABLE a;\n"},
                     {"app/sql/0002_b.up.sql", "CREATE TABLE b (x int);\n"},
                     {"app/sql/0003_c.UP.SQL", "x"}};
  try {
    scan_migrations("app/sql", "sqlite", {});
    BOOST_FAIL("an upper-case extension was accepted");
  } catch (const SourceError& err) {
    BOOST_TEST(
        std::string(err.what()).find("0003_c.UP.SQL: the extension must be '.sql' in lower case") != std::string::npos,
        err.what());
  }
  e.source->files.erase("app/sql/0003_c.UP.SQL");
  MigrationSet set = scan_migrations("app/sql", "sqlite", {});
  BOOST_TEST_REQUIRE(set.migrations.size() == 2u);
  BOOST_TEST(set.migrations[0].down.has_value());
  load_checksums(set);
  // The same normalization as on disk: CRLF read as LF before hashing.
  BOOST_TEST(read_migration_text("app/sql/0001_a.up.sql") == "CREATE TABLE a (x int);\n");
  BOOST_TEST(set.migrations[0].checksum() == sha256_hex("CREATE TABLE a (x int);\n"));
  BOOST_CHECK_THROW(scan_migrations("elsewhere", "sqlite", {}), UsageError);
}

BOOST_AUTO_TEST_CASE(the_disk_is_the_source_again_once_reset) {
  { Embedded e; }
  BOOST_CHECK_THROW(scan_migrations("/nonexistent/runner/sql", "sqlite", {}), UsageError);
}

// A large set is hashed on a thread of its own: the checksums are the files' all the same, and a
// file that vanished after the scan is named when a checksum is asked for, not lost.
BOOST_AUTO_TEST_CASE(a_large_set_is_hashed_in_the_background_with_the_same_results) {
  runner::test::TempDir dir;
  for (int v = 1; v <= 150; ++v) {
    char name[64];
    std::snprintf(name, sizeof name, "%04d_t%d.up.sql", v, v);
    runner::test::write_file(dir / name, "CREATE TABLE t" + std::to_string(v) + " (x int);\n");
  }
  MigrationSet set = scan_migrations(dir.path(), "sqlite", {});
  BOOST_TEST_REQUIRE(set.migrations.size() == 150u);
  load_checksums(set);
  for (const Migration& m : set.migrations)
    BOOST_TEST(m.checksum() == sha256_hex("CREATE TABLE t" + std::to_string(m.version) + " (x int);\n"));
  const MigrationSet copy = set;  // a copy answers the same, from the same job
  BOOST_TEST(copy.migrations[149].checksum() == set.migrations[149].checksum());

  MigrationSet again = scan_migrations(dir.path(), "sqlite", {});
  std::filesystem::remove(dir / "0100_t100.up.sql");
  load_checksums(again);
  try {
    (void)again.migrations[0].checksum();
    BOOST_FAIL("a vanished file was not reported");
  } catch (const SourceError& err) {
    BOOST_TEST(std::string(err.what()).find("0100_t100.up.sql") != std::string::npos, err.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
