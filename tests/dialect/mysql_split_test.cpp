// SPDX-License-Identifier: MIT
// The mysql dialect's splitter: the mysql client's lexical rules, DELIMITER, and stored programs
// written without DELIMITER, with what each statement does to the transaction.
#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "tests/dialect/dialect_fixture.hpp"

#include <boost/test/unit_test.hpp>

using runner::test::lines;
using runner::test::load_dialect;
using runner::test::texts;

namespace {
std::vector<runner::SplitStatement> split(const std::string& sql) { return load_dialect("mysql").split(sql, "f.sql"); }

std::string error_of(const std::string& sql, std::uint32_t* line) {
  try {
    split(sql);
  } catch (const runner::SourceError& e) {
    *line = e.line();
    return e.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(mysql_split)

BOOST_AUTO_TEST_CASE(strings_identifiers_and_comments_keep_their_semicolons) {
  auto s = split(
      "INSERT INTO t VALUES ('a;b', 'it\\'s; fine', \"dq;\", 'x'';y');\n"
      "CREATE TABLE `we;ird` (x INT); # hash; comment\n"
      "-- dash; comment\n"
      "/* block; comment */ SELECT 1--1;\n"
      "SELECT 2 -- trailing\n;\n");
  BOOST_TEST_REQUIRE(s.size() == 4u, texts(s).size());
  BOOST_TEST(s[0].sql == "INSERT INTO t VALUES ('a;b', 'it\\'s; fine', \"dq;\", 'x'';y')");
  BOOST_TEST(s[1].sql == "CREATE TABLE `we;ird` (x INT)");
  // "--1" is minus minus one, not a comment: MySQL wants a blank after "--".
  BOOST_TEST(s[2].sql == "# hash; comment\n-- dash; comment\n/* block; comment */ SELECT 1--1");
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{1, 2, 4, 5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(delimiter_lines_are_honoured_and_removed) {
  auto s = split(
      "DELIMITER //\n"
      "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END //\n"
      "delimiter ;\n"
      "CALL p();\n"
      "DELIMITER $$\n"
      "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.x = 1$$\n"
      "DELIMITER ;\n");
  BOOST_TEST_REQUIRE(s.size() == 3u);
  BOOST_TEST(s[0].sql == "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END");
  BOOST_TEST(s[1].sql == "CALL p()");
  BOOST_TEST(s[2].sql == "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.x = 1");
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{2, 4, 6}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stored_programs_without_delimiter_stay_whole) {
  auto s = split(
      "CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\n"
      "BEGIN\n"
      "  DECLARE i INT DEFAULT 0;\n"
      "  IF n > 0 THEN SET i = IF(n > 5, 5, n); ELSEIF n < 0 THEN SET i = 0; END IF;\n"
      "  lbl: WHILE i > 0 DO SET i = i - 1; END WHILE lbl;\n"
      "  REPEAT SET i = i + 1; UNTIL i > 3 END REPEAT;\n"
      "  SELECT CASE WHEN i = 4 THEN 'four;' ELSE 'other' END;\n"
      "  CASE i WHEN 4 THEN SELECT REPEAT('x', 2); ELSE BEGIN END; END CASE;\n"
      "END;\n"
      "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW\n"
      "  IF NEW.x < 0 THEN SET NEW.x = 0; END IF;\n"
      "CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC RETURN a + 1;\n"
      "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END;\n"
      "BEGIN NOT ATOMIC SELECT 1; END;\n"
      "SELECT 'done';\n");
  BOOST_TEST_REQUIRE(s.size() == 6u, texts(s).size());
  BOOST_TEST(s[0].sql.find("END CASE;\nEND") != std::string::npos, s[0].sql);
  BOOST_TEST(s[1].sql.find("END IF") != std::string::npos);
  BOOST_TEST(s[2].sql == "CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC RETURN a + 1");
  BOOST_TEST(s[3].sql == "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END");
  BOOST_TEST(s[4].sql == "BEGIN NOT ATOMIC SELECT 1; END");
  BOOST_TEST(s[5].sql == "SELECT 'done'");
  BOOST_TEST(lines(s) == (std::vector<std::uint32_t>{1, 10, 12, 13, 14, 15}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(mariadb_loops_and_names_that_are_keywords_elsewhere) {
  auto s = split(
      "CREATE PROCEDURE p()\nBEGIN\n  FOR i IN 1..3 DO\n    UPDATE periods SET end = i WHERE begin > 0 AND t.end < 9;\n"
      "  END FOR;\n  IF (a1, b1) = (1, 1) THEN SELECT 1; END IF;\n  SET x = IF(a, 1, 2);\nEND;\nSELECT 2;\n");
  BOOST_TEST_REQUIRE(s.size() == 2u, texts(s).size());
  BOOST_TEST(s[0].sql.find("SET x = IF(a, 1, 2);\nEND") != std::string::npos, s[0].sql);
  BOOST_TEST(s[1].sql == "SELECT 2");
  // A CASE expression's END closes it whatever follows.
  auto c = split(
      "CREATE PROCEDURE q()\nBEGIN\n  SET v = (CASE WHEN a THEN 1 END);\n  SELECT CASE WHEN b THEN 2 END, x FROM t;\n"
      "END;\nSELECT 3;\n");
  BOOST_TEST_REQUIRE(c.size() == 2u, texts(c).size());
  BOOST_TEST(c[1].sql == "SELECT 3");
}

BOOST_AUTO_TEST_CASE(what_sets_the_session_is_marked_to_be_set_again_on_resume) {
  auto s = split(
      "USE app;\nSET @owner = 42;\nSET sql_mode = 'STRICT_ALL_TABLES';\nSET GLOBAL max_connections = 9;\n"
      "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nINSERT INTO t VALUES (1);\n");
  std::vector<bool> session;
  for (const auto& st : s) session.push_back((st.flags & RUNNER_STMT_SESSION) != 0);
  BOOST_TEST(session == (std::vector<bool>{true, true, true, false, false, false}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(each_statement_says_what_it_does_to_the_transaction) {
  auto s = split(
      "START TRANSACTION; INSERT INTO t VALUES (1); SAVEPOINT a; ROLLBACK TO a; COMMIT;\n"
      "BEGIN; ROLLBACK;\n"
      "CREATE TABLE x (a INT); ALTER TABLE x ADD b INT; DROP TABLE x; RENAME TABLE a TO b; TRUNCATE t;\n"
      "CREATE TEMPORARY TABLE tmp (a INT); DROP TEMPORARY TABLE tmp;\n"
      "CALL p(); GRANT SELECT ON t TO u; SET @a = 1; UPDATE t SET a = 1;\n"
      "SET STATEMENT lock_wait_timeout = 5 FOR ALTER TABLE t ADD c INT; SET STATEMENT x = 1 FOR INSERT INTO t VALUES "
      "(1);\n"
      "/*!40101 SET NAMES utf8mb4 */; /*!50003 CREATE*/ /*!50003 TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @a = 1 "
      "*/;\n");
  const std::uint32_t B = RUNNER_STMT_TX_BEGIN, C = RUNNER_STMT_TX_COMMIT, O = RUNNER_STMT_TX_OTHER,
                      I = RUNNER_STMT_IMPLICIT_COMMIT;
  std::vector<std::uint32_t> flags;
  for (const auto& st : s) flags.push_back(st.flags & (B | C | O | I));
  BOOST_TEST(flags == (std::vector<std::uint32_t>{B, 0, 0, 0, C, B, O, I, I, I, I, I, 0, 0, I, I, 0, 0, I, 0, 0, I}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unfinished_text_is_an_error_naming_its_line) {
  std::uint32_t line = 0;
  BOOST_TEST(!error_of("SELECT 1;\nSELECT 'open;\n", &line).empty());
  BOOST_TEST(line == 2u);
  BOOST_TEST(!error_of("SELECT 1;\n\n/* never closed\n", &line).empty());
  BOOST_TEST(line == 3u);
  const std::string no_end = error_of("SELECT 1;\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n", &line);
  BOOST_TEST(no_end.find("'BEGIN' here has no END") != std::string::npos, no_end);
  BOOST_TEST(line == 3u);
  BOOST_TEST(!error_of("DELIMITER\nSELECT 1;\n", &line).empty());
  BOOST_TEST(line == 1u);
  const std::string client = error_of("SELECT 1;\nsource other.sql;\n", &line);
  BOOST_TEST(client.find("mysql client command") != std::string::npos, client);
  BOOST_TEST(line == 2u);
}

BOOST_AUTO_TEST_CASE(postgresql_ddl_is_planned_for_translation_or_refused_naming_a_mysql_variant) {
  const std::uint32_t T = RUNNER_STMT_TRANSLATE;
  auto s = split(
      "CREATE TYPE s AS ENUM ('a', 'b');\n"
      "CREATE TABLE t (id bigserial PRIMARY KEY, at timestamptz NOT NULL, kind s);\n"
      "ALTER TABLE t ALTER COLUMN at DROP NOT NULL;\n"
      "ALTER TYPE s ADD VALUE 'c' AFTER 'b';\n"
      "DROP INDEX t_at_idx;\n"
      "DROP TYPE s;\n"
      "CREATE TABLE m (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n"
      "INSERT INTO t (kind) VALUES ('a');\n");
  BOOST_TEST_REQUIRE(s.size() == 8u);
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST((s[i].flags & T) != 0u, s[i].sql);
  // MySQL's own syntax, and data, run as written.
  BOOST_TEST((s[6].flags & T) == 0u);
  BOOST_TEST((s[7].flags & T) == 0u);

  std::uint32_t line = 0;
  const std::string tz = error_of("SELECT 1;\nCREATE TABLE t (\n  at TIMESTAMPTZ NOT NULL\n) ENGINE=InnoDB;\n", &line);
  BOOST_TEST(tz.find("TIMESTAMPTZ is PostgreSQL's") != std::string::npos, tz);
  BOOST_TEST(tz.find("NNNN_name.up.mysql.sql") != std::string::npos, tz);
  BOOST_TEST(line == 3u);
  BOOST_TEST(error_of("ALTER TYPE s RENAME VALUE 'a' TO 'z';", &line).find("RENAME VALUE") != std::string::npos);
  BOOST_TEST(error_of("SELECT 1;\nSELECT 'a'::text;", &line).find("The cast operator ::") != std::string::npos);
  BOOST_TEST(line == 2u);
  BOOST_TEST(error_of("CREATE FUNCTION f() RETURNS INT AS $$ SELECT 1 $$;", &line).find("Dollar quoting") !=
             std::string::npos);
  BOOST_TEST(error_of("COMMENT ON TABLE t IS 'x';", &line).find("COMMENT ON") != std::string::npos);
  // What would stop runner recording the migration, in any file.
  const std::string lock = error_of("SELECT 1;\nLOCK TABLES t WRITE;\nUNLOCK TABLES;", &line);
  BOOST_TEST(lock.find("LOCK TABLES: while tables are locked") != std::string::npos, lock);
  BOOST_TEST(line == 2u);
  BOOST_TEST(error_of("SET autocommit = 0;", &line).find("SET autocommit") != std::string::npos);
  BOOST_TEST(error_of("SET SESSION AUTOCOMMIT=0;", &line).find("SET autocommit") != std::string::npos);
  // In strings and comments they are text.
  BOOST_TEST(split("SELECT 'a::b timestamptz $$'; -- TIMESTAMPTZ\n/* CREATE TYPE x */ SELECT 1;").size() == 2u);
  // A file in MySQL's own SQL (-- runner:as-written) is neither translated nor refused.
  const auto written = load_dialect("mysql").split("CREATE TYPE s AS ENUM ('a');\nSELECT 'a'::text;", "f.sql", true);
  BOOST_TEST_REQUIRE(written.size() == 2u);
  BOOST_TEST((written[0].flags & T) == 0u);
}

BOOST_AUTO_TEST_CASE(comment_only_files_have_no_statement) {
  BOOST_TEST(split("-- nothing\n# here\n/* either */\n").empty());
  BOOST_TEST(split(";;\n ; ").empty());
  BOOST_TEST(split("DELIMITER //\n//\nDELIMITER ;\n").empty());
}

BOOST_AUTO_TEST_SUITE_END()
