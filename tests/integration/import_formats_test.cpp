// SPDX-License-Identifier: MIT
// runner import FORMAT for each tool's folder layout and markers, then runner adopt FORMAT over
// that tool's history table: the files runner writes, the schema they build, the history rows
// adopt records, and the refusals (naming file and line, writing nothing).
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

fs::path folder(const TempDir& dir, const std::map<std::string, std::string>& files) {
  const fs::path from = dir / "from";
  fs::create_directories(from);
  for (const auto& [name, text] : files) write_file(from / name, text);
  return from;
}

RunResult import(const TempDir& dir, const std::string& format, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"import", format, "--from",    (dir / "from").string(),
                                "-s",     "sql",  "--dialect", "sqlite"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_runner(args, dir.path());
}

// The files of dir/sql, by name.
std::vector<std::string> written(const TempDir& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir / "sql")) return names;
  for (const auto& e : fs::directory_iterator(dir / "sql")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Imports, upgrades to head, downgrades to base: the round trip a DBA checks first.
void import_up_down(const TempDir& dir, const TestDatabase& db, const std::string& format, std::size_t migrations) {
  RunResult imported = import(dir, format);
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->history().size() == migrations);
  RunResult down = run(dir, db, {"downgrade", "base"});
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  BOOST_TEST(db.probe()->tables().empty());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_formats)

BOOST_AUTO_TEST_CASE(golang_migrate_keeps_versions_and_adopts_schema_migrations) {
  TempDir dir;
  folder(dir, {{"1_users.up.sql", "CREATE TABLE users (id integer PRIMARY KEY);\n"},
               {"1_users.down.sql", "DROP TABLE users;\n"},
               {"3_posts.up.sql", "CREATE TABLE posts (id integer PRIMARY KEY);\n"},
               {"3_posts.down.sql", "DROP TABLE posts;\n"}});
  TestDatabase db = sqlite_database(dir);
  import_up_down(dir, db, "golang-migrate", 2);
  BOOST_TEST(written(dir) == (std::vector<std::string>{"0001_users.down.sql", "0001_users.up.sql",
                                                       "0003_posts.down.sql", "0003_posts.up.sql"}),
             boost::test_tools::per_element());
  BOOST_TEST(contains(read_file(dir / "sql/0003_posts.up.sql"), "-- runner:imported-from golang-migrate 3\n"));

  // A database golang-migrate left at version 1: adopt records 0001, 0003 stays pending.
  TestDatabase app = sqlite_database(dir, "app.db");
  app.probe()->execute("CREATE TABLE users (id integer PRIMARY KEY)");
  app.probe()->execute("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
  app.probe()->execute("INSERT INTO schema_migrations VALUES (1, false)");
  RunResult adopted = run(dir, app, {"adopt", "golang-migrate"});
  BOOST_TEST_REQUIRE(adopted.exit_code == 0, adopted.err);
  BOOST_TEST(history_versions(app) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  RunResult up = run(dir, app, {"upgrade"});
  BOOST_TEST(up.exit_code == 0, up.err);
  BOOST_TEST(app.probe()->tables() == (std::vector<std::string>{"posts", "schema_migrations", "users"}),
             boost::test_tools::per_element());
  // A deploy script that adopts before every upgrade: after runner applied more, nothing to do.
  RunResult again = run(dir, app, {"adopt", "golang-migrate"});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(contains(again.out, "nothing to do"), again.out);
  // And after --drop-source, too.
  RunResult dropped = run(dir, app, {"adopt", "golang-migrate", "--drop-source"});
  BOOST_TEST(dropped.exit_code == 0, dropped.err);
  RunResult once_more = run(dir, app, {"adopt", "golang-migrate"});
  BOOST_TEST(once_more.exit_code == 0, once_more.err);
  BOOST_TEST(contains(once_more.out, "schema_migrations is gone"), once_more.out);
}

BOOST_AUTO_TEST_CASE(dbmate_sections_and_transaction_false) {
  TempDir dir;
  folder(dir, {{"20240101000000_users.sql",
                "-- migrate:up\nCREATE TABLE users (id integer PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE users;\n"},
               {"20240102000000_index.sql",
                "-- migrate:up transaction:false\nCREATE INDEX users_id ON users (id);\n-- migrate:down\n"
                "DROP INDEX users_id;\n"}});
  TestDatabase db = sqlite_database(dir);
  import_up_down(dir, db, "dbmate", 2);
  const std::string up = read_file(dir / "sql/20240102000000_index.up.sql");
  BOOST_TEST(contains(up, "-- runner:no-transaction\n"), up);
  BOOST_TEST(contains(up, "CREATE INDEX users_id ON users (id);\n"), up);
  BOOST_TEST(!contains(up, "migrate:"), up);
  BOOST_TEST(!contains(read_file(dir / "sql/20240102000000_index.down.sql"), "no-transaction"));

  TestDatabase app = sqlite_database(dir, "app.db");
  app.probe()->execute("CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)");
  app.probe()->execute("INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240102000000')");
  RunResult adopted = run(dir, app, {"adopt", "dbmate", "--dry-run"});
  BOOST_TEST(adopted.exit_code == 0, adopted.err);
  BOOST_TEST(contains(adopted.out, "would record 20240102000000_index"), adopted.out);
  BOOST_TEST(app.probe()->count("SELECT count(*) FROM sqlite_master WHERE name = 'runner_history'") == 0);
}

BOOST_AUTO_TEST_CASE(goose_statement_blocks_and_no_transaction) {
  TempDir dir;
  folder(dir, {{"00001_users.sql",
                "-- +goose Up\nCREATE TABLE users (id integer PRIMARY KEY, n integer);\n"
                "-- +goose StatementBegin\nCREATE TRIGGER users_n AFTER INSERT ON users BEGIN\n"
                "  UPDATE users SET n = 1 WHERE id = NEW.id;\nEND;\n-- +goose StatementEnd\n"
                "-- +goose Down\nDROP TABLE users;\n"},
               {"00002_more.sql",
                "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE more (x integer);\n"
                "-- +goose Down\nDROP TABLE more;\n"}});
  TestDatabase db = sqlite_database(dir);
  import_up_down(dir, db, "goose", 2);
  // NO TRANSACTION is for both directions; the block's statement is kept byte for byte.
  BOOST_TEST(contains(read_file(dir / "sql/00002_more.down.sql"), "-- runner:no-transaction"));
  BOOST_TEST(contains(
      read_file(dir / "sql/00001_users.up.sql"),
      "CREATE TRIGGER users_n AFTER INSERT ON users BEGIN\n  UPDATE users SET n = 1 WHERE id = NEW.id;\nEND;\n"));

  // goose's table: a row per up and per down; the last row of each version counts.
  TestDatabase app = sqlite_database(dir, "app.db");
  app.probe()->execute("CREATE TABLE goose_db_version (id integer PRIMARY KEY, version_id bigint, is_applied boolean)");
  app.probe()->execute("INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), (2, 1), (2, 0)");
  RunResult adopted = run(dir, app, {"adopt", "goose"});
  BOOST_TEST_REQUIRE(adopted.exit_code == 0, adopted.err);
  BOOST_TEST(history_versions(app) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sql_migrate_keys_by_file_name_and_renumbers_shared_versions) {
  TempDir dir;
  folder(dir, {{"20240101-a.sql", "-- +migrate Up\nCREATE TABLE a (x integer);\n-- +migrate Down\nDROP TABLE a;\n"},
               {"20240101-b.sql",
                "-- +migrate Up notransaction\nCREATE TABLE b (x integer);\n"
                "-- +migrate Down\nDROP TABLE b;\n"}});
  TestDatabase db = sqlite_database(dir);
  RunResult imported = import(dir, "sql-migrate");
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  BOOST_TEST(contains(imported.out, "20240101-b.sql -> 20240102"), imported.out);
  BOOST_TEST(contains(read_file(dir / "sql/20240102_b.up.sql"), "-- runner:imported-from sql-migrate 20240101-b.sql"));

  TestDatabase app = sqlite_database(dir, "app.db");
  app.probe()->execute("CREATE TABLE a (x integer)");
  app.probe()->execute("CREATE TABLE gorp_migrations (id text PRIMARY KEY, applied_at datetime)");
  app.probe()->execute("INSERT INTO gorp_migrations VALUES ('20240101-a.sql', CURRENT_TIMESTAMP)");
  RunResult adopted = run(dir, app, {"adopt", "sql-migrate"});
  BOOST_TEST_REQUIRE(adopted.exit_code == 0, adopted.err);
  BOOST_TEST(history_versions(app) == (std::vector<std::int64_t>{20240101}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(flyway_versions_undo_files_and_repeatables) {
  TempDir dir;
  folder(dir, {{"V1__create_users.sql", "CREATE TABLE users (id integer);\n"},
               {"U1__create_users.sql", "DROP TABLE users;\n"},
               {"V1_1__add_posts.sql", "CREATE TABLE posts (id integer);\n"},
               {"V2__add_tags.sql", "CREATE TABLE tags (id integer);\n"}});
  RunResult imported = import(dir, "flyway");
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  BOOST_TEST(written(dir) == (std::vector<std::string>{"0001_create_users.down.sql", "0001_create_users.up.sql",
                                                       "0002_add_posts.up.sql", "0003_add_tags.up.sql"}),
             boost::test_tools::per_element());
  BOOST_TEST(contains(read_file(dir / "sql/0002_add_posts.up.sql"), "-- runner:imported-from flyway 1.1\n"));
  BOOST_TEST(contains(imported.out, "[no down]"), imported.out);

  TestDatabase app = sqlite_database(dir, "app.db");
  app.probe()->execute(
      "CREATE TABLE flyway_schema_history (installed_rank integer, version text, script text, type text, success "
      "boolean)");
  app.probe()->execute(
      "INSERT INTO flyway_schema_history VALUES (1, '1', 'V1__create_users.sql', 'SQL', 1), "
      "(2, '1.1', 'V1_1__add_posts.sql', 'SQL', 1)");
  RunResult adopted = run(dir, app, {"adopt", "flyway"});
  BOOST_TEST_REQUIRE(adopted.exit_code == 0, adopted.err);
  BOOST_TEST(history_versions(app) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());

  // A repeatable migration has no place in runner: refused by name, nothing written.
  TempDir other;
  folder(other, {{"V1__a.sql", "SELECT 1;\n"}, {"R__views.sql", "SELECT 1;\n"}});
  RunResult r = import(other, "flyway");
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "R__views.sql: is a Flyway repeatable migration"), r.err);
  BOOST_TEST(written(other).empty());
}

BOOST_AUTO_TEST_CASE(plain_files_in_every_shape) {
  TempDir dir;
  folder(dir, {{"0001.sql", "CREATE TABLE a (x integer);\n"},
               {"V0002.Add_B.up.sql", "CREATE TABLE b (x integer);\n"},
               {"V0002.Add_B.down.sql", "DROP TABLE b;\n"},
               {"0003_c_up.sql", "CREATE TABLE c (x integer);\n"},
               {"0003_c_down.sql", "DROP TABLE c;\n"},
               {"0003_d.up.sql", "CREATE TABLE d (x integer);\n"}});
  RunResult imported = import(dir, "plain");
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  BOOST_TEST(written(dir) == (std::vector<std::string>{"0001.up.sql", "0002_add_b.down.sql", "0002_add_b.up.sql",
                                                       "0003_c.down.sql", "0003_c.up.sql", "0004_d.up.sql"}),
             boost::test_tools::per_element());
  BOOST_TEST(contains(imported.out, "0003_d.up.sql -> 0004"), imported.out);
  // Written for SQLite: runs as written, no translation.
  BOOST_TEST(contains(read_file(dir / "sql/0001.up.sql"), "-- runner:as-written\n"));
  TestDatabase db = sqlite_database(dir);
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c", "d"}), boost::test_tools::per_element());

  // Importing again brings nothing new; a new file comes in after the last.
  RunResult again = import(dir, "plain");
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(contains(again.out, "nothing to do"), again.out);
}

// A problem is named where the DBA can look: the source's own file and line, not the file runner
// would have written.
BOOST_AUTO_TEST_CASE(problems_are_named_at_the_source_file_and_line) {
  TempDir dir;
  folder(dir, {{"001_x.sql",
                "-- note\n\n-- migrate:up\nCREATE TYPE s AS ENUM ('a');\nCREATE TABLE t (v s);\n"
                "ALTER TYPE s ADD VALUE 'b';\nINSERT INTO t VALUES ('b');\n-- migrate:down\nDROP TABLE t;\n"}});
  RunResult r = run_runner({"import", "dbmate", "--from", (dir / "from").string(), "-s", "sql", "--json"}, dir.path());
  BOOST_TEST(r.exit_code == 2);
  const auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(j["error"]["file"].get<std::string>() == (dir / "from/001_x.sql").generic_string());
  BOOST_TEST(j["error"]["line"] == 7);
  BOOST_TEST(written(dir).empty());

  TempDir links;
  folder(links, {{"1_a.up.sql", "SELECT 1;\n"}});
  fs::create_symlink("/nonexistent/2_b.up.sql", links / "from/2_b.up.sql");
  RunResult dangling = import(links, "golang-migrate");
  BOOST_TEST(dangling.exit_code == 2);
  BOOST_TEST(contains(dangling.err, "2_b.up.sql: is a symbolic link to nothing that can be read"), dangling.err);

  TempDir big;
  folder(big, {{"12345678901234567890_a.up.sql", "SELECT 1;\n"}});
  RunResult huge = import(big, "golang-migrate");
  BOOST_TEST(huge.exit_code == 2);
  BOOST_TEST(contains(huge.err, "version 12345678901234567890 has 20 digits"), huge.err);

  TempDir flyway;
  folder(flyway, {{"V1__a.sql", "CREATE TABLE ${flyway:defaultSchema}.a (x int);\n"},
                  {"V2__b.sql", "SELECT 1;\nSELECT '${flyway:user}';\n"}});
  RunResult builtin =
      run_runner({"import", "flyway", "--from", (flyway / "from").string(), "-s", "sql"}, flyway.path());
  BOOST_TEST(builtin.exit_code == 2);
  BOOST_TEST(contains(builtin.err, "V2__b.sql:2: Flyway's built-in placeholder ${flyway:user} has no runner value"),
             builtin.err);
  fs::remove(flyway / "from/V2__b.sql");
  RunResult schema = run_runner({"import", "flyway", "--from", (flyway / "from").string(), "-s", "sql"}, flyway.path());
  BOOST_TEST_REQUIRE(schema.exit_code == 0, schema.err);
  BOOST_TEST(contains(read_file(flyway / "sql/0001_a.up.sql"), "CREATE TABLE ${runner.schema}.a (x int);"));
}

// Files whose statements cannot run in runner's transaction (PRAGMA foreign_keys with no BEGIN ...
// COMMIT of their own to keep it outside) say -- runner:no-transaction, reported. pocket-id's shape,
// PRAGMA foreign_keys around the file's own BEGIN ... COMMIT, runs in runner's transaction as it is.
BOOST_AUTO_TEST_CASE(files_that_cannot_run_in_a_transaction_say_so) {
  TempDir dir;
  folder(dir, {{"1_a.up.sql", "CREATE TABLE a (x integer);\n"},
               {"2_b.up.sql", "PRAGMA foreign_keys=OFF;\nCREATE TABLE b (x integer);\nPRAGMA foreign_keys=ON;\n"},
               {"2_b.down.sql", "DROP TABLE b;\n"},
               {"3_c.up.sql",
                "PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE c (x integer);\nCOMMIT;\n"
                "PRAGMA foreign_keys=ON;\n"}});
  RunResult imported = import(dir, "golang-migrate");
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  BOOST_TEST(contains(imported.out, "1 files cannot run inside runner's transaction"), imported.out);
  BOOST_TEST(contains(imported.out, "2_b.up.sql:1: PRAGMA foreign_keys=OFF;"), imported.out);
  BOOST_TEST(contains(read_file(dir / "sql/0002_b.up.sql"), "-- runner:no-transaction\n"));
  BOOST_TEST(!contains(read_file(dir / "sql/0002_b.down.sql"), "no-transaction"));
  BOOST_TEST(!contains(read_file(dir / "sql/0001_a.up.sql"), "no-transaction"));
  BOOST_TEST(!contains(read_file(dir / "sql/0003_c.up.sql"), "no-transaction"));
  TestDatabase db = sqlite_database(dir);
  RunResult up = run(dir, db, {"upgrade"});
  BOOST_TEST(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(wrong_folders_and_markers_are_named_and_nothing_is_written) {
  struct Case {
    std::string format;
    std::map<std::string, std::string> files;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"dbmate",
       {{"001_a.sql", "-- +goose Up\nCREATE TABLE a (x int);\n"}},
       "001_a.sql:2: SQL before the -- migrate:up marker"},
      {"golang-migrate",
       {{"001_a.sql", "-- +goose Up\nCREATE TABLE a (x int);\n"}},
       "001_a.sql: is not a golang-migrate file name (VERSION_title.up.sql / .down.sql) (the folder looks like "
       "goose's: runner import goose"},
      {"goose", {{"001_a.sql", "CREATE TABLE a (x int);\n"}}, "001_a.sql:1: SQL before the -- +goose Up marker"},
      {"goose",
       {{"001_a.sql", "-- +goose Up\nCREATE TABLE a (x int);\n-- +goose Up\nSELECT 1;\n"}},
       "001_a.sql:3: a second -- +goose Up marker (the first is at line 1)"},
      {"goose",
       {{"001_a.sql", "-- +goose Down\nDROP TABLE a;\n-- +goose Up\nCREATE TABLE a (x int);\n"}},
       "001_a.sql:1: a down marker before the -- +goose Up marker"},
      {"goose",
       {{"001_a.sql", "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE a (x int);\n"}},
       "001_a.sql:2: a statement block opened here is never closed"},
      {"goose",
       {{"001_a.sql", "-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE a (x int);\n"}},
       "001_a.sql:2: goose's ENVSUB"},
      {"goose",
       {{"001_a.sql",
         "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE a (x int)\n-- +goose StatementEnd\n"
         "CREATE TABLE b (x int);\n"}},
       "001_a.sql:3: goose sends lines 3-3 as one query, but runner's sqlite splitter reads the block's last "
       "statement as going on past line 3"},
      {"goose",
       {{"001_a.sql", "-- +goose Up\nSELECT 1;\n"}, {"002_b.go", "package x\n"}},
       "002_b.go: is a goose migration written in Go"},
      {"sql-migrate",
       {{"1-a.sql", "-- +migrate Up sometimes\nSELECT 1;\n"}},
       "1-a.sql:1: unknown sql-migrate option 'sometimes'"},
      {"golang-migrate",
       {{"1_a.up.sql", "SELECT 1;\n"}, {"1_b.up.sql", "SELECT 2;\n"}},
       "1_b.up.sql: has version 1, as 1_a.up.sql has: golang-migrate refuses two migrations with one version"},
      {"golang-migrate",
       {{"2_a.down.sql", "SELECT 1;\n"}},
       "2_a.down.sql: is a down file of version 2, which has no up file"},
      {"plain",
       {{"0001_a.up.sql", "SELECT 1;\n"}, {"0001_b.up.sql", "SELECT 1;\n"}, {"0001_c.down.sql", "SELECT 1;\n"}},
       "0001_c.down.sql: is a down file whose up file cannot be told: 2 up files have version 0001"},
      {"plain", {{"notes.sql", "SELECT 1;\n"}}, "notes.sql: is not a plain file name"},
      {"liquibase", {{"a.sql", "SELECT 1;\n"}}, "unknown import format 'liquibase'"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    folder(dir, c.files);
    RunResult r = import(dir, c.format);
    BOOST_TEST(r.exit_code == 2, c.format << ": " << r.err);
    BOOST_TEST(contains(r.err, c.error), c.format << ": " << r.err);
    BOOST_TEST(written(dir).empty(), c.format);
  }
}

BOOST_AUTO_TEST_SUITE_END()
