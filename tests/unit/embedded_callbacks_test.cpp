// SPDX-License-Identifier: MIT
// Migrations compiled in, with their callbacks/ folder: the library runs the callbacks as it
// does from disk.
#include "runner/embedded.hpp"
#include "runner/migrator.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

using namespace runner;
using namespace runner::test;

namespace {

const unsigned char k_up[] = "CREATE TABLE audit (what text);\n";
const unsigned char k_down[] = "DROP TABLE audit;\n";
const unsigned char k_after[] = "INSERT INTO audit (what) VALUES ('after_migrate');\n";
const EmbeddedFile k_files[] = {
    {"0001_audit.up.sql", k_up, sizeof k_up - 1},
    {"0001_audit.down.sql", k_down, sizeof k_down - 1},
    {"callbacks/after_migrate.sql", k_after, sizeof k_after - 1},
};
const EmbeddedMigrations k_set{k_files, 3};

std::string sqlite_query(const fs::path& db, const std::string& sql) {
  const std::string cmd = "sqlite3 '" + db.string() + "' \"" + sql + "\"";
  FILE* p = ::popen(cmd.c_str(), "r");
  BOOST_REQUIRE(p != nullptr);
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  ::pclose(p);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(embedded_callbacks)

BOOST_AUTO_TEST_CASE(callbacks_compiled_in_run_as_from_disk) {
  TempDir dir;
  MigratorOptions o;
  o.url = "sqlite:" + (dir / "app.db").string();
  o.sql_dir = "app/sql";
  o.embedded = &k_set;
  o.plugin_dirs = {dialect_dir()};
  Migrator m(o);
  const RunReport r = m.upgrade();
  BOOST_TEST(r.to == 1);
  BOOST_TEST(sqlite_query(dir / "app.db", "SELECT what FROM audit") == "after_migrate\n");
  m.upgrade();  // nothing to do: after_migrate runs only when a migration ran
  BOOST_TEST(sqlite_query(dir / "app.db", "SELECT count(*) FROM audit") == "1\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(embedded_sets)

// Sets are found by their sql_dir name: two under one name would read one in place of the other
// and apply its migrations to the wrong database. Refused, naming it.
BOOST_AUTO_TEST_CASE(two_sets_under_one_name_are_refused) {
  static const unsigned char k_other[] = "CREATE TABLE other (x int);\n";
  static const EmbeddedFile k_other_files[] = {{"0001_other.up.sql", k_other, sizeof k_other - 1}};
  static const EmbeddedMigrations k_other_set{k_other_files, 1};
  TempDir dir;
  MigratorOptions a;
  a.url = "sqlite:" + (dir / "a.db").string();
  a.sql_dir = "shared/sql";
  a.embedded = &k_set;
  a.plugin_dirs = {dialect_dir()};
  MigratorOptions b = a;
  b.url = "sqlite:" + (dir / "b.db").string();
  b.embedded = &k_other_set;
  Migrator first(a);
  try {
    Migrator second(b);
    BOOST_FAIL("a second set under the same name was accepted");
  } catch (const UsageError& e) {
    BOOST_TEST(std::string(e.what()).find("shared/sql") != std::string::npos, e.what());
  }
  Migrator again(a);  // the same set again is fine
  BOOST_TEST(again.upgrade().to == 1);
}

BOOST_AUTO_TEST_SUITE_END()
