// SPDX-License-Identifier: MIT
#include "runner/core/migration_scanner.hpp"
#include "runner/base/errors.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

using runner::scan_migrations;
using runner::SourceError;
using runner::test::TempDir;
using runner::test::write_file;

namespace {
std::string scan_error(const TempDir& dir) {
  try {
    scan_migrations(dir.path(), "sqlite", {"sqlite", "postgresql"});
  } catch (const SourceError& e) {
    return e.what();
  }
  BOOST_FAIL("expected SourceError");
  return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(migration_scanner)

BOOST_AUTO_TEST_CASE(pairs_by_version_in_order_and_ignores_other_files) {
  TempDir dir;
  write_file(dir / "0002_b.up.sql", "");
  write_file(dir / "0001_a.up.sql", "");
  write_file(dir / "0001_a.down.sql", "");
  write_file(dir / "10_c.up.sql", "");
  write_file(dir / "README.md", "not a migration");
  write_file(dir / "notes.txt", "");
  auto set = scan_migrations(dir.path(), "sqlite");
  BOOST_TEST_REQUIRE(set.migrations.size() == 3u);
  BOOST_TEST(set.migrations[0].label() == "0001_a");
  BOOST_TEST(set.migrations[0].down.has_value());
  BOOST_TEST(set.migrations[1].label() == "0002_b");
  BOOST_TEST(!set.migrations[1].down.has_value());  // irreversible
  BOOST_TEST(set.migrations[2].version == 10u);
  BOOST_TEST(set.find(2)->name == "b");
  BOOST_TEST(set.find(3) == nullptr);
}

BOOST_AUTO_TEST_CASE(a_dialect_variant_wins_over_the_plain_file) {
  TempDir dir;
  write_file(dir / "0001_a.up.sql", "");
  write_file(dir / "0001_a.up.sqlite.sql", "");
  write_file(dir / "0001_a.up.postgresql.sql", "");
  write_file(dir / "0001_a.down.postgresql.sql", "");
  auto lite = scan_migrations(dir.path(), "sqlite", {"sqlite", "postgresql"});
  BOOST_TEST(lite.migrations[0].up.filename() == "0001_a.up.sqlite.sql");
  BOOST_TEST(!lite.migrations[0].down.has_value());
  auto pg = scan_migrations(dir.path(), "postgresql", {"sqlite", "postgresql"});
  BOOST_TEST(pg.migrations[0].up.filename() == "0001_a.up.postgresql.sql");
  BOOST_TEST(pg.migrations[0].down->filename() == "0001_a.down.postgresql.sql");
}

BOOST_AUTO_TEST_CASE(every_bad_file_is_named_with_its_problem) {
  TempDir dir;
  write_file(dir / "0001_a.up.sql", "");
  write_file(dir / "001_b.up.sql", "");  // same version as 0001
  write_file(dir / "0002_x.up.sql", "");
  write_file(dir / "0002_y.down.sql", "");              // name differs
  write_file(dir / "0003_z.down.sql", "");              // down without up
  write_file(dir / "0004_only.up.postgresql.sql", "");  // nothing for sqlite
  write_file(dir / "V5_bad.up.sql", "");                // off the layout
  std::string e = scan_error(dir);
  BOOST_TEST(e.find("001_b.up.sql: version 1 is also used by") != std::string::npos, e);
  BOOST_TEST(e.find("0002_y.down.sql: name 'y' differs from 'x'") != std::string::npos, e);
  BOOST_TEST(e.find("0003_z.down.sql: down migration without an up") != std::string::npos, e);
  BOOST_TEST(
      e.find("0004_only.up.postgresql.sql: migration 0004 has no up file for the sqlite dialect") != std::string::npos,
      e);
  BOOST_TEST(e.find("V5_bad.up.sql: does not start with a version number") != std::string::npos, e);
  BOOST_TEST(e.find("nothing was applied") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(variants_must_name_a_known_dialect) {
  TempDir dir;
  write_file(dir / "0001_a.up.sql", "");
  write_file(dir / "0001_a.up.mysql.sql", "");
  BOOST_CHECK_THROW(scan_migrations(dir.path(), "sqlite", {"postgresql", "sqlite"}), SourceError);
  BOOST_TEST(scan_migrations(dir.path(), "sqlite", {"mysql", "postgresql", "sqlite"}).migrations.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_missing_folder_is_a_usage_error) {
  TempDir dir;
  BOOST_CHECK_THROW(scan_migrations(dir / "nope", "sqlite"), runner::UsageError);
}

BOOST_AUTO_TEST_CASE(entries_named_like_migrations_that_cannot_be_read_are_errors) {
  TempDir dir;
  write_file(dir / "0001_a.up.sql", "");
  runner::test::fs::create_symlink(dir / "missing.sql", dir / "0002_b.up.sql");
  write_file(dir / "0003_c.up.SQL", "");
  runner::test::fs::create_directory(dir / "0004_d.up.sql");
  write_file(dir / "0005_e.up.sql", "");
  write_file(dir / "0006_f.UP.SQL", "");
  std::string err = scan_error(dir);
  BOOST_TEST(err.find("0006_f.UP.SQL: the extension must be '.sql' in lower case (rename it to 0006_f.up.sql)") !=
                 std::string::npos,
             err);
  BOOST_TEST(err.find("0002_b.up.sql: cannot be read: a symbolic link to '") != std::string::npos, err);
  BOOST_TEST(err.find("missing.sql', which does not exist") != std::string::npos, err);
  BOOST_TEST(err.find("0003_c.up.SQL: the extension must be '.sql' in lower case (rename it to 0003_c.up.sql)") !=
                 std::string::npos,
             err);
  BOOST_TEST(err.find("0004_d.up.sql: is a folder, not a migration file") != std::string::npos, err);
  // Hidden entries are editors' own, whatever they point to.
  runner::test::fs::create_symlink("user@host.1234", dir / ".#0005_e.up.sql");
  write_file(dir / ".0001_a.up.sql", "");
  BOOST_TEST(scan_error(dir).find(".#0005") == std::string::npos);
  // A symbolic link to a readable file is a migration like any other.
  runner::test::fs::remove(dir / "0002_b.up.sql");
  runner::test::fs::remove(dir / "0003_c.up.SQL");
  runner::test::fs::remove(dir / "0004_d.up.sql");
  runner::test::fs::remove(dir / "0006_f.UP.SQL");
  write_file(dir / "real.txt", "SELECT 1;");
  runner::test::fs::create_symlink(dir / "real.txt", dir / "0002_b.up.sql");
  BOOST_TEST(scan_migrations(dir.path(), "sqlite").migrations.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
