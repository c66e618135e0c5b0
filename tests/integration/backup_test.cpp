// SPDX-License-Identifier: MIT
// upgrade --backup and restore: a copy of each database taken under the run lock before its first
// pending migration, pruned with --keep, and put back by `restore` after it is checked.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

void write_set(const TempDir& dir) {
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id integer);\nINSERT INTO a VALUES (1);\n");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (id integer);\n");
  write_file(dir / "sql/0003_drop_a.up.sql", "DROP TABLE a;\n");
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backup)

BOOST_AUTO_TEST_CASE(a_backup_before_the_first_pending_migration_and_restore_sqlite) {
  TempDir dir;
  write_set(dir);
  TestDatabase db = sqlite_database(dir, "data/project_7.db");
  // A database that does not exist yet has nothing to back up.
  RunResult first = run(dir, db, {"upgrade", "1", "--backup"});
  BOOST_TEST_REQUIRE(first.exit_code == 0, first.err);
  BOOST_TEST(files_in(dir / "data/backups").empty());

  RunResult up = run(dir, db, {"upgrade", "--backup"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const auto backups = files_in(dir / "data/backups");
  BOOST_TEST_REQUIRE(backups.size() == 1u);
  const std::string name = backups[0].filename().string();
  BOOST_TEST(name.rfind("project_7.v1.", 0) == 0u, name);  // the project, the version it holds, then the time
  BOOST_TEST(name.substr(name.size() - 4) == "Z.db", name);
  BOOST_TEST(contains(up.out, "backed up to " + (dir / "data/backups" / name).string()), up.out);
  // The copy is the database as it was before the run: a's row, no b, version 1.
  const TestDatabase copy = sqlite_database(dir, "data/backups/" + name);
  BOOST_TEST(history_versions(copy) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(copy.probe()->tables() == (std::vector<std::string>{"a"}), boost::test_tools::per_element());

  // Nothing to do: no backup.
  BOOST_TEST(run(dir, db, {"upgrade", "--backup"}).exit_code == 0);
  BOOST_TEST(files_in(dir / "data/backups").size() == 1u);

  // restore: says what it would do without --yes (exit 2), checks with --dry-run (exit 0), then puts it back.
  RunResult ask = run(dir, db, {"restore", backups[0].string()});
  BOOST_TEST(ask.exit_code == 2, ask.err);
  BOOST_TEST(contains(ask.out, "add --yes to restore"), ask.out);
  BOOST_TEST(run(dir, db, {"restore", backups[0].string(), "--dry-run"}).exit_code == 0);
  BOOST_TEST(history_versions(db).size() == 3u);
  RunResult restore = run(dir, db, {"restore", backups[0].string(), "--yes"});
  BOOST_TEST_REQUIRE(restore.exit_code == 0, restore.err);
  BOOST_TEST(contains(restore.out, "now at 1_a"), restore.out);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM a") == 1);
  // ... and the database goes on from there.
  BOOST_TEST(run(dir, db, {"upgrade"}).exit_code == 0);
  BOOST_TEST(history_versions(db).size() == 3u);
}

BOOST_AUTO_TEST_CASE(restore_refuses_what_is_not_a_runner_backup_sqlite) {
  TempDir dir;
  write_set(dir);
  TestDatabase db = sqlite_database(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  write_file(dir / "text.db", "not a database\n");
  TestDatabase plain = sqlite_database(dir, "plain.db");
  plain.probe()->execute("CREATE TABLE t (x integer)");
  for (const auto& [file, message] : std::vector<std::pair<std::string, std::string>>{
           {"text.db", "text.db is not a sqlite database runner recognises"},
           {"plain.db", "plain.db holds no runner_history: it is not a backup runner made"},
           {"missing.db", "missing.db is not a file"},
           {"sql", "sql is not a file"}}) {
    RunResult r = run(dir, db, {"restore", file, "--yes"});
    BOOST_TEST(r.exit_code == 2, file << ": " << r.err);
    BOOST_TEST(contains(r.err, message), r.err);
  }
  BOOST_TEST(history_versions(db).size() == 3u);  // untouched
}

BOOST_AUTO_TEST_CASE(keep_prunes_to_the_newest_backups_sqlite) {
  TempDir dir;
  write_set(dir);
  TestDatabase db = sqlite_database(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "2", "--backup=kept", "--keep", "2"}).exit_code == 0);
  BOOST_TEST_REQUIRE(run(dir, db, {"downgrade", "1"}).exit_code == 2);  // no down files: stay as is
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "3", "--backup=kept", "--keep", "2"}).exit_code == 0);
  db.probe()->execute("DELETE FROM runner_history WHERE version = 3");
  db.probe()->execute("CREATE TABLE a (id integer)");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "--backup=kept", "--keep", "2"}).exit_code == 0);
  const auto kept = files_in(dir / "kept");
  BOOST_TEST_REQUIRE(kept.size() == 2u);
  BOOST_TEST(contains(kept[0].filename().string(), ".v2."), kept[0]);   // the v1 one went first
  BOOST_TEST(run(dir, db, {"upgrade", "--keep", "2"}).exit_code == 2);  // --keep without --backup
}

BOOST_AUTO_TEST_CASE(all_projects_back_up_only_what_has_work_and_restore_by_version_sqlite) {
  TempDir dir;
  write_set(dir);
  for (int n = 1; n <= 3; ++n) {
    TestDatabase p = sqlite_database(dir, "data/project_" + std::to_string(n) + ".db");
    BOOST_TEST_REQUIRE(run(dir, p, {"upgrade", n == 3 ? "3" : "1"}).exit_code == 0);
  }
  RunResult up = run_runner({"upgrade", "--all-projects", "--backup", "--json"}, dir.path());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  auto j = nlohmann::json::parse(up.out);
  BOOST_TEST_REQUIRE(j.size() == 3u);
  BOOST_TEST(contains(j[0].value("backup", ""), "data/backups/project_1.v1."), up.out);
  BOOST_TEST(contains(j[1].value("backup", ""), "data/backups/project_2.v1."), up.out);
  BOOST_TEST(!j[2].contains("backup"), up.out);  // at head already: nothing to apply, no backup
  BOOST_TEST(files_in(dir / "data/backups").size() == 2u);

  RunResult restore = run_runner({"restore", "--all-projects", "--to-version", "1", "--yes"}, dir.path());
  BOOST_TEST(restore.exit_code == 2, restore.err);  // project 3 has no backup at 1 (refused); the others go on
  BOOST_TEST(contains(restore.err, "project 3: no backup at version 1"), restore.err);
  BOOST_TEST(history_versions(sqlite_database(dir, "data/project_1.db")).size() == 1u);
  BOOST_TEST(history_versions(sqlite_database(dir, "data/project_2.db")).size() == 1u);
  BOOST_TEST(history_versions(sqlite_database(dir, "data/project_3.db")).size() == 3u);
  BOOST_TEST(run_runner({"restore", "--all-projects"}, dir.path()).exit_code == 2);  // which version?
}

BOOST_AUTO_TEST_CASE(pg_dump_of_the_schema_pg) {
  TempDir dir;
  write_set(dir);
  TestDatabase db = pg_database("bk");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  // No pg_dump on PATH: refused before anything runs.
  RunResult missing = run_runner({"upgrade", "--backup=dumps", "-d", db.url}, dir.path(), {{"PATH", "/nonexistent"}});
  BOOST_TEST(missing.exit_code == 2, missing.err);
  BOOST_TEST(contains(missing.err, "runs pg_dump, which is not installed"), missing.err);
  BOOST_TEST(history_versions(db).size() == 1u);

  RunResult up = run(dir, db, {"upgrade", "--backup=dumps"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const auto dumps = files_in(dir / "dumps");
  BOOST_TEST_REQUIRE(dumps.size() == 1u);
  BOOST_TEST(dumps[0].filename().string().rfind(db.schema + ".v1.", 0) == 0u, dumps[0]);
  // A pg_dump custom archive of the schema as it was: table a, its row, version 1.
  const std::string list = "pg_restore --list " + dumps[0].string() + " > " + (dir / "list.txt").string();
  BOOST_TEST_REQUIRE(std::system(list.c_str()) == 0);
  const std::string toc = read_file(dir / "list.txt");
  BOOST_TEST(contains(toc, "TABLE " + db.schema + " a "), toc);
  BOOST_TEST(!contains(toc, "TABLE " + db.schema + " b "), toc);
  // restore says how to restore it by hand.
  RunResult restore = run(dir, db, {"restore", dumps[0].string(), "--yes"});
  BOOST_TEST(restore.exit_code == 2, restore.err);
  BOOST_TEST(contains(restore.err, "pg_restore --clean --if-exists --single-transaction"), restore.err);
}

BOOST_AUTO_TEST_SUITE_END()
