// SPDX-License-Identifier: MIT
// Other tools' real folders (../shared/corpus), imported: runner applies the imported set, and the
// schema it leaves equals what the database's own client (psql, sqlite3) leaves from the original
// files run the way their tool runs them, compared by catalog.
#include "runner/base/subprocess.hpp"
#include "tests/integration/integration_fixture.hpp"
#include "tests/support/catalog_text.hpp"

#include <algorithm>

using namespace runner::test;

namespace {

// One file's SQL through the database's own client, as the upstream tool would send it.
void raw_run(const TempDir& dir, const TestDatabase& db, const std::string& sql, bool one_transaction) {
  const fs::path file = dir / "raw_step.sql";
  write_file(file, sql);
  std::vector<std::string> argv =
      db.sqlite_file.empty()
          ? std::vector<std::string>{"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url, "-f", file.string()}
          : std::vector<std::string>{"sqlite3", "-bail", db.sqlite_file, ".read " + file.string()};
  if (one_transaction && db.sqlite_file.empty()) argv.insert(argv.begin() + 1, "-1");
  const runner::ProcessResult r = runner::run_process(argv, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, runner::command_line(argv) + ": " + r.err + r.out);
}

std::vector<std::string> catalog(const TestDatabase& db) {
  auto probe = db.probe();
  return db.sqlite_file.empty() ? postgresql_catalog(*probe, db.schema) : sqlite_catalog(*probe);
}

// The .sql files of `dir` by name, keeping those `keep` accepts.
std::vector<fs::path> files_by_name(const fs::path& dir, bool (*keep)(const std::string&)) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (keep(e.path().filename().string())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Imports `from` as `format` into dir/sql, applies it with runner, and returns what import said.
RunResult import_and_upgrade(const TempDir& dir, const TestDatabase& db, const std::string& format,
                             const fs::path& from, std::size_t migrations) {
  std::vector<std::string> args{"import", format, "--from", from.string(), "-s", "sql"};
  if (!db.sqlite_file.empty()) args.insert(args.end(), {"--dialect", "sqlite"});
  RunResult imported = run_runner(args, dir.path());
  BOOST_TEST_REQUIRE(imported.exit_code == 0, imported.err);
  RunResult up = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(db.probe()->history().size() == migrations);
  return imported;
}

void same_schema(const TestDatabase& runner_db, const TestDatabase& raw_db) {
  const auto ours = catalog(runner_db), theirs = catalog(raw_db);
  BOOST_TEST(ours.size() > 10u);
  BOOST_TEST(catalog_difference(theirs, ours).empty(),
             "- only from the raw client, + only from runner:\n" + catalog_difference(theirs, ours));
}

// Copies the corpus files `keep` accepts, for the corpora whose tail needs what the test machine
// lacks (SQLite functions newer than Debian 12's, or the application's own).
fs::path copy_of(const TempDir& dir, const fs::path& from, bool (*keep)(const std::string&)) {
  const fs::path out = dir / "from";
  fs::create_directories(out);
  for (const auto& f : files_by_name(from, keep)) fs::copy_file(f, out / f.filename());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_corpus)

// sql-migrate: both directions in one file; 49 sections notransaction, StatementBegin/End around
// $$ bodies, four files sharing one version.
BOOST_AUTO_TEST_CASE(goalert_sql_migrate_imports_applies_and_adopts_pg,
                     *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase ours = pg_own_database("goalert"), raw = pg_own_database("goalert_raw");
  const fs::path from = corpus_dir() / "target__goalert/postgres";
  RunResult imported = import_and_upgrade(dir, ours, "sql-migrate", from, 280);
  BOOST_TEST(contains(imported.out, "20241108160105-import-river-migration-3.sql -> 20241108160106"), imported.out);
  BOOST_TEST(
      contains(read_file(dir / "sql/20180831132457_user_last_alert_log_indexes.up.sql"), "-- runner:no-transaction"));

  // The reference: each file's up section, as sql-migrate cuts it, through psql.
  std::vector<std::string> ids;
  for (const auto& f : files_by_name(from, [](const std::string& n) { return ends_with(n, ".sql"); })) {
    const std::string text = read_file(f);
    const std::size_t up = text.find("-- +migrate Up"), down = text.find("-- +migrate Down");
    const std::size_t up_end = text.find('\n', up);
    const bool no_transaction = text.substr(up, up_end - up).find("notransaction") != std::string::npos;
    raw_run(dir, raw, text.substr(up_end, down == std::string::npos ? std::string::npos : down - up_end),
            !no_transaction);
    ids.push_back(f.filename().string());
  }
  same_schema(ours, raw);

  // sql-migrate's history of the reference, adopted: every migration recorded, nothing left to run.
  auto probe = raw.probe();
  probe->execute("CREATE TABLE gorp_migrations (id text PRIMARY KEY, applied_at timestamptz)");
  for (const auto& id : ids) probe->execute("INSERT INTO gorp_migrations VALUES (" + sql_literal(id) + ", now())");
  RunResult adopted = run(dir, raw, {"adopt", "sql-migrate"});
  BOOST_TEST_REQUIRE(adopted.exit_code == 0, adopted.err);
  BOOST_TEST(raw.probe()->history().size() == 280u);
  RunResult again = run(dir, raw, {"upgrade"});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(contains(again.out, "nothing to do"), again.out);
}

// plain: authelia's V0001.Name.up.sql.
BOOST_AUTO_TEST_CASE(authelia_plain_imports_and_applies_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase ours = pg_own_database("authelia"), raw = pg_own_database("authelia_raw");
  const fs::path from = corpus_dir() / "authelia__authelia/postgres";
  import_and_upgrade(dir, ours, "plain", from, 26);
  BOOST_TEST(fs::exists(dir / "sql/0001_initial_schema.down.sql"));
  for (const auto& f : files_by_name(from, [](const std::string& n) { return ends_with(n, ".up.sql"); }))
    raw_run(dir, raw, read_file(f), true);
  same_schema(ours, raw);
  // And back down: authelia's downs undo everything.
  RunResult down = run(dir, ours, {"downgrade", "base", "-q"});
  BOOST_TEST(down.exit_code == 0, down.err);
  BOOST_TEST(ours.probe()->tables().empty());
}

// plain: grocy's 0001.sql (no name, no down), triggers with BEGIN ... END bodies, gaps.
BOOST_AUTO_TEST_CASE(grocy_plain_imports_and_applies_on_sqlite, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase ours = sqlite_database(dir), raw = sqlite_database(dir, "raw.db");
  const fs::path from = corpus_dir() / "grocy__grocy/sqlite";
  RunResult imported = import_and_upgrade(dir, ours, "plain", from, 248);
  BOOST_TEST(contains(imported.out, "[no down]"), imported.out);
  BOOST_TEST(fs::exists(dir / "sql/0001.up.sql"));
  for (const auto& f : files_by_name(from, [](const std::string& n) { return ends_with(n, ".sql"); }))
    raw_run(dir, raw, read_file(f), true);
  same_schema(ours, raw);
}

// plain: harness's duplicate versions, _up.sql names and mismatched down names, run the way its
// tool runs them (by whole file name, after its own migrations table).
void harness(const TestDatabase& ours, const TestDatabase& raw, const TempDir& dir, const fs::path& from,
             std::size_t migrations, const std::string& paired) {
  for (const auto* db : {&ours, &raw}) db->probe()->execute("CREATE TABLE migrations (version text NOT NULL)");
  RunResult imported = import_and_upgrade(dir, ours, "plain", from, migrations);
  BOOST_TEST(contains(imported.out, "migrations renumbered"), imported.out);
  BOOST_TEST(contains(imported.out, "\n    0001_create_table_b_spaces.up.sql -> 0"), imported.out);
  BOOST_TEST(contains(imported.out, paired), imported.out);
  for (const auto& f :
       files_by_name(from, [](const std::string& n) { return ends_with(n, ".up.sql") || ends_with(n, "_up.sql"); }))
    raw_run(dir, raw, read_file(f), true);
  same_schema(ours, raw);
}

BOOST_AUTO_TEST_CASE(harness_plain_renumbers_duplicates_pg, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase ours = pg_own_database("harness"), raw = pg_own_database("harness_raw");
  harness(ours, raw, dir, corpus_dir() / "harness__harness/postgres", 209,
          "0026_alter_repo_drop_join_id.down.sql paired with 0026_alter_repo_drop_job_id.up.sql");
}

BOOST_AUTO_TEST_CASE(harness_plain_renumbers_duplicates_on_sqlite, *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase ours = sqlite_database(dir), raw = sqlite_database(dir, "raw.db");
  // 0170 needs unhex(), which SQLite gained in 3.41; Debian 12 has 3.40.
  const fs::path from = copy_of(dir, corpus_dir() / "harness__harness/sqlite",
                                [](const std::string& n) { return n.compare(0, 4, "0170") < 0; });
  std::size_t ups = 0;
  for (const auto& e : fs::directory_iterator(from)) {
    const std::string n = e.path().filename().string();
    ups += ends_with(n, ".up.sql") || ends_with(n, "_up.sql");
  }
  harness(ours, raw, dir, from, ups,
          "0097_update_ar_generic_artifact_tables.down.sql paired with 0097_update_ar_generic_artiface_tables.up.sql");
  BOOST_TEST(contains(read_file(dir / "sql/0001_alter_table_migrations.up.sql"), "-- runner:as-written"));
}

// golang-migrate on SQLite: pocket-id's files set PRAGMA foreign_keys around their own BEGIN ...
// COMMIT; imported as they are, each body runs in runner's transaction with its history row and the
// PRAGMAs outside it, and the schema is the one sqlite3 builds from them. (20250705000000 calls
// normalize(), a function pocket-id registers in its own driver: the proof stops before it.)
BOOST_AUTO_TEST_CASE(pocket_id_golang_migrate_imports_and_applies_on_sqlite,
                     *boost::unit_test::precondition(corpus_present)) {
  TempDir dir;
  TestDatabase ours = sqlite_database(dir), raw = sqlite_database(dir, "raw.db");
  const fs::path from = copy_of(dir, corpus_dir() / "pocket-id__pocket-id/sqlite",
                                [](const std::string& n) { return n.compare(0, 14, "20250705000000") < 0; });
  std::size_t ups = 0;
  for (const auto& f : files_by_name(from, [](const std::string& n) { return ends_with(n, ".up.sql"); })) {
    raw_run(dir, raw, read_file(f), false);
    ++ups;
  }
  RunResult imported = import_and_upgrade(dir, ours, "golang-migrate", from, ups);
  BOOST_TEST(!contains(imported.out, "cannot run inside runner's transaction"), imported.out);
  same_schema(ours, raw);
}

BOOST_AUTO_TEST_SUITE_END()
