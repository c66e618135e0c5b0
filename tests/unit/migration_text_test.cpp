// SPDX-License-Identifier: MIT
#include "runner/core/migration_text.hpp"
#include "runner/base/errors.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

using runner::parse_directives;

BOOST_AUTO_TEST_SUITE(migration_text)

BOOST_AUTO_TEST_CASE(bom_and_crlf_are_normalised) {
  BOOST_TEST(runner::normalize_text("\xEF\xBB\xBFSELECT 1;\r\nSELECT 2;\rX") == "SELECT 1;\nSELECT 2;\nX");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_reported_with_its_line) {
  runner::test::TempDir dir;
  runner::test::write_file(dir / "0001_x.up.sql", "SELECT 1;\n-- caf\xE9 in Latin-1\n");
  try {
    runner::read_migration_text(dir / "0001_x.up.sql");
    BOOST_FAIL("expected SourceError");
  } catch (const runner::SourceError& e) {
    BOOST_TEST(std::string(e.what()).find("0001_x.up.sql:2: not valid UTF-8") != std::string::npos, e.what());
  }
  BOOST_TEST(runner::first_invalid_utf8_line("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == 0u);
  BOOST_TEST(runner::first_invalid_utf8_line("ok\n\xC0\xAF") == 2u);      // overlong '/'
  BOOST_TEST(runner::first_invalid_utf8_line("\xED\xA0\x80") == 1u);      // surrogate
  BOOST_TEST(runner::first_invalid_utf8_line("\xF5\x80\x80\x80") == 1u);  // above U+10FFFF
  BOOST_TEST(runner::first_invalid_utf8_line("\xE0\x80\x80") == 1u);      // overlong 3-byte
  BOOST_TEST(runner::first_invalid_utf8_line("\xE2\x82") == 1u);          // truncated
}

BOOST_AUTO_TEST_CASE(no_transaction_directive_in_the_header) {
  BOOST_TEST(parse_directives("-- runner:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);", "f").no_transaction);
  BOOST_TEST(parse_directives("-- Adds an index.\n\n--   runner:no-transaction   \nVACUUM;", "f").no_transaction);
  BOOST_TEST(!parse_directives("-- nothing special\nSELECT 1;", "f").no_transaction);
  BOOST_TEST(!parse_directives("-- the runner: said nothing\nSELECT 1;", "f").no_transaction);
  BOOST_TEST(!parse_directives("-- Runner: safe to re-run\nSELECT 1;\n-- Runner: really\n", "f").no_transaction);
  BOOST_TEST(parse_directives("/* Adds an index\n   without locking. */\n-- runner:no-transaction\nVACUUM;", "f")
                 .no_transaction);
}

BOOST_AUTO_TEST_CASE(a_directive_that_would_be_ignored_is_an_error) {
  auto error = [](const std::string& text) -> std::string {
    try {
      parse_directives(text, "sql/0001_x.up.sql");
    } catch (const runner::SourceError& e) {
      return e.what();
    }
    return "";
  };
  BOOST_TEST(error("SELECT 1;\n  -- runner:no-transaction\n")
                 .find("sql/0001_x.up.sql:2: directive after the first statement") == 0u);
  BOOST_TEST(error("-- RUNNER:no-transaction\nVACUUM;")
                 .find("sql/0001_x.up.sql:1: 'RUNNER:no-transaction' is written in lower case: -- "
                       "runner:no-transaction") == 0u);
  BOOST_TEST(error("-- runner:NO-TRANSACTION\nVACUUM;")
                 .find("sql/0001_x.up.sql:1: unknown directive 'runner:NO-TRANSACTION'") == 0u);
}

BOOST_AUTO_TEST_CASE(an_unknown_directive_names_file_and_line) {
  try {
    parse_directives("-- header\n-- runner:no-transation\nSELECT 1;", "sql/0001_x.up.sql");
    BOOST_FAIL("expected SourceError");
  } catch (const runner::SourceError& e) {
    BOOST_TEST(std::string(e.what()).find("sql/0001_x.up.sql:2: unknown directive 'runner:no-transation'") !=
                   std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
