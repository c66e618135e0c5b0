// SPDX-License-Identifier: MIT
// --sql: the exported script, run by psql or the sqlite3 shell on a fresh database, leaves the same
// schema and the same history rows as runner itself. Same for downgrade.
#include "tests/integration/integration_fixture.hpp"

#include <sys/wait.h>

#include <cstdlib>

using namespace runner::test;

namespace {

// Runs a shell command; returns its stdout. Fails the test on a non-zero exit.
std::string shell(const std::string& command, const TempDir& dir) {
  const fs::path out = dir / "shell.out";
  const std::string full = "cd '" + dir.path().string() + "' && " + command + " > '" + out.string() + "' 2> '" +
                           (dir / "shell.err").string() + "'";
  int rc = std::system(full.c_str());
  BOOST_TEST_REQUIRE(rc == 0, command << "\n" << read_file(dir / "shell.err"));
  return read_file(out);
}

std::string sqlite_schema(const TempDir& dir, const std::string& db) {
  return shell("sqlite3 " + db + " .schema", dir);
}

std::string sqlite_history(const TempDir& dir, const std::string& db) {
  return shell("sqlite3 " + db + " 'SELECT version, name, checksum FROM runner_history ORDER BY version'", dir);
}

// pg_dump of one schema with the schema's name taken out, and pg_dump's per-run \restrict keys dropped.
std::string pg_schema(const TempDir& dir, const std::string& schema) {
  std::string dump = shell("pg_dump --schema-only -n '" + schema + "' '" + pg_url() + "'", dir);
  std::string out;
  std::size_t pos = 0;
  while (pos < dump.size()) {
    std::size_t end = dump.find('\n', pos);
    std::string line = dump.substr(pos, end == std::string::npos ? std::string::npos : end - pos + 1);
    pos = end == std::string::npos ? dump.size() : end + 1;
    if (line.rfind("\\restrict", 0) == 0 || line.rfind("\\unrestrict", 0) == 0) continue;
    for (std::size_t at; (at = line.find(schema)) != std::string::npos;) line.replace(at, schema.size(), "SCHEMA");
    out += line;
  }
  return out;
}

std::string pg_history(const TestDatabase& db) {
  std::string rows;
  for (const auto& r : db.probe()->history())
    rows += std::to_string(r.version) + "|" + r.name + "|" + r.checksum + "\n";
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sql_export)

BOOST_AUTO_TEST_CASE(sqlite_script_equals_online_upgrade_and_downgrade) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  RunResult script = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", "up.sql"}, dir.path());
  BOOST_TEST_REQUIRE(script.exit_code == 0, script.err);
  BOOST_TEST(!fs::exists(dir / "offline.db"));
  shell("sqlite3 -bail offline.db < up.sql", dir);
  BOOST_TEST_REQUIRE(run_runner({"upgrade", "-q", "-d", "sqlite:online.db"}, dir.path()).exit_code == 0);
  BOOST_TEST(sqlite_schema(dir, "offline.db") == sqlite_schema(dir, "online.db"));
  BOOST_TEST(sqlite_history(dir, "offline.db") == sqlite_history(dir, "online.db"));
  BOOST_TEST(sqlite_history(dir, "offline.db").size() > 100u);

  // The script's history rows count: runner itself sees the offline database at head.
  RunResult current = run_runner({"upgrade", "-d", "sqlite:offline.db"}, dir.path());
  BOOST_TEST(contains(current.out, "nothing to do"), current.out + current.err);

  RunResult down = run_runner({"downgrade", "head:0004", "--sql", "--dialect", "sqlite", "-o", "down.sql"}, dir.path());
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  shell("sqlite3 -bail offline.db < down.sql", dir);
  BOOST_TEST_REQUIRE(run_runner({"downgrade", "0004", "-q", "-d", "sqlite:online.db"}, dir.path()).exit_code == 0);
  BOOST_TEST(sqlite_schema(dir, "offline.db") == sqlite_schema(dir, "online.db"));
  BOOST_TEST(sqlite_history(dir, "offline.db") == sqlite_history(dir, "online.db"));

  // Without FROM, a configured database gives it: 0004 here, so 0005..0012 follow.
  RunResult rest = run_runner({"upgrade", "--sql", "-d", "sqlite:online.db"}, dir.path());
  BOOST_TEST(rest.exit_code == 0, rest.err);
  BOOST_TEST(!contains(rest.out, "-- 0004_approvals (up)"));
  BOOST_TEST(contains(rest.out, "-- 0005_task_versions (up)"));

  // A configured database of another dialect does not give FROM: the script starts at base.
  write_file(dir / "runner.ini", "database = sqlite:online.db\n");
  RunResult other = run_runner({"upgrade", "--sql", "--dialect", "postgresql"}, dir.path());
  BOOST_TEST(other.exit_code == 0, other.err);
  BOOST_TEST(contains(other.out, "-- 0001_projects (up)"));
}

BOOST_AUTO_TEST_CASE(postgresql_script_equals_online_upgrade_and_downgrade_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  TestDatabase offline = pg_database("offline");
  TestDatabase online = pg_database("online");
  RunResult script = run_runner(
      {"upgrade", "--sql", "--dialect", "postgresql", "--schema", offline.schema, "-o", "up.sql"}, dir.path());
  BOOST_TEST_REQUIRE(script.exit_code == 0, script.err);
  shell("psql -q -X -v ON_ERROR_STOP=1 '" + pg_url() + "' -f up.sql", dir);
  BOOST_TEST_REQUIRE(run(dir, online, {"upgrade", "-q"}).exit_code == 0);
  BOOST_TEST(pg_schema(dir, offline.schema) == pg_schema(dir, online.schema));
  BOOST_TEST(pg_history(offline) == pg_history(online));
  BOOST_TEST(pg_history(offline).size() > 100u);

  RunResult down = run_runner(
      {"downgrade", "head:base", "--sql", "--dialect", "postgresql", "--schema", offline.schema, "-o", "down.sql"},
      dir.path());
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  shell("psql -q -X -v ON_ERROR_STOP=1 '" + pg_url() + "' -f down.sql", dir);
  BOOST_TEST_REQUIRE(run(dir, online, {"downgrade", "base", "-q"}).exit_code == 0);
  BOOST_TEST(pg_schema(dir, offline.schema) == pg_schema(dir, online.schema));
  BOOST_TEST(offline.probe()->tables().empty());
  BOOST_TEST(pg_history(offline).empty());
}

BOOST_AUTO_TEST_CASE(scripts_reset_the_search_path_and_keep_begin_options_pg) {
  TempDir dir;
  TestDatabase db = pg_own_database("scriptreset");
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\nRESET search_path;\n");
  write_file(dir / "sql/0002_b.up.sql",
             "BEGIN ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE b (level text);\n"
             "INSERT INTO b VALUES (current_setting('transaction_isolation'));\nCOMMIT;\n");
  RunResult r =
      run_runner({"upgrade", "--sql", "--dialect", "postgresql", "--schema", "target", "-o", "up.sql"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  shell("psql -q -X -v ON_ERROR_STOP=1 '" + db.pg_base + "' -f up.sql", dir);
  auto probe = DatabaseProbe::postgresql(db.pg_base, "target");
  BOOST_TEST(probe->count("SELECT count(*) FROM pg_tables WHERE schemaname = 'target' AND tablename IN ('a', 'b')") ==
             2);
  BOOST_TEST(probe->count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0);
  BOOST_TEST(probe->rows("SELECT level FROM target.b")[0][0] == "serializable");
}

BOOST_AUTO_TEST_CASE(a_script_that_cannot_be_written_whole_fails_and_leaves_nothing) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  // A full disk: the script (about 15 kB) cannot grow past 4 kB.
  RunResult full = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", "up.sql"}, dir.path(), {}, 4096);
  BOOST_TEST(full.exit_code == 1);
  BOOST_TEST(contains(full.err, "cannot write up.sql: File too large; nothing was written"), full.err);
  BOOST_TEST(!fs::exists(dir / "up.sql"));
  for (const auto& entry : fs::directory_iterator(dir.path()))
    BOOST_TEST(entry.path().filename().string().rfind(".up.sql", 0) != 0, entry.path());

  // An existing script is replaced only by a whole one.
  write_file(dir / "up.sql", "-- the previous script\n");
  BOOST_TEST(run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", "up.sql"}, dir.path(), {}, 4096).exit_code ==
             1);
  BOOST_TEST(read_file(dir / "up.sql") == "-- the previous script\n");

  RunResult device = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", "/dev/full"}, dir.path());
  BOOST_TEST(device.exit_code == 1);
  BOOST_TEST(contains(device.err, "cannot write /dev/full: No space left on device"), device.err);
  BOOST_TEST(fs::is_character_file("/dev/full"));

  const std::string to_stdout = "'" + runner_binary() + "' upgrade --sql --dialect sqlite -s '" +
                                (dir / "sql").string() + "' > /dev/full 2> '" + (dir / "err").string() + "'";
  int rc = std::system(to_stdout.c_str());
  BOOST_TEST((WIFEXITED(rc) && WEXITSTATUS(rc) == 1));
  BOOST_TEST(contains(read_file(dir / "err"), "cannot write to standard output: No space left on device"));
}

BOOST_AUTO_TEST_CASE(scripts_reach_through_links_and_keep_the_file_mode) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  // -o /dev/stdout with stdout sent to a file: the file gets the script, /dev/stdout stays a link.
  const std::string to_file = "cd '" + dir.path().string() + "' && '" + runner_binary() +
                              "' upgrade --sql --dialect sqlite -o /dev/stdout > out.sql";
  int rc = std::system(to_file.c_str());
  BOOST_TEST((WIFEXITED(rc) && WEXITSTATUS(rc) == 0));
  BOOST_TEST(contains(read_file(dir / "out.sql"), "INSERT INTO runner_history"));
  BOOST_TEST(fs::is_symlink("/dev/stdout"));

  // A link stays a link; the file it points to is replaced, keeping its mode.
  fs::create_directories(dir / "scripts");
  write_file(dir / "scripts/real.sql", "-- old\n");
  fs::permissions(dir / "scripts/real.sql", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  fs::create_symlink("scripts/real.sql", dir / "latest.sql");
  RunResult r = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", "latest.sql"}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(fs::is_symlink(dir / "latest.sql"));
  BOOST_TEST(contains(read_file(dir / "scripts/real.sql"), "INSERT INTO runner_history"));
  BOOST_TEST(static_cast<unsigned>(fs::status(dir / "scripts/real.sql").permissions() & fs::perms::all) == 0640u);
}

BOOST_AUTO_TEST_CASE(scripts_are_never_written_into_the_migration_folder) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string before = read_file(dir / "sql/0001_projects.up.sql");
  for (const char* target : {"sql/0001_projects.up.sql", "sql/0099_x.up.sql", "./sql/../sql/script.sql", "sql"}) {
    RunResult r = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", target}, dir.path());
    BOOST_TEST(r.exit_code == 2, target);
    BOOST_TEST(contains(r.err, std::string("-o ") + target + " is inside the migration folder sql"), r.err);
  }
  RunResult projects = run_runner({"upgrade", "--sql", "--all-projects", "-o", "sql/scripts"}, dir.path());
  BOOST_TEST(projects.exit_code == 2);
  BOOST_TEST(read_file(dir / "sql/0001_projects.up.sql") == before);
  BOOST_TEST(!fs::exists(dir / "sql/0099_x.up.sql"));
  BOOST_TEST(!fs::exists(dir / "sql/scripts"));
  BOOST_TEST(run_runner({"validate", "--dialect", "sqlite"}, dir.path()).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(all_projects_scripts_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  const std::string prefix = unique_name("script");
  for (int n = 1; n <= 3; ++n) {
    TestDatabase db;
    db.pg_base = pg_url();
    db.schema = prefix + "_" + std::to_string(n);
    db.url = db.pg_base + "?schema=" + db.schema;
    BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", std::to_string(n * 3), "-q"}).exit_code == 0);
  }
  RunResult r = run_runner(
      {"upgrade", "--sql", "--all-projects", "-d", pg_url(), "--schema-pattern", prefix + "_*", "-o", "all.sql"},
      dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  shell("psql -q -X -v ON_ERROR_STOP=1 '" + pg_url() + "' -f all.sql", dir);
  for (int n = 1; n <= 3; ++n) {
    TestDatabase db;
    db.pg_base = pg_url();
    db.schema = prefix + "_" + std::to_string(n);
    BOOST_TEST(db.probe()->history().size() == 12u, "schema " << db.schema);
  }
}

BOOST_AUTO_TEST_CASE(all_projects_scripts_sqlite_one_file_each) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  for (int n = 1; n <= 3; ++n)
    BOOST_TEST_REQUIRE(
        run_runner({"upgrade", std::to_string(n * 2), "-q", "-d", "sqlite:data/project_" + std::to_string(n) + ".db"},
                   dir.path())
            .exit_code == 0);
  BOOST_TEST(run_runner({"upgrade", "--sql", "--all-projects"}, dir.path()).exit_code == 2);  // needs -o DIR
  RunResult r = run_runner({"upgrade", "--sql", "--all-projects", "-o", "scripts"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  for (int n = 1; n <= 3; ++n) {
    const std::string name = "project_" + std::to_string(n) + ".db";
    BOOST_TEST_REQUIRE(fs::exists(dir / "scripts" / ("project_" + std::to_string(n) + ".sql")));
    shell("sqlite3 data/" + name + " < scripts/project_" + std::to_string(n) + ".sql",
          dir);  // .bail on is in the script
    BOOST_TEST(sqlite_history(dir, "data/" + name).size() > 100u);
  }
  BOOST_TEST(sqlite_schema(dir, "data/project_1.db") == sqlite_schema(dir, "data/project_3.db"));
}

BOOST_AUTO_TEST_CASE(scripts_stop_at_a_failure_and_keep_statements_apart) {
  TempDir dir;
  // The last statement has no ';' and ends in a comment; the second migration fails.
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1) -- seed");
  write_file(dir / "sql/0002_b.up.sql",
             "-- runner:no-transaction\nCREATE TABLE b (x int);\nINSERT INTO nowhere VALUES (1);\n");
  RunResult r = run_runner({"upgrade", "--sql", "--dialect", "sqlite", "-o", "up.sql"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  // Run without -bail: the script's own .bail on stops it at the failure.
  std::string cmd = "cd '" + dir.path().string() + "' && sqlite3 off.db < up.sql > /dev/null 2>&1";
  BOOST_TEST(std::system(cmd.c_str()) != 0);
  BOOST_TEST(sqlite_history(dir, "off.db") == "1|a|" + file_sha256(dir / "sql/0001_a.up.sql") + "\n");
  BOOST_TEST(DatabaseProbe::sqlite((dir / "off.db").string())->count("SELECT count(*) FROM a") == 1);
}

BOOST_AUTO_TEST_CASE(names_cannot_escape_script_comments) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "data/project_9\nSELECT 42;--.db", "");
  RunResult r = run_runner({"upgrade", "--sql", "--all-projects", "-o", "scripts"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  std::string script;
  for (const auto& e : fs::directory_iterator(dir / "scripts")) script += read_file(e.path());
  BOOST_TEST(!contains(script, "\nSELECT 42;"), script);
}

// A SQLite rebuild's copy enforces NOT NULL, CHECK and UNIQUE by itself; a new foreign key (with
// foreign keys off) and a type conversion it would not. The script checks those rows itself before
// copying, and stops there with the database as it was.
BOOST_AUTO_TEST_CASE(sqlite_scripts_stop_on_rows_a_rebuild_would_not_check) {
  TempDir dir;
  write_file(
      dir / "sql/0001_t.up.sql",
      "CREATE TABLE p (id integer PRIMARY KEY);\nCREATE TABLE c (id integer PRIMARY KEY, p_id integer, qty text);\n");
  write_file(dir / "sql/0002_fk.up.sql", "ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);\n");
  write_file(dir / "sql/0003_qty.up.sql", "ALTER TABLE c ALTER COLUMN qty TYPE integer USING qty::integer;\n");
  TestDatabase db = sqlite_database(dir, "off.db");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  db.probe()->execute("INSERT INTO p (id) VALUES (1)");
  db.probe()->execute("INSERT INTO c (id, p_id, qty) VALUES (1, 1, '5'), (2, 99, 'abc')");
  RunResult r = run(dir, db, {"upgrade", "--sql", "-o", "up.sql"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto run_script = [&] {
    const std::string cmd = "cd '" + dir.path().string() + "' && sqlite3 off.db < up.sql > /dev/null 2> script.err";
    return std::system(cmd.c_str());
  };

  BOOST_TEST(run_script() != 0);
  BOOST_TEST(contains(read_file(dir / "script.err"), "c_p_id_fkey: rows of c reference a missing row of p"),
             read_file(dir / "script.err"));
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}));
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM pragma_foreign_key_list('c')") == 0);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM c") == 2);

  db.probe()->execute("UPDATE c SET p_id = 1 WHERE id = 2");
  BOOST_TEST(run_script() != 0);
  BOOST_TEST(contains(read_file(dir / "script.err"), "c.qty: rows hold values that do not convert to integer"),
             read_file(dir / "script.err"));
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}));  // 0002 committed before
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM c WHERE qty = 'abc'") == 1);

  // From 0002 on, with the row fixed, the rest of the script runs.
  db.probe()->execute("UPDATE c SET qty = '7' WHERE id = 2");
  r = run(dir, db, {"upgrade", "--sql", "-o", "up.sql"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(run_script() == 0, read_file(dir / "script.err"));
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2, 3}));
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM c WHERE typeof(qty) = 'integer'") == 2);
}

// Ids that differ only in characters a file name cannot keep would share a script: refused, with
// no script written over another.
BOOST_AUTO_TEST_CASE(per_project_script_names_never_collide) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);");
  write_file(dir / "data/project_a b.db", "");
  write_file(dir / "data/project_a_b.db", "");
  RunResult r = run_runner({"upgrade", "--sql", "--all-projects", "-o", "scripts"}, dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "two projects would both write project_a_b.sql"), r.err);
  BOOST_TEST(!fs::exists(dir / "scripts"));
}

BOOST_AUTO_TEST_SUITE_END()
