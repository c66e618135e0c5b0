// SPDX-License-Identifier: MIT
// Bad input, case by case: each gets its documented exit code, a message naming what is wrong, and
// leaves the database byte for byte as it was. One table per kind of input (file names, file
// contents, command lines and targets, config files, URLs, history tables edited by hand).
#include "tests/integration/integration_fixture.hpp"
#include "tests/support/catalog_text.hpp"

#include <algorithm>
#include <functional>

using namespace runner::test;

namespace {

struct Case {
  std::string what;                                // the case, for the report
  std::vector<std::string> args;                   // the command line, -d and -s added
  int exit_code;                                   // as documented
  std::string message;                             // a part of stderr that names what is wrong
  std::function<void(const TempDir&)> setup = {};  // files to write besides the valid set
};

// A database at version 1 of a valid set (0001 applied, 0002 pending), then each case on a copy
// of that file: its bytes afterwards are the bytes before.
void check_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    TempDir dir;
    write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x integer);\n");
    write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;\n");
    write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (x integer);\n");
    TestDatabase db = sqlite_database(dir);
    BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1", "-q"}).exit_code == 0);
    if (c.setup) c.setup(dir);
    const std::string before = file_sha256(db.sqlite_file);
    std::vector<std::string> args = c.args;
    const auto given = [&](const char* o) { return std::find(args.begin(), args.end(), o) != args.end(); };
    if (!given("-d")) args.insert(args.end(), {"-d", db.url});
    if (!given("-s")) args.insert(args.end(), {"-s", "sql"});
    RunResult r = run_runner(args, dir.path());
    BOOST_TEST(r.exit_code == c.exit_code, c.what << ": exit " << r.exit_code << "\n" << r.err);
    BOOST_TEST(contains(r.err, c.message), c.what << ": " << r.err);
    BOOST_TEST(file_sha256(db.sqlite_file) == before, c.what << ": the database changed");
  }
}

// The same on MariaDB: the database's catalog, runner's rows and the data afterwards are what they
// were before.
std::string mysql_state(const TestDatabase& db) {
  auto probe = db.probe();
  std::string out;
  for (const auto& line : mysql_catalog(*probe, db.schema)) out += line + "\n";
  for (const auto& q :
       {"SELECT version, name, checksum FROM runner_history ORDER BY version", "SELECT `key`, value FROM runner_meta",
        "SELECT version, applied FROM runner_progress", "SELECT COUNT(*) FROM a"})
    for (const auto& row : probe->rows(q)) {
      for (const auto& v : row) out += v + "|";
      out += "\n";
    }
  return out;
}

void check_mysql_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    TempDir dir;
    write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x integer);\n");
    write_file(dir / "sql/0001_a.down.sql", "DROP TABLE a;\n");
    write_file(dir / "sql/0002_b.up.sql", "INSERT INTO a VALUES (1);\n");
    TestDatabase db = mysql_database("bad");
    BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1", "-q"}).exit_code == 0);
    if (c.setup) c.setup(dir);
    const std::string before = mysql_state(db);
    std::vector<std::string> args = c.args;
    const auto given = [&](const char* o) { return std::find(args.begin(), args.end(), o) != args.end(); };
    if (!given("-d")) args.insert(args.end(), {"-d", db.url});
    if (!given("-s")) args.insert(args.end(), {"-s", "sql"});
    RunResult r = run_runner(args, dir.path());
    BOOST_TEST(r.exit_code == c.exit_code, c.what << ": exit " << r.exit_code << "\n" << r.err);
    BOOST_TEST(contains(r.err, c.message), c.what << ": " << r.err);
    BOOST_TEST(mysql_state(db) == before, c.what << ": the database changed");
  }
}

std::string mysql_server() { return mysql_url().substr(0, mysql_url().rfind('/')); }

std::function<void(const TempDir&)> file(const std::string& name, const std::string& text) {
  return [name, text](const TempDir& dir) { write_file(dir / "sql" / name, text); };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(migration_file_names) {
  const char* const bad = "invalid migration files in sql (nothing was applied)";
  check_cases({
      {"no .up/.down", {"upgrade"}, 2, "1_c.sql: does not end in .up.sql or .down.sql", file("1_c.sql", "SELECT 1;")},
      {"upper-case suffix", {"upgrade"}, 2, "0003_c.UP.sql: does not end in .up.sql", file("0003_c.UP.sql", "")},
      {"no version", {"upgrade"}, 2, "abc_x.up.sql: does not start with a version number", file("abc_x.up.sql", "")},
      {"space in the name", {"upgrade"}, 2, "name 'c d' may only hold letters", file("0003_c d.up.sql", "")},
      {"unknown dialect variant", {"upgrade"}, 2, "'.oracle.sql' names no dialect", file("0003_c.up.oracle.sql", "")},
      {"down without up", {"upgrade"}, 2, "0003_c.down.sql: down migration without an up", file("0003_c.down.sql", "")},
      {"two files, one version", {"upgrade"}, 2, "version 2 is also used by", file("0002_dup.up.sql", "")},
      {"version too large", {"upgrade"}, 2, "version number is too large", file("99999999999999999999_c.up.sql", "")},
      {"a folder named like a migration",
       {"upgrade"},
       2,
       "is a folder, not a migration file",
       [](const TempDir& d) { fs::create_directories(d / "sql/0003_c.up.sql"); }},
      {"a dangling symbolic link",
       {"upgrade"},
       2,
       "a symbolic link to '/nonexistent', which does not exist",
       [](const TempDir& d) { fs::create_symlink("/nonexistent", d / "sql/0003_c.up.sql"); }},
      {"the folder is missing", {"upgrade", "-s", "nosuch"}, 2, "nosuch"},
      {"an empty name", {"upgrade"}, 2, "0003_.up.sql: empty name after '_'", file("0003_.up.sql", "SELECT 1;")},
      {"a dash after the version",
       {"upgrade"},
       2,
       "0003-c.up.sql: the version must be followed by '_'",
       file("0003-c.up.sql", "SELECT 1;")},
      {"a dialect down variant without an up",
       {"upgrade"},
       2,
       "0003_c.down.postgresql.sql: down migration without",
       file("0003_c.down.postgresql.sql", "")},
  });
  (void)bad;
}

BOOST_AUTO_TEST_CASE(migration_file_contents) {
  check_cases({
      {"unterminated string",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: statement never ends",
       file("0003_c.up.sql", "SELECT 'never closed;\n")},
      {"unknown directive",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: unknown directive 'runner:no-transactions'",
       file("0003_c.up.sql", "-- runner:no-transactions\nSELECT 1;\n")},
      {"directive in upper case",
       {"upgrade"},
       2,
       "'RUNNER:NO-TRANSACTION' is written in lower case: -- runner:no-transaction",
       file("0003_c.up.sql", "-- RUNNER:NO-TRANSACTION\nSELECT 1;\n")},
      {"directive below a statement",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: directive after the first statement",
       file("0003_c.up.sql", "SELECT 1;\n-- runner:no-transaction\n")},
      {"BEGIN without COMMIT",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: statement 1 controls the transaction",
       file("0003_c.up.sql", "BEGIN;\nSELECT 1;\n")},
      {"COMMIT half-way",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: statement 2 controls the transaction",
       file("0003_c.up.sql", "SELECT 1;\nCOMMIT;\nSELECT 2;\n")},
      {"VACUUM in a transaction",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: statement 1 cannot run inside a transaction",
       file("0003_c.up.sql", "VACUUM;\n")},
      {"a placeholder with no value",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: placeholder ${missing} has no value",
       file("0003_c.up.sql", "-- runner:placeholders\nSELECT '${missing}';\n")},
      {"a NUL byte",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: holds a NUL byte",
       file("0003_c.up.sql", std::string("SELECT 1;\n\0SELECT 2;\n", 21))},
      {"not UTF-8", {"upgrade"}, 2, "0003_c.up.sql:1: not valid UTF-8", file("0003_c.up.sql", "SELECT '\xff\xfe';\n")},
      {"PRAGMA outside with no BEGIN of the file's",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: statement 1 cannot run inside",
       file("0003_c.up.sql", "PRAGMA foreign_keys=OFF;\nCREATE TABLE c (x integer);\n")},
      {"a statement outside the file's own BEGIN ... COMMIT",
       {"upgrade"},
       2,
       "0003_c.up.sql:1:",
       file("0003_c.up.sql", "PRAGMA foreign_keys=OFF;\nCREATE TABLE c (x integer);\nBEGIN;\nSELECT 1;\nCOMMIT;\n")},
      {"a trigger without END",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: statement never ends",
       file("0003_c.up.sql", "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1;\n")},
      {"a malformed imported-from line",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: malformed directive",
       file("0003_c.up.sql", "-- runner:imported-from\nSELECT 1;\n")},
      {"a syntax error (found when it runs, rolled back)",
       {"upgrade"},
       1,
       "0002_b.up.sql:2: statement 2 of 2 (line 2) failed",
       file("0002_b.up.sql", "CREATE TABLE c (x integer);\nSELEC 1;\n")},
      {"a callback that wants no transaction",
       {"upgrade"},
       2,
       "before_each.sql",
       [](const TempDir& d) {
         write_file(d / "sql/callbacks/before_each.sql", "-- runner:no-transaction\nSELECT 1;\n");
       }},
  });
}

BOOST_AUTO_TEST_CASE(command_lines_and_targets) {
  check_cases({
      {"upgrade to a word", {"upgrade", "abc"}, 2, "invalid target 'abc' (expected head, a version, or +N)"},
      {"upgrade by -1", {"upgrade", "-1"}, 2, "invalid target '-1'"},
      {"upgrade with two targets", {"upgrade", "head", "extra"}, 2, "unexpected argument 'extra'"},
      {"downgrade by -0", {"downgrade", "-0"}, 2, "invalid target '-0'"},
      {"downgrade past base", {"downgrade", "-99"}, 2, "cannot downgrade -99: only 1 migration(s) applied"},
      {"stamp to an unknown version", {"stamp", "99"}, 2, "no migration with version 99"},
      {"new with a bad name", {"new", "bad name!"}, 2, "invalid migration name 'bad_name!'"},
      {"new with an empty name", {"new", ""}, 2, "invalid migration name ''"},
      {"history with an argument", {"history", "extra"}, 2, "unexpected argument 'extra'; usage: runner history"},
      {"--jobs not a number", {"upgrade", "--jobs", "abc"}, 2, "the argument ('abc') for option '--jobs' is invalid"},
      {"--lock-wait longer than a day", {"upgrade", "--lock-wait", "100000"}, 2, "between 0 and 86400"},
      {"--lock-retries over 100",
       {"upgrade", "--lock-wait", "1", "--lock-retries", "101"},
       2,
       "--lock-retries must be between 0 and 100"},
      {"repair without --yes of a migration that did not stop",
       {"repair", "2", "--forget"},
       2,
       "migration 0002 did not stop part-way"},
      {"repair without a mode", {"repair", "2", "--yes"}, 2, "repair needs --mark-applied"},
      {"upgrade by +0", {"upgrade", "+0"}, 2, "invalid target '+0'"},
      {"upgrade to an unknown version", {"upgrade", "99"}, 2, "no migration with version 99 in sql"},
      {"downgrade by +1", {"downgrade", "+1"}, 2, "invalid target '+1' (expected -N, a version, or base)"},
      {"downgrade to a version not applied", {"downgrade", "5"}, 2, "version 5 is not applied"},
      {"downgrade without a target", {"downgrade"}, 2, "missing argument; usage: runner downgrade"},
      {"stamp to a word", {"stamp", "foo"}, 2, "invalid target 'foo'"},
      {"a range without --sql", {"upgrade", "1:2"}, 2, "invalid target '1:2'"},
      {"repair of a word", {"repair", "abc", "--forget", "--yes"}, 2, "invalid target 'abc'"},
      {"repair of version 0", {"repair", "0", "--forget", "--yes"}, 2, "repair: '0' is not a migration version"},
      {"repair of a migration that did not stop",
       {"repair", "1", "--forget", "--yes"},
       2,
       "migration 0001 did not stop part-way"},
      {"repair with both", {"repair", "2", "--forget", "--mark-applied", "--yes"}, 2, "not both"},
      {"resume with an argument", {"resume", "extra"}, 2, "unexpected argument 'extra'"},
      {"an unknown option", {"upgrade", "--frobnicate"}, 2, "unrecognised option '--frobnicate'"},
      {"an unknown command", {"frobnicate"}, 2, "unknown command 'frobnicate'"},
      {"an option of another command",
       {"downgrade", "base", "--out-of-order"},
       2,
       "option --out-of-order does not apply to `downgrade`"},
      {"--jobs 0", {"upgrade", "--jobs", "0"}, 2, "--jobs must be between 1 and 256, not 0"},
      {"--lock-timeout too long", {"upgrade", "--lock-timeout", "9999999"}, 2, "--lock-timeout must be between"},
      {"--lock-timeout negative", {"upgrade", "--lock-timeout", "-5"}, 2, "for option '--lock-timeout' is invalid"},
      {"a value holding %value%",
       {"upgrade", "--lock-timeout", "%value%"},
       2,
       "the argument ('%value%') for option '--lock-timeout' is invalid"},
      {"--lock-wait not a number", {"upgrade", "--lock-wait", "soon"}, 2, "--lock-wait must be a number of seconds"},
      {"--lock-retries alone", {"upgrade", "--lock-retries", "2"}, 2, "--lock-retries goes with --lock-wait"},
      {"--statement-timeout on SQLite", {"upgrade", "--statement-timeout", "1"}, 2, "sqlite has no statement timeout"},
      {"--keep without --backup", {"upgrade", "--keep", "3"}, 2, "--keep goes with --backup"},
      {"--keep 0", {"upgrade", "--backup", "--keep", "0"}, 2, "--keep must be between 1 and 100000"},
      {"-o without --sql", {"upgrade", "-o", "x.sql"}, 2, "-o/--output goes with --sql, or with dump"},
      {"--schema without --sql",
       {"upgrade", "--schema", "s"},
       2,
       "--schema goes with --sql, or with dump, drift and test"},
      {"--sql with --dry-run", {"upgrade", "--sql", "--dry-run"}, 2, "--sql and --dry-run exclude each other"},
      {"--set without =", {"upgrade", "--set", "x"}, 2, "--set x: expected NAME=VALUE"},
      {"restore without a file", {"restore"}, 2, "missing argument; usage: runner restore FILE"},
      {"restore of a text file",
       {"restore", "sql/0001_a.up.sql", "--yes"},
       2,
       "is not a sqlite database runner recognises"},
      {"restore --all-projects without a version", {"restore", "--all-projects"}, 2, "needs --to-version VERSION"},
      {"restore --to-version not a number",
       {"restore", "--all-projects", "--to-version", "v1"},
       2,
       "--to-version must be a migration version"},
  });
}

BOOST_AUTO_TEST_CASE(config_files) {
  const auto config = [](const std::string& text) {
    return [text](const TempDir& d) { write_file(d / "runner.ini", text); };
  };
  check_cases({
      {"an unknown key", {"upgrade"}, 2, "runner.ini", config("frobnicate = 1\n")},
      {"an inline comment", {"upgrade"}, 2, "runner.ini", config("lock-timeout = 5 # seconds\n")},
      {"lock-retries not a number", {"upgrade"}, 2, "lock-retries", config("lock-wait = 1\nlock-retries = many\n")},
      {"a bad lock-timeout", {"upgrade"}, 2, "for option 'lock-timeout' is invalid", config("lock-timeout = soon\n")},
      {"a value holding %value%",
       {"upgrade"},
       2,
       "the argument ('%value%x') for option 'lock-timeout' is invalid",
       config("lock-timeout = %value%x\n")},
      {"a bad lock-wait", {"upgrade"}, 2, "--lock-wait must be a number of seconds", config("lock-wait = -1\n")},
      {"backup-keep without backup", {"upgrade"}, 2, "--keep goes with --backup", config("backup-keep = 2\n")},
      {"a config file that is not there", {"upgrade", "-c", "nope.ini"}, 2, "config file nope.ini does not exist"},
      {"a config file that is a folder",
       {"upgrade", "-c", "sql"},
       2,
       "config file sql is not a regular file (a directory)"},
      {"a config file that is a device",
       {"upgrade", "-c", "/dev/null"},
       2,
       "/dev/null is not a regular file (a device"},
      {"lint = maybe",
       {"upgrade"},
       2,
       "lint = 'maybe' in the config: expected true or false",
       config("lint = maybe\n")},
  });
}

BOOST_AUTO_TEST_CASE(database_urls) {
  check_cases({
      {"an unknown dialect", {"upgrade", "-d", "nosuch:x"}, 2, "nosuch"},
      {"--dialect that is not installed", {"upgrade", "--dialect", "nosuch"}, 2, "no plugin for dialect 'nosuch'"},
      {"--plugin-dir with no plugins", {"upgrade", "-d", "oracle://x", "--plugin-dir", "sql"}, 2, "'oracle'"},
      {"an empty SQLite path", {"upgrade", "-d", "sqlite:"}, 2, "sqlite"},
      {"a quote in a SQLite path", {"upgrade", "-d", "sqlite:a\"b.db"}, 2, "double quote"},
      {"a URL without a scheme", {"upgrade", "-d", "data.db"}, 2, "the URL 'data.db'"},
      {"user:password@host, read as a dialect named user",
       {"upgrade", "-d", "user:secret@host/db"},
       2,
       "no plugin for dialect 'user'"},
      {"a PostgreSQL port that is not a number",
       {"upgrade", "-d", "postgresql://127.0.0.1:notaport/x"},
       1,
       "invalid integer value \"notaport\" for connection option \"port\""},
      {"a PostgreSQL server that is not there",
       {"upgrade", "-d", "postgresql://127.0.0.1:1/x", "--lock-timeout", "1"},
       1,
       "127.0.0.1"},
      {"an empty schema", {"upgrade", "-d", "postgresql://127.0.0.1:1/x?schema="}, 2, "schema"},
  });
}

BOOST_AUTO_TEST_CASE(history_tables_edited_by_hand) {
  const auto edit = [](const std::string& sql) {
    return [sql](const TempDir& d) { DatabaseProbe::sqlite((d / "test.db").string())->execute(sql); };
  };
  check_cases({
      {"a negative version",
       {"upgrade"},
       1,
       "runner_history holds a negative version",
       edit("INSERT INTO runner_history VALUES (-3, 'x', 'y', '2026-01-01T00:00:00Z', 0)")},
      {"a layout that is not a number",
       {"upgrade"},
       1,
       "which is not a layout number",
       edit("UPDATE runner_meta SET value = '1abc' WHERE key = 'tables_version'")},
      {"a layout from a newer runner",
       {"upgrade"},
       3,
       "newer than this runner knows",
       edit("UPDATE runner_meta SET value = '99' WHERE key = 'tables_version'")},
      {"an applied migration's checksum changed",
       {"upgrade"},
       3,
       "applied migrations changed since they ran",
       edit("UPDATE runner_history SET checksum = 'x' WHERE version = 1")},
      {"an applied version with no file",
       {"upgrade"},
       3,
       "applied migrations changed since they ran",
       edit("INSERT INTO runner_history VALUES (7, 'gone', 'y', '2026-01-01T00:00:00Z', 0)")},
      {"a progress row with applied > statements",
       {"upgrade"},
       1,
       "runner_progress holds a row that is not a runner's",
       edit("INSERT INTO runner_progress VALUES (2, 'b', 'up', 'c', 1, 5, '', '', '', '', 0, 'x', 'x')")},
      {"a progress row going sideways",
       {"upgrade"},
       1,
       "direction 'sideways'",
       edit("INSERT INTO runner_progress VALUES (2, 'b', 'sideways', 'c', 1, 0, '', '', '', '', 0, 'x', 'x')")},
      {"a progress row that stopped part-way",
       {"upgrade"},
       3,
       "migration 0002_b stopped part-way",
       edit("INSERT INTO runner_progress VALUES (2, 'b', 'up', 'c', 1, 0, '', '', 'it failed', 'sql/0002_b.up.sql', "
            "1, 'x', 'x')")},
  });
}

// The mysql dialect: the same promise, with MySQL's own ways of going wrong.
BOOST_AUTO_TEST_CASE(migration_files_mysql) {
  check_mysql_cases({
      {"unterminated string",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: string opened with ' here is never closed",
       file("0003_c.up.sql", "SELECT 1;\nSELECT 'never closed;\n")},
      {"a procedure without END",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: 'BEGIN' here has no END",
       file("0003_c.up.sql", "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n")},
      {"DELIMITER without one",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: DELIMITER needs the new delimiter",
       file("0003_c.up.sql", "DELIMITER\nSELECT 1;\n")},
      {"a mysql client command",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: SOURCE is a mysql client command",
       file("0003_c.up.sql", "SELECT 1;\nsource other.sql;\n")},
      {"DDL inside the file's own transaction",
       {"upgrade"},
       2,
       "0003_c.up.sql:3: statement 3 commits the transaction the file's BEGIN (line 1) opened",
       file("0003_c.up.sql", "START TRANSACTION;\nINSERT INTO a VALUES (2);\nCREATE TABLE c (x int);\nCOMMIT;\n")},
      {"COMMIT half-way through data",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: statement 2 controls the transaction",
       file("0003_c.up.sql", "INSERT INTO a VALUES (2);\nCOMMIT;\nINSERT INTO a VALUES (3);\n")},
      {"PostgreSQL's COMMENT ON",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: COMMENT ON is PostgreSQL's",
       file("0003_c.up.sql", "COMMENT ON TABLE a IS 'x';\n")},
      {"RENAME CONSTRAINT",
       {"upgrade"},
       2,
       "0003_c.up.sql:1: RENAME CONSTRAINT has no MySQL equivalent",
       file("0003_c.up.sql", "ALTER TABLE a RENAME CONSTRAINT x TO y;\n")},
      {"a placeholder with no value",
       {"upgrade"},
       2,
       "0003_c.up.sql:2: placeholder ${missing} has no value",
       file("0003_c.up.sql", "-- runner:placeholders\nSELECT '${missing}';\n")},
      {"a syntax error in data (found when it runs, rolled back)",
       {"upgrade"},
       1,
       "0002_b.up.sql:2: statement 2 of 2 (line 2) failed",
       file("0002_b.up.sql", "INSERT INTO a VALUES (1);\nSELEC 1;\n")},
      {"drift, which reads a schema the mysql dialect does not",
       {"drift"},
       2,
       "the mysql dialect plugin (2.8.0) does not read a schema from the catalog"},
      {"a DDL migration in --atomic",
       {"upgrade", "--atomic"},
       2,
       "0003_c.up.sql:1: commits implicitly (CREATE TABLE c)",
       file("0003_c.up.sql", "CREATE TABLE c (x int);\n")},
  });
}

BOOST_AUTO_TEST_CASE(database_urls_mysql) {
  const std::string server = mysql_server();  // mysql://root:runner@127.0.0.1:PORT
  check_mysql_cases({
      {"a port that is not a number",
       {"upgrade", "-d", "mysql://u@127.0.0.1:notaport/x"},
       2,
       "the port 'notaport' is not a number from 1 to 65535"},
      {"an unknown parameter",
       {"upgrade", "-d", "mysql://u@127.0.0.1/x?sslmod=REQUIRED"},
       2,
       "unknown parameter 'sslmod'"},
      {"ssl-mode that cannot be honoured",
       {"upgrade", "-d", "mysql://u@127.0.0.1/x?ssl-mode=VERIFY_IDENTITY"},
       2,
       "ssl-mode=VERIFY_IDENTITY is not available"},
      {"ssl-mode=REQUIRED without a CA",
       {"upgrade", "-d", "mysql://u@127.0.0.1/x?ssl-mode=REQUIRED"},
       2,
       "ssl-mode=REQUIRED needs ssl-ca=FILE"},
      {"a schema parameter", {"upgrade", "-d", "mysql://u@127.0.0.1/x?schema=y"}, 2, "there is no schema= parameter"},
      {"a stray %", {"upgrade", "-d", "mysql://u:p%zz@127.0.0.1/x"}, 2, "a '%' that starts no %XX escape"},
      {"a server that is not there",
       {"upgrade", "-d", "mysql://u:secret@127.0.0.1:1/x"},
       1,
       "Can't connect to server on '127.0.0.1'"},
      {"a wrong password",
       {"upgrade", "-d", "mysql://root:wrong@" + server.substr(server.find('@') + 1) + "/x"},
       1,
       "Access denied"},
      {"--shadow-url on a run", {"upgrade", "--shadow-url", server + "/"}, 2, "--shadow-url goes with --sql"},
      {"a database that does not exist",
       {"upgrade", "-d", server + "/no_such_database"},
       1,
       "Unknown database 'no_such_database'"},
  });
}

BOOST_AUTO_TEST_SUITE_END()
