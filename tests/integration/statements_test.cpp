// SPDX-License-Identifier: MIT
// Statements reach the database verbatim: the splitter hazards run end to end.
#include "tests/integration/integration_fixture.hpp"

using namespace runner::test;

BOOST_AUTO_TEST_SUITE(statements)

BOOST_AUTO_TEST_CASE(postgresql_bodies_strings_and_slices_run_verbatim_pg) {
  TempDir dir;
  TestDatabase db = pg_database();
  write_file(dir / "sql/0001_hazards.up.sql",
             "\xEF\xBB\xBF-- a BOM, then every hazard\r\n"
             "CREATE TABLE notes (id int PRIMARY KEY, body text, tags int[]);\n"
             "INSERT INTO notes VALUES (1, 'semi;colon and it''s quoted', ARRAY[1,2,3]);\n"
             "INSERT INTO notes VALUES (2, E'escaped\\'; :name', ARRAY[4,5,6]);\n"
             "/* nested /* comment; */ still; */\n"
             "CREATE FUNCTION note_count(p_min int) RETURNS bigint AS $$\n"
             "DECLARE n bigint;\n"
             "BEGIN\n"
             "  SELECT count(*) INTO n FROM notes WHERE id >= p_min; -- :p_min stays as written\n"
             "  RETURN n;\n"
             "END;\n"
             "$$ LANGUAGE plpgsql;\n"
             "DO $body$ BEGIN INSERT INTO notes VALUES (3, 'from DO; :x', ARRAY[7,8]); END $body$;\n"
             "CREATE VIEW first_tags AS SELECT id, tags[1:2] AS head FROM notes\n");
  write_file(dir / "sql/0001_hazards.down.sql",
             "DROP VIEW first_tags;\nDROP FUNCTION note_count(int);\nDROP TABLE notes;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto p = db.probe();
  BOOST_TEST(p->count("SELECT note_count(2)") == 2);
  BOOST_TEST(p->count("SELECT count(*) FROM notes WHERE body = 'semi;colon and it''s quoted'") == 1);
  // (':' || 'name': SOCI itself would rewrite a bare :name, which is why the runner bypasses it.)
  BOOST_TEST(p->count("SELECT count(*) FROM notes WHERE body = 'escaped''; ' || ':' || 'name'") == 1);
  BOOST_TEST(p->count("SELECT count(*) FROM notes WHERE body = 'from DO; :x'") == 1);
  BOOST_TEST(p->count("SELECT head[2] FROM first_tags WHERE id = 2") == 5);
  BOOST_TEST(run(dir, db, {"downgrade", "base"}).exit_code == 0);
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_CASE(sql_standard_function_bodies_and_typos_pg) {
  TempDir dir;
  TestDatabase db = pg_database();
  write_file(dir / "sql/0001_atomic.up.sql",
             "CREATE FUNCTION two() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(db.probe()->count("SELECT " + db.schema + ".two()") == 2);
  // A typo is sent to the server, which names it, rather than being skipped.
  write_file(dir / "sql/0002_typo.up.sql", "CREATE TABLE a (x int);\nSELCT 1;\nCREATE TABLE b (x int);\n");
  RunResult typo = run(dir, db, {"upgrade"});
  BOOST_TEST(typo.exit_code == 1);
  BOOST_TEST(contains(typo.err, "sql/0002_typo.up.sql:2: statement 2 of 3 (line 2) failed: SELCT 1"), typo.err);
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_CASE(sqlite_triggers_and_strings_run_verbatim_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_trigger.up.sql",
             "CREATE TABLE items (id INTEGER PRIMARY KEY, qty int, note text);\n"
             "CREATE TABLE audit (item_id int, what text);\n"
             "CREATE TRIGGER items_audit AFTER INSERT ON items BEGIN\n"
             "  INSERT INTO audit VALUES (NEW.id, CASE WHEN NEW.qty > 0 THEN 'stock;in' ELSE 'empty' END);\n"
             "  UPDATE items SET note = 'seen; ok' WHERE id = NEW.id;\n"
             "END;\n"
             "INSERT INTO items (qty) VALUES (5), (0);\n"
             "-- the last statement has no semicolon\n"
             "INSERT INTO audit VALUES (99, 'it''s; done')");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto p = db.probe();
  BOOST_TEST(p->count("SELECT count(*) FROM audit WHERE what = 'stock;in'") == 1);
  BOOST_TEST(p->count("SELECT count(*) FROM audit WHERE what = 'empty'") == 1);
  BOOST_TEST(p->count("SELECT count(*) FROM items WHERE note = 'seen; ok'") == 2);
  BOOST_TEST(p->count("SELECT count(*) FROM audit WHERE what = 'it''s; done'") == 1);
}

void file_transactions(const TestDatabase& db) {
  TempDir dir;
  // A file that wraps itself in BEGIN/COMMIT runs inside the runner's transaction instead.
  write_file(dir / "sql/0001_wrapped.up.sql", "BEGIN;\nCREATE TABLE w (x int);\nINSERT INTO w VALUES (1);\nCOMMIT;\n");
  write_file(dir / "sql/0002_comments_only.up.sql", "-- nothing to do here;\n/* really; */\n");
  RunResult ok = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(ok.exit_code == 0, ok.err);
  BOOST_TEST(history_versions(db) == (std::vector<std::int64_t>{1, 2}), boost::test_tools::per_element());

  // A COMMIT in the middle would end the runner's transaction half-way: refused at plan time.
  write_file(dir / "sql/0003_split.up.sql", "CREATE TABLE s1 (x int);\nCOMMIT;\nCREATE TABLE s2 (x int);\n");
  RunResult refused = run(dir, db, {"upgrade"});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(contains(refused.err, "sql/0003_split.up.sql:2: statement 2 controls the transaction"), refused.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"w"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_own_transaction_and_comment_only_files_sqlite) {
  TempDir dir;
  file_transactions(sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(a_file_own_transaction_and_comment_only_files_pg) { file_transactions(pg_database()); }

BOOST_AUTO_TEST_CASE(schema_names_needing_quotes_pg) {
  TempDir dir;
  TestDatabase db;
  db.pg_base = pg_url();
  db.schema = unique_name("Project \"Quoted\"");
  db.url = db.pg_base + "?schema=" + [&] {
    std::string enc;
    for (char c : db.schema) enc += c == ' ' ? std::string("%20") : c == '"' ? std::string("%22") : std::string(1, c);
    return enc;
  }();
  fs::copy(sample_sql_dir(), dir / "sql");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(db.probe()->tables().size() == 8u);
  BOOST_TEST(db.probe()->history().size() == 12u);
  BOOST_TEST(run(dir, db, {"downgrade", "base"}).exit_code == 0);
  BOOST_TEST(db.probe()->tables().empty());
}

BOOST_AUTO_TEST_SUITE_END()
