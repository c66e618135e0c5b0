// SPDX-License-Identifier: MIT
// The command line as a user meets it: help, exit codes, config, new, and secrets kept out.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(help_usage_errors_and_exit_codes) {
  TempDir dir;
  RunResult help = run_runner({"--help"}, dir.path());
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(contains(help.out, "Exit codes: 0 success; 1"));
  BOOST_TEST(contains(help.out, "upgrade"));
  // The URL forms come from the plugins found, so help lists what this installation takes.
  BOOST_TEST(contains(help.out, "sqlite:PATH"), help.out);
  BOOST_TEST(contains(help.out, "postgresql://USER:PASSWORD@HOST"), help.out);
  RunResult up_help = run_runner({"upgrade", "--help"}, dir.path());
  BOOST_TEST(up_help.exit_code == 0);
  BOOST_TEST(contains(up_help.out, "--allow-changed"));
  BOOST_TEST(run_runner({}, dir.path()).exit_code == 2);
  RunResult unknown = run_runner({"migrate"}, dir.path());
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(contains(unknown.err, "unknown command 'migrate'"));
  RunResult wrong_option = run_runner({"current", "--allow-changed", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(wrong_option.exit_code == 2);
  BOOST_TEST(contains(wrong_option.err, "--allow-changed does not apply to `current`"));
  RunResult no_db = run_runner({"current"}, dir.path());
  BOOST_TEST(no_db.exit_code == 2);
  BOOST_TEST(contains(no_db.err, "no database"));
  RunResult bad_target = run_runner({"upgrade", "latest", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(bad_target.exit_code == 2);
  BOOST_TEST(contains(bad_target.err, "invalid target 'latest'"));
  RunResult no_dir = run_runner({"upgrade", "-d", "sqlite:x.db", "-s", "nowhere"}, dir.path());
  BOOST_TEST(no_dir.exit_code == 2);
  BOOST_TEST(contains(no_dir.err, "migration folder 'nowhere' does not exist"));
  BOOST_TEST(run_runner({"--version"}, dir.path()).out.find("runner ") == 0u);
}

BOOST_AUTO_TEST_CASE(runner_ini_supplies_database_and_folder) {
  TempDir dir;
  write_file(dir / "runner.ini", "database = sqlite:data/project_1.db\nsql-dir = migrations\n");
  write_file(dir / "migrations/0001_a.up.sql", "CREATE TABLE a (x int);");
  RunResult r = run_runner({"upgrade"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(fs::exists(dir / "data/project_1.db"));  // file and folder created on first upgrade
  BOOST_TEST(DatabaseProbe::sqlite((dir / "data/project_1.db").string())->tables() == (std::vector<std::string>{"a"}),
             boost::test_tools::per_element());
  // The environment beats the config file.
  RunResult env = run_runner({"current"}, dir.path(), {{"DATABASE_URL", "sqlite:other.db"}});
  BOOST_TEST(env.out == "base\n");
}

BOOST_AUTO_TEST_CASE(config_values_and_paths) {
  TempDir dir;
  write_file(dir / "proj/runner.ini", "database = sqlite:data/p.db\nsql-dir = migrations\n");
  write_file(dir / "proj/migrations/0001_a.up.sql", "CREATE TABLE a (x int);");
  fs::create_directories(dir / "elsewhere");
  RunResult r = run_runner({"-c", "../proj/runner.ini", "upgrade"}, dir / "elsewhere");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(fs::exists(dir / "proj/data/p.db"));  // relative to the config file, like sql-dir
  BOOST_TEST(!fs::exists(dir / "elsewhere/data"));

  write_file(dir / "hash/runner.ini", "database = postgresql://app:pa#ss@127.0.0.1:1/db\n");
  RunResult hash = run_runner({"current"}, dir / "hash");
  BOOST_TEST(hash.exit_code == 2);
  BOOST_TEST(contains(hash.err, "runner.ini:1: '#' would start a comment"), hash.err);
  BOOST_TEST(!contains(hash.err, "pa"), hash.err);

  RunResult negative = run_runner({"upgrade", "--lock-timeout=-1", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(negative.exit_code == 2);
  BOOST_TEST(contains(negative.err, "--lock-timeout must be between 0 and 604800"), negative.err);
  RunResult spaced = run_runner({"upgrade", "--lock-timeout", "-1", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(spaced.exit_code == 2);
  BOOST_TEST(!contains(spaced.err, "\x01"));
  RunResult long_config = run_runner({"-c", std::string(5000, 'x'), "current"}, dir.path());
  BOOST_TEST(long_config.exit_code == 2, long_config.err);
}

BOOST_AUTO_TEST_CASE(a_misspelled_dialect_variant_is_an_error) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "sql/0001_a.up.sqllite.sql", "CREATE TABLE b (x int);");
  write_file(dir / "sql/0002_b.up.sql.sql", "SELECT 1;");
  RunResult r = run_runner({"validate", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(
      contains(r.err, "0001_a.up.sqllite.sql: '.sqllite.sql' names no dialect (known: sqlite, mysql, postgresql)"),
      r.err);
  BOOST_TEST(contains(r.err, "0002_b.up.sql.sql: '.sql.sql' names no dialect"), r.err);
}

BOOST_AUTO_TEST_CASE(reading_never_creates_the_database) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  RunResult current = run_runner({"current", "-d", "sqlite:data/none.db"}, dir.path());
  BOOST_TEST(current.exit_code == 0, current.err);
  BOOST_TEST(current.out == "base\n");
  RunResult history = run_runner({"history", "-d", "sqlite:data/none.db"}, dir.path());
  BOOST_TEST(contains(history.out, "pending"));
  BOOST_TEST(run_runner({"downgrade", "base", "-d", "sqlite:data/none.db"}, dir.path()).exit_code == 0);
  BOOST_TEST(!fs::exists(dir / "data"));
  BOOST_TEST(run_runner({"upgrade", "-d", "sqlite::memory:"}, dir.path()).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(new_and_revision_write_the_next_pair) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "SELECT 1;");
  write_file(dir / "sql/0007_b.up.sql", "SELECT 1;");
  RunResult r = run_runner({"new", "add users", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "sql/0008_add_users.up.sql\nsql/0008_add_users.down.sql\n");
  BOOST_TEST(contains(read_file(dir / "sql/0008_add_users.up.sql"), "-- 0008_add_users (up)"));
  RunResult rev = run_runner({"revision", "-m", "second", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(rev.exit_code == 0, rev.err);
  BOOST_TEST(fs::exists(dir / "sql/0009_second.down.sql"));
  // The new pair is a valid, empty migration.
  RunResult up = run_runner({"upgrade", "-d", "sqlite:x.db"}, dir.path());
  BOOST_TEST(up.exit_code == 0, up.err);
  BOOST_TEST(contains(up.out, "applied  0009_second"));
  BOOST_TEST(run_runner({"new", "bad/name"}, dir.path()).exit_code == 2);

  TempDir ts;
  write_file(ts / "sql/20200101000000_init.up.sql", "SELECT 1;");
  RunResult t = run_runner({"new", "later"}, ts.path());
  BOOST_TEST(t.exit_code == 0, t.err);
  BOOST_TEST(t.out.find("sql/2") == 0u);
  BOOST_TEST(t.out.substr(4, 14) > std::string("20200101000000"));
}

BOOST_AUTO_TEST_CASE(urls_and_config_files_say_what_they_mean) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\n");
  // A BOM and CRLF line ends, as editors on Windows write them.
  write_file(dir / "runner.ini", "\xEF\xBB\xBF# settings\r\ndatabase = sqlite:data/bom.db\r\nsql-dir = sql\r\n");
  RunResult bom = run_runner({"upgrade"}, dir.path());
  BOOST_TEST(bom.exit_code == 0, bom.err);
  BOOST_TEST(fs::exists(dir / "data/bom.db"));
  fs::remove(dir / "runner.ini");

  // ~/ is the home folder, not a folder named "~".
  fs::create_directories(dir / "home");
  RunResult home = run_runner({"upgrade", "-d", "sqlite:~/h.db"}, dir.path(), {{"HOME", (dir / "home").string()}});
  BOOST_TEST(home.exit_code == 0, home.err);
  BOOST_TEST(fs::exists(dir / "home/h.db"));
  BOOST_TEST(!fs::exists(dir / "~"));

  RunResult query = run_runner({"upgrade", "-d", "sqlite:q.db?mode=ro"}, dir.path());
  BOOST_TEST(query.exit_code == 2);
  BOOST_TEST(contains(query.err, "sqlite URLs take no parameters ('?mode=ro')"), query.err);
  BOOST_TEST(!fs::exists(dir / "q.db?mode=ro"));
  BOOST_TEST(!fs::exists(dir / "q.db"));

  RunResult twice = run_runner({"current", "-d", "postgresql://u@127.0.0.1:1/db?schema=a&schema=b"}, dir.path());
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(contains(twice.err, "schema= is given more than once"), twice.err);
}

BOOST_AUTO_TEST_CASE(passwords_never_appear_in_output) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "SELECT 1;");
  RunResult r = run_runner({"upgrade", "-d", "postgresql://app:hunter2secret@127.0.0.1:1/db?schema=x"}, dir.path());
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "cannot connect to postgresql://app:***@127.0.0.1:1/db"), r.err);
  BOOST_TEST(!contains(r.err + r.out, "hunter2secret"));
  RunResult v = run_runner({"history", "-v", "-d", "postgresql://app:hunter2secret@127.0.0.1:1/db"}, dir.path());
  BOOST_TEST(!contains(v.err + v.out, "hunter2secret"));
  // libpq would quote a malformed password, or read part of one with a raw '@' or '/' as the host:
  // such URLs are refused before libpq sees them, naming the fix and nothing of the password.
  RunResult raw = run_runner({"current", "-d", "postgresql://app:ab%zzsecret@127.0.0.1:1/db"}, dir.path());
  BOOST_TEST(raw.exit_code == 2);
  BOOST_TEST(!contains(raw.err + raw.out, "zzsecret"), raw.err);
  for (const char* url : {"postgresql://u:ab@cdsecret/dx@127.0.0.1:1/db", "postgresql://u:ab@cdsecret@127.0.0.1:1/db",
                          "postgresql://u:p/a?sssecret@127.0.0.1:1/db"}) {
    RunResult reserved = run_runner({"upgrade", "-d", url}, dir.path());
    BOOST_TEST(reserved.exit_code == 2, url);
    BOOST_TEST(contains(reserved.err, "percent-encode"), reserved.err);
    BOOST_TEST(!contains(reserved.err + reserved.out, "secret"), reserved.err);
  }
  RunResult encoded = run_runner({"current", "-d", "postgresql://u:ab%40cdsecret%2Fd@127.0.0.1:1/db"}, dir.path());
  BOOST_TEST(encoded.exit_code == 1);  // it reaches libpq, which cannot connect to port 1
  BOOST_TEST(!contains(encoded.err + encoded.out, "secret"), encoded.err);
}

BOOST_AUTO_TEST_CASE(validate_checks_every_file) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  RunResult ok = run_runner({"validate", "--json", "-d", "sqlite:v.db"}, dir.path());
  BOOST_TEST_REQUIRE(ok.exit_code == 0, ok.err);
  auto j = nlohmann::json::parse(ok.out);
  BOOST_TEST(j.at("migrations").get<int>() == 12);
  BOOST_TEST(j.at("drift").is_array());
  BOOST_TEST(j.at("drift").empty());
  BOOST_TEST(j.at("database").get<std::string>() == "sqlite:v.db");

  // With a database, validate also checks the applied files.
  BOOST_TEST_REQUIRE(run_runner({"upgrade", "-q", "-d", "sqlite:v.db"}, dir.path()).exit_code == 0);
  write_file(dir / "sql/0002_tasks.down.sql",
             "-- edited down files do not matter\n" + read_file(dir / "sql/0002_tasks.down.sql"));
  write_file(dir / "sql/0003_change_requests.up.sql",
             read_file(dir / "sql/0003_change_requests.up.sql") + "-- edited\n");
  RunResult drift = run_runner({"validate", "--json", "-d", "sqlite:v.db"}, dir.path());
  BOOST_TEST(drift.exit_code == 3);
  auto d = nlohmann::json::parse(drift.out);
  BOOST_TEST_REQUIRE(d.at("drift").size() == 1u);
  BOOST_TEST(d.at("drift")[0].at("migration").get<std::string>() == "0003_change_requests");
  BOOST_TEST(d.at("drift")[0].at("problem").get<std::string>() == "changed");
  write_file(dir / "sql/0013_broken.up.sql", "CREATE TRIGGER t AFTER INSERT ON projects BEGIN\n SELECT 1;\n");
  RunResult bad = run_runner({"validate", "-d", "sqlite:v.db"}, dir.path());
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(contains(bad.err, "sql/0013_broken.up.sql:1: statement never ends"), bad.err);
}

BOOST_AUTO_TEST_SUITE_END()
