// SPDX-License-Identifier: MIT
#include "runner/base/errors.hpp"
#include "tests/dialect/dialect_fixture.hpp"

#include <boost/test/unit_test.hpp>

using runner::test::lines;
using runner::test::load_dialect;

namespace {
std::vector<runner::SplitStatement> split(const std::string& sql) {
  return load_dialect("postgresql").split(sql, "f.sql");
}
}  // namespace

BOOST_AUTO_TEST_SUITE(postgresql_split)

BOOST_AUTO_TEST_CASE(semicolons_inside_strings_identifiers_and_comments_do_not_split) {
  auto s = split(
      "INSERT INTO t VALUES ('a;b', 'it''s; fine');\n"
      "CREATE TABLE \"we;ird\" (x int); -- trailing; comment\n"
      "/* outer /* nested; */ still comment; */ SELECT 1;\n"
      "SELECT E'esc\\'; still string';\n");
  BOOST_TEST_REQUIRE(s.size() == 4u);
  BOOST_TEST(s[0].sql == "INSERT INTO t VALUES ('a;b', 'it''s; fine')");
  BOOST_TEST(s[1].sql.find("\"we;ird\"") != std::string::npos);
  BOOST_TEST(s[2].sql.find("SELECT 1") != std::string::npos);
  BOOST_TEST(s[3].sql.find("E'esc\\'; still string'") != std::string::npos);
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{1, 2, 3, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(large_files_split_the_same_wherever_a_scan_window_ends) {
  // Over 5 MB: strings, comments and bodies holding ';' and newlines fall across every possible
  // window end, one string is larger than a window, and a segment the scanner skips is kept.
  const std::vector<std::string> kinds = {
      "INSERT INTO t VALUES ('a;b\n;c \u00e9\u65e5\u672c', $$x;\ny \U0001F600$$, E'q\\';\n\u00fc')",
      "/* note; \u00e9t\u00e9 with\n; semicolons */ UPDATE t SET a = 'x;y \u65e5'",
      "CREATE FUNCTION f() RETURNS int AS $f$\nBEGIN\n  RETURN 1;\nEND;\n$f$ LANGUAGE plpgsql",
      "SELECT '" + std::string(1500000, 'z') + ";\n'",
      "SELCT 'typo; kept'",
  };
  std::string file;
  std::vector<std::string> expected;
  std::vector<std::uint32_t> expected_lines;
  std::uint32_t line = 1;
  for (int i = 0; file.size() < 5500000; ++i) {
    const std::size_t kind = i == 3 ? 3 : (i % 7 == 6 ? 4 : static_cast<std::size_t>(i % 3));
    const std::string& stmt = kinds[kind];
    const std::string comment = "-- statement " + std::to_string(i) + "\n";
    file += comment;
    // A statement keeps its leading comments; a skipped segment is sent without them. The line is
    // that of the first token.
    expected.push_back(kind == 4 ? stmt : comment + stmt);
    expected_lines.push_back(line + 1 + (kind == 1 ? 1 : 0));
    file += stmt + ";\n";
    for (char c : comment + stmt) line += c == '\n' ? 1 : 0;
    ++line;
  }
  auto s = split(file);
  BOOST_TEST_REQUIRE(s.size() == expected.size());
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string& want = expected[i];
    if (s[i].sql != want || s[i].line != expected_lines[i]) {
      if (++wrong <= 3)
        BOOST_TEST(s[i].sql.substr(0, 200) == want.substr(0, 200),
                   "statement " << i << " line " << s[i].line << " expected " << expected_lines[i]);
    }
  }
  BOOST_TEST(wrong == 0u);
}

BOOST_AUTO_TEST_CASE(an_unterminated_string_in_a_large_file_is_named_where_it_starts) {
  std::string file;
  for (int i = 0; i < 40000; ++i) file += "INSERT INTO t VALUES (" + std::to_string(i) + ", 'row; text');\n";
  file += "INSERT INTO t VALUES (0, 'never closed);\n";
  for (int i = 0; i < 100; ++i) file += "SELECT 1;\n";
  try {
    split(file);
    BOOST_FAIL("accepted an unterminated string");
  } catch (const runner::SourceError& e) {
    BOOST_TEST(std::string(e.what()).rfind("f.sql:40001: ", 0) == 0u, e.what());
  }
}

BOOST_AUTO_TEST_CASE(refusals_read_the_statement_not_just_its_words) {
  // Refused: what releases the run lock now, and rows through the client.
  for (const std::string sql :
       {"discard all", "SELECT pg_advisory_unlock_all()", "DO $$ BEGIN PERFORM pg_advisory_unlock_all(); END $$",
        "COPY t FROM STDIN", "copy (SELECT 1) to stdout", "\\i other.sql"})
    BOOST_CHECK_THROW(split(sql + ";\n"), runner::SourceError);
  try {
    split("SELECT 1;\nSELECT now() AS started\n\\gset\nSELECT 2;\n");
    BOOST_FAIL("accepted \\gset");
  } catch (const runner::SourceError& e) {
    BOOST_TEST(std::string(e.what()).rfind("f.sql:3: '\\gset' is a psql meta-command", 0) == 0u, e.what());
  }
  // A string's line that starts with a backslash is no meta-command.
  BOOST_CHECK_NO_THROW(split("INSERT INTO t VALUES (E'a\n\\b');\n"));
  // Run: code that runs later, text, and COPY on the server's own files.
  for (const std::string sql :
       {"COMMENT ON TABLE t IS 'never call pg_advisory_unlock_all()'",
        "CREATE OR REPLACE FUNCTION reset_locks() RETURNS void AS $$ SELECT pg_advisory_unlock_all() $$ LANGUAGE sql",
        "COPY t FROM '/srv/import/stdin.csv'", "COPY (SELECT 'stdout') TO '/tmp/x'", "DISCARD PLANS",
        "INSERT INTO notes VALUES ('copy from stdin')"})
    BOOST_CHECK_NO_THROW(split(sql + ";\n"));
}

BOOST_AUTO_TEST_CASE(dollar_quoted_bodies_stay_whole) {
  auto s = split(
      "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  PERFORM 1; RETURN 2;\nEND;\n$$ LANGUAGE plpgsql;\n"
      "DO $body$ BEGIN RAISE NOTICE 'x;y :name'; END $body$;\n"
      "SELECT a[1:2] FROM t\n");
  BOOST_TEST_REQUIRE(s.size() == 3u);
  BOOST_TEST(s[0].sql.find("RETURN 2;\nEND;\n$$ LANGUAGE plpgsql") != std::string::npos);
  BOOST_TEST(s[1].sql.find("$body$ BEGIN RAISE NOTICE 'x;y :name'; END $body$") != std::string::npos);
  BOOST_TEST(s[2].sql == "SELECT a[1:2] FROM t");  // last statement without ';', verbatim
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{1, 6, 7}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sql_standard_function_bodies_stay_whole) {
  auto s = split(
      "CREATE FUNCTION one() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\nEND;\n"
      "CREATE TABLE after_it (x int);\n");
  BOOST_TEST_REQUIRE(s.size() == 2u);
  BOOST_TEST(s[0].sql.find("SELECT 1;\nEND") != std::string::npos, s[0].sql);
  BOOST_TEST(s[0].flags == 0u);
  BOOST_TEST(s[1].line == 5u);
}

BOOST_AUTO_TEST_CASE(a_statement_with_a_syntax_error_is_kept_for_the_server) {
  auto s = split("SELCT 1;\nCREATE TABLE t (x int);\n");
  BOOST_TEST_REQUIRE(s.size() == 2u);
  BOOST_TEST(s[0].sql == "SELCT 1");
}

BOOST_AUTO_TEST_CASE(comment_only_and_empty_files_have_no_statement) {
  BOOST_TEST(split("-- No-op").empty());
  BOOST_TEST(split("/* nothing */\n-- here either\n").empty());
  BOOST_TEST(split("").empty());
  BOOST_TEST(split(";;\n;").empty());
}

BOOST_AUTO_TEST_CASE(line_is_the_first_token_after_leading_comments) {
  auto s = split("SELECT 1;\n\n-- about the next one\n-- more\n  CREATE TABLE x (y int);");
  BOOST_TEST_REQUIRE(s.size() == 2u);
  BOOST_TEST(s[1].line == 5u);
}

BOOST_AUTO_TEST_CASE(unterminated_text_is_an_error_with_its_line) {
  try {
    split("SELECT 1;\nCREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n");
    BOOST_FAIL("expected SourceError");
  } catch (const runner::SourceError& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("f.sql:") == 0u, what);
    BOOST_TEST(what.find("unterminated dollar-quoted string") != std::string::npos, what);
  }
  BOOST_CHECK_THROW(split("SELECT 'open;\n"), runner::SourceError);
  // Positions count characters: multi-byte text before the error must not shift its line.
  std::string cyrillic_lines;
  for (int i = 0; i < 6; ++i)
    cyrillic_lines +=
        "-- \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\n";
  try {
    split(cyrillic_lines + "SELECT 1;\nSELECT 'never closed;\n");
    BOOST_FAIL("expected SourceError");
  } catch (const runner::SourceError& e) {
    BOOST_TEST(std::string(e.what()).find("f.sql:8:") == 0u, e.what());
  }
}

BOOST_AUTO_TEST_CASE(what_cannot_run_in_a_transaction_is_flagged) {
  auto s = split(
      "CREATE INDEX CONCURRENTLY i ON t (x);\n"
      "DROP INDEX CONCURRENTLY i;\n"
      "REINDEX (CONCURRENTLY) TABLE t;\n"
      "VACUUM t;\n"
      "CREATE DATABASE d;\n"
      "ALTER SYSTEM SET work_mem = '8MB';\n"
      "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;\n"
      "CREATE INDEX i2 ON t (x);\n"
      "ANALYZE t;\n"
      "CREATE TABLE concurrently_named (x int);\n"
      "ALTER TABLE events DETACH PARTITION events_2019;\n");
  BOOST_TEST_REQUIRE(s.size() == 11u);
  for (std::size_t i = 0; i < 7; ++i) BOOST_TEST((s[i].flags & RUNNER_STMT_NO_TRANSACTION) != 0u, "statement " << i);
  for (std::size_t i = 7; i < 11; ++i) BOOST_TEST(s[i].flags == 0u, "statement " << i);
}

BOOST_AUTO_TEST_CASE(transaction_control_is_flagged) {
  auto s =
      split("BEGIN;\nSAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\nRELEASE a;\nCOMMIT;\nSTART TRANSACTION;\nEND;\nROLLBACK;");
  BOOST_TEST_REQUIRE(s.size() == 8u);
  BOOST_TEST(s[0].flags == static_cast<unsigned>(RUNNER_STMT_TX_BEGIN));
  BOOST_TEST(s[1].flags == 0u);
  BOOST_TEST(s[2].flags == 0u);
  BOOST_TEST(s[3].flags == 0u);
  BOOST_TEST(s[4].flags == static_cast<unsigned>(RUNNER_STMT_TX_COMMIT));
  BOOST_TEST(s[5].flags == static_cast<unsigned>(RUNNER_STMT_TX_BEGIN));
  BOOST_TEST(s[6].flags == static_cast<unsigned>(RUNNER_STMT_TX_COMMIT));
  BOOST_TEST(s[7].flags == static_cast<unsigned>(RUNNER_STMT_TX_OTHER));
}

BOOST_AUTO_TEST_SUITE_END()
