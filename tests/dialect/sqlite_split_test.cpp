// SPDX-License-Identifier: MIT
#include "runner/base/errors.hpp"
#include "tests/dialect/dialect_fixture.hpp"

#include <boost/test/unit_test.hpp>

using runner::test::lines;
using runner::test::load_dialect;

namespace {
std::vector<runner::SplitStatement> split(const std::string& sql) { return load_dialect("sqlite").split(sql, "f.sql"); }
}  // namespace

BOOST_AUTO_TEST_SUITE(sqlite_split)

BOOST_AUTO_TEST_CASE(semicolons_inside_strings_identifiers_and_comments_do_not_split) {
  auto s = split(
      "INSERT INTO t VALUES ('a;b', 'it''s; fine');\n"
      "CREATE TABLE \"we;ird\" (x int); -- trailing; comment\n"
      "/* block; comment */ SELECT 1;\n");
  BOOST_TEST_REQUIRE(s.size() == 3u);
  BOOST_TEST(s[0].sql == "INSERT INTO t VALUES ('a;b', 'it''s; fine');");
  BOOST_TEST(s[1].sql.find("\"we;ird\"") != std::string::npos);
  BOOST_TEST(s[2].sql.find("SELECT 1;") != std::string::npos);
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(trigger_bodies_stay_whole_even_with_case_end_inside) {
  auto s = split(
      "CREATE TABLE t (x int, y text);\n"
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
      "  UPDATE t SET y = CASE WHEN NEW.x > 0 THEN 'pos;' ELSE 'neg' END WHERE rowid = NEW.rowid;\n"
      "  INSERT INTO t VALUES (0, 'z');\n"
      "END;\n"
      "SELECT 2");
  BOOST_TEST_REQUIRE(s.size() == 3u);
  BOOST_TEST(s[1].sql.find("CREATE TRIGGER") != std::string::npos);
  BOOST_TEST(s[1].sql.find("INSERT INTO t VALUES (0, 'z');\nEND;") != std::string::npos);
  BOOST_TEST(s[2].sql == "SELECT 2");
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{1, 2, 6}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(comment_only_and_empty_files_have_no_statement) {
  BOOST_TEST(split("-- No-op").empty());
  BOOST_TEST(split("/* nothing */\n-- here either\n").empty());
  BOOST_TEST(split(";\n ; ").empty());
}

BOOST_AUTO_TEST_CASE(unterminated_text_is_an_error_with_its_line) {
  try {
    split("SELECT 1;\n\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n SELECT 1;\n");
    BOOST_FAIL("expected SourceError");
  } catch (const runner::SourceError& e) {
    BOOST_TEST(std::string(e.what()).find("f.sql:3: statement never ends") == 0u, e.what());
  }
  BOOST_CHECK_THROW(split("SELECT 'open;\n"), runner::SourceError);
}

BOOST_AUTO_TEST_CASE(flags) {
  auto s = split(
      "BEGIN;\nCOMMIT;\nEND TRANSACTION;\nROLLBACK;\nROLLBACK TO sp;\nROLLBACK TRANSACTION TO SAVEPOINT sp;\n"
      "VACUUM;\nPRAGMA foreign_keys = OFF;\nPRAGMA main.journal_mode = WAL;\nPRAGMA user_version = 3;\n"
      "CREATE TABLE vacuum_log (x int);\n");
  BOOST_TEST_REQUIRE(s.size() == 11u);
  BOOST_TEST(s[0].flags == static_cast<unsigned>(RUNNER_STMT_TX_BEGIN));
  BOOST_TEST(s[1].flags == static_cast<unsigned>(RUNNER_STMT_TX_COMMIT));
  BOOST_TEST(s[2].flags == static_cast<unsigned>(RUNNER_STMT_TX_COMMIT));
  BOOST_TEST(s[3].flags == static_cast<unsigned>(RUNNER_STMT_TX_OTHER));
  BOOST_TEST(s[4].flags == 0u);
  BOOST_TEST(s[5].flags == 0u);
  BOOST_TEST(s[6].flags == static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION));
  BOOST_TEST(s[7].flags == static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION));
  BOOST_TEST(s[8].flags == static_cast<unsigned>(RUNNER_STMT_NO_TRANSACTION));
  BOOST_TEST(s[9].flags == 0u);
  // Portable DDL PostgreSQL parses goes through translate() before it runs.
  BOOST_TEST(s[10].flags == static_cast<unsigned>(RUNNER_STMT_TRANSLATE));
}

BOOST_AUTO_TEST_CASE(semicolons_in_strings_identifiers_and_comments_of_a_long_statement) {
  std::string sql = "INSERT INTO t VALUES\n";
  for (int i = 0; i < 5000; ++i)
    sql += std::string(i ? "," : "") + "(" + std::to_string(i) + ", 'a; b;; c', \"x;y\", [w;z], `q;r`) /* ; */ -- ;\n";
  sql += ";\nSELECT 'it''s; done';\n";
  auto s = split(sql);
  BOOST_TEST_REQUIRE(s.size() == 2u);
  BOOST_TEST(s[0].line == 1u);
  BOOST_TEST(s[1].line == 5003u);
  BOOST_TEST(s[1].sql == "SELECT 'it''s; done';");
}

BOOST_AUTO_TEST_SUITE_END()
