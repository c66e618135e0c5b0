// SPDX-License-Identifier: MIT
#include "runner/core/migration_name.hpp"

#include <boost/test/unit_test.hpp>

using runner::Direction;
using runner::MigrationFileName;
using runner::parse_migration_file_name;

namespace {
MigrationFileName ok(const std::string& file) {
  MigrationFileName n;
  std::string why;
  BOOST_TEST_REQUIRE(parse_migration_file_name(file, &n, &why), file << ": " << why);
  return n;
}
std::string bad(const std::string& file) {
  MigrationFileName n;
  std::string why;
  BOOST_TEST_REQUIRE(!parse_migration_file_name(file, &n, &why), file << " should not parse");
  return why;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(migration_name)

BOOST_AUTO_TEST_CASE(golang_migrate_layout) {
  auto n = ok("0007_add_users.up.sql");
  BOOST_TEST(n.version == 7u);
  BOOST_TEST(n.version_text == "0007");
  BOOST_TEST(n.name == "add_users");
  BOOST_TEST((n.direction == Direction::up));
  BOOST_TEST(n.dialect.empty());
  BOOST_TEST((ok("0007_add_users.down.sql").direction == Direction::down));
}

BOOST_AUTO_TEST_CASE(timestamps_dots_dashes_and_no_name) {
  auto ts = ok("20231030180638_account-temporal-config.up.sql");
  BOOST_TEST(ts.version == 20231030180638u);
  BOOST_TEST(ts.name == "account-temporal-config");
  BOOST_TEST(ok("0002_1.7.0_schema.up.sql").name == "1.7.0_schema");
  auto bare = ok("0157.up.sql");
  BOOST_TEST(bare.version == 157u);
  BOOST_TEST(bare.name.empty());
  BOOST_TEST(ok("0001_Mixed_Case.down.sql").name == "Mixed_Case");
}

BOOST_AUTO_TEST_CASE(dialect_variants) {
  auto pg = ok("0003_enum.up.postgresql.sql");
  BOOST_TEST(pg.dialect == "postgresql");
  BOOST_TEST(pg.name == "enum");
  auto lite = ok("0003.down.sqlite.sql");
  BOOST_TEST(lite.dialect == "sqlite");
  BOOST_TEST((lite.direction == Direction::down));
}

BOOST_AUTO_TEST_CASE(names_off_the_layout_say_why) {
  BOOST_TEST(bad("V0001.Initial_Schema.up.sql").find("version number") != std::string::npos);
  BOOST_TEST(bad("0021_name_up.sql").find(".up.sql") != std::string::npos);
  BOOST_TEST(bad("0001.sql").find(".up.sql") != std::string::npos);
  BOOST_TEST(bad("0001-name.up.sql").find("'_'") != std::string::npos);
  BOOST_TEST(bad("0001_.up.sql").find("empty name") != std::string::npos);
  BOOST_TEST(bad("0001_a b.up.sql").find("may only hold") != std::string::npos);
  BOOST_TEST(bad("99999999999999999999_x.up.sql").find("too large") != std::string::npos);
  BOOST_TEST(bad("0001_x.UP.sql").find(".up.sql") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
