// SPDX-License-Identifier: MIT
// runner explain FILE: a migration's statements as they will run on a dialect, translations shown
// beside what the file says, without touching any database.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

// explain without a database: only the dialect is named.
RunResult explain(const TempDir& dir, const std::string& dialect, std::vector<std::string> extra) {
  std::vector<std::string> args = {"explain"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {"--dialect", dialect, "-s", "sql"});
  return run_runner(args, dir.path());
}

void write_enum_set(const TempDir& dir) {
  write_file(dir / "sql/0001_t.up.sql",
             "CREATE TYPE s AS ENUM ('a');\nCREATE TABLE t (id serial PRIMARY KEY, v s NOT NULL);\n"
             "CREATE INDEX t_v_idx ON t (v);\n");
  write_file(dir / "sql/0001_t.down.sql", "DROP TABLE t;\nDROP TYPE s;\n");
  write_file(dir / "sql/0002_b.up.sql", "-- b comes after a\nALTER TYPE s ADD VALUE 'b';\n");
  write_file(dir / "sql/0002_b.down.sql", "ALTER TYPE s DROP VALUE 'b';\n");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(explain_command)

BOOST_AUTO_TEST_CASE(sqlite_shows_the_rebuild_an_add_value_becomes_and_it_is_what_runs) {
  TempDir dir;
  write_enum_set(dir);
  RunResult r = explain(dir, "sqlite", {"sql/0002_b.up.sql"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(
      contains(r.out,
               "-- sql/0002_b.up.sql:2\n-- written as:\n--   -- b comes after a\n--   ALTER TYPE s ADD VALUE 'b';"),
      r.out);
  BOOST_TEST(contains(r.out, "CREATE TABLE \"runner_rebuild_t\""), r.out);
  BOOST_TEST(contains(r.out, "CHECK (\"v\" IN ('a', 'b'))"), r.out);
  BOOST_TEST(contains(r.out, "against the schema at 0001_t"), r.out);
  BOOST_TEST(!fs::exists(dir / "data"));  // connects to nothing

  // The statements explain lists, run by hand on a database at 0001, do what the upgrade does.
  RunResult j = explain(dir, "sqlite", {"0002_b.up.sql", "--json"});
  BOOST_TEST_REQUIRE(j.exit_code == 0, j.err);
  nlohmann::json doc = nlohmann::json::parse(j.out);
  BOOST_TEST(doc["direction"] == "up");
  BOOST_TEST(doc["after"] == "0001_t");
  BOOST_TEST_REQUIRE(doc["statements"].size() == 1u);
  BOOST_TEST(doc["statements"][0]["line"] == 2);
  BOOST_TEST(doc["statements"][0]["translated"] == true);
  TestDatabase db = sqlite_database(dir);
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  db.probe()->execute("INSERT INTO t (v) VALUES ('a')");
  for (const auto& sql : doc["statements"][0]["runs"]) db.probe()->execute(sql.get<std::string>());
  db.probe()->execute("INSERT INTO t (v) VALUES ('b')");
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t") == 2);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM sqlite_master WHERE name = 't_v_idx'") == 1);
}

BOOST_AUTO_TEST_CASE(down_file_and_untranslated_statements) {
  TempDir dir;
  write_enum_set(dir);
  // PostgreSQL runs DROP VALUE as one DO block; the down file is explained with 0002 applied.
  RunResult pg = explain(dir, "postgresql", {"sql/0002_b.down.sql"});
  BOOST_TEST_REQUIRE(pg.exit_code == 0, pg.err);
  BOOST_TEST(contains(pg.out, "0002_b (down) on postgresql"), pg.out);
  BOOST_TEST(contains(pg.out, "--   ALTER TYPE s DROP VALUE 'b';"), pg.out);
  BOOST_TEST(contains(pg.out, "DO $runner_drop_value$"), pg.out);
  // Statements that need nothing run as written, each under its file:line.
  // A translation can be nothing (SQLite keeps no comments); the statements after it keep their own.
  write_file(dir / "sql/0003_note.up.sql", "COMMENT ON TABLE t IS 'things';\nCREATE INDEX t_id_idx ON t (id);\n");
  RunResult note = explain(dir, "sqlite", {"0003_note.up.sql"});
  BOOST_TEST_REQUIRE(note.exit_code == 0, note.err);
  BOOST_TEST(contains(note.out, "--   COMMENT ON TABLE t IS 'things';\n-- runs as nothing on sqlite\n"), note.out);
  BOOST_TEST(contains(note.out, "-- sql/0003_note.up.sql:2\nCREATE INDEX t_id_idx ON t (id);\n"), note.out);
  RunResult plain = explain(dir, "postgresql", {"sql/0001_t.up.sql"});
  BOOST_TEST_REQUIRE(plain.exit_code == 0, plain.err);
  BOOST_TEST(contains(plain.out, "3 statements, in one transaction; each runs as written."), plain.out);
  BOOST_TEST(contains(plain.out, "-- sql/0001_t.up.sql:3\nCREATE INDEX t_v_idx ON t (v);\n"), plain.out);
  BOOST_TEST(!contains(plain.out, "written as"), plain.out);
}

BOOST_AUTO_TEST_CASE(a_plain_file_with_a_variant_explains_the_variant) {
  TempDir dir;
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id bigserial PRIMARY KEY);\n");
  write_file(dir / "sql/0001_a.up.sqlite.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);\n");
  RunResult r = explain(dir, "sqlite", {"sql/0001_a.up.sql"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "on sqlite this migration runs sql/0001_a.up.sqlite.sql"), r.out);
  BOOST_TEST(contains(r.out, "AUTOINCREMENT"), r.out);
  RunResult pg = explain(dir, "postgresql", {"sql/0001_a.up.sqlite.sql"});
  BOOST_TEST(pg.exit_code == 2);
  BOOST_TEST(contains(pg.err, "a variant for sqlite, not postgresql"), pg.err);
}

BOOST_AUTO_TEST_CASE(wrong_inputs_exit_2_naming_the_file) {
  TempDir dir;
  write_enum_set(dir);
  write_file(dir / "sql/0003_seq.up.sql", "SELECT 1;\nCREATE SEQUENCE counter;\n");
  write_file(dir / "elsewhere/0001_t.up.sql", "SELECT 1;\n");
  write_file(dir / "notes.txt", "x\n");

  RunResult missing = explain(dir, "sqlite", {"sql/0009_none.up.sql"});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(contains(missing.err, "sql/0009_none.up.sql: no such file"), missing.err);
  RunResult outside = explain(dir, "sqlite", {"elsewhere/0001_t.up.sql"});
  BOOST_TEST(outside.exit_code == 2);
  BOOST_TEST(contains(outside.err, "not in the migration folder sql"), outside.err);
  RunResult text = explain(dir, "sqlite", {"notes.txt"});
  BOOST_TEST(text.exit_code == 2);
  BOOST_TEST(contains(text.err, "notes.txt: not a migration file"), text.err);
  RunResult none = explain(dir, "sqlite", {});
  BOOST_TEST(none.exit_code == 2);
  BOOST_TEST(contains(none.err, "usage: runner explain FILE"), none.err);
  // What the sqlite plugin cannot translate is named with its line, as upgrade would.
  RunResult seq = explain(dir, "sqlite", {"sql/0003_seq.up.sql"});
  BOOST_TEST(seq.exit_code == 2);
  BOOST_TEST(contains(seq.err, "sql/0003_seq.up.sql:2"), seq.err);
  BOOST_TEST(contains(seq.err, ".sqlite.sql"), seq.err);
}

BOOST_AUTO_TEST_SUITE_END()
