// SPDX-License-Identifier: MIT
// One migration set in PostgreSQL's DDL on both databases: enums, constraint and column changes
// (table rebuilds on SQLite), the refusals that keep data, and plan-time refusals.
#include "tests/integration/integration_fixture.hpp"

using namespace runner::test;

namespace {

bool accepts(const TestDatabase& db, const std::string& sql) {
  try {
    db.probe()->execute(sql);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool is_pg(const TestDatabase& db) { return db.sqlite_file.empty(); }

void enum_lifecycle(const TempDir& dir, const TestDatabase& db) {
  write_file(dir / "sql/0001_moods.up.sql",
             "CREATE TYPE mood AS ENUM ('a', 'b');\n"
             "CREATE TABLE t (id serial PRIMARY KEY, m mood NOT NULL DEFAULT 'a', note text);\n"
             "CREATE INDEX t_m_idx ON t (m);\n"
             "CREATE TABLE child (id serial PRIMARY KEY, t_id integer NOT NULL REFERENCES t (id));\n");
  write_file(dir / "sql/0001_moods.down.sql", "DROP TABLE child;\nDROP TABLE t;\nDROP TYPE mood;\n");
  write_file(dir / "sql/0002_add_c.up.sql", "ALTER TYPE mood ADD VALUE 'c' AFTER 'b';\n");
  write_file(dir / "sql/0002_add_c.down.sql", "ALTER TYPE mood DROP VALUE 'c';\n");
  write_file(dir / "sql/0003_rename_a.up.sql", "ALTER TYPE mood RENAME VALUE 'a' TO 'z';\n");
  write_file(dir / "sql/0003_rename_a.down.sql", "ALTER TYPE mood RENAME VALUE 'z' TO 'a';\n");

  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  BOOST_TEST(accepts(db, "INSERT INTO t (m, note) VALUES ('a', 'one')"));
  BOOST_TEST(accepts(db, "INSERT INTO t (m, note) VALUES ('b', 'two')"));
  BOOST_TEST(!accepts(db, "INSERT INTO t (m) VALUES ('c')"));
  BOOST_TEST(accepts(db, "INSERT INTO t (note) VALUES ('default')"));  // DEFAULT 'a', id numbered
  BOOST_TEST(accepts(db, "INSERT INTO child (t_id) VALUES (1)"));

  if (!is_pg(db)) {
    // SQLite's own view and trigger on the table survive its rebuild.
    db.probe()->execute("CREATE VIEW t_notes AS SELECT id, note FROM t");
    db.probe()->execute(
        "CREATE TRIGGER t_touch AFTER INSERT ON t BEGIN UPDATE t SET note = 'touched' "
        "WHERE id = NEW.id AND NEW.note IS NULL; END");
    // A trigger on another table that writes to the rebuilt one.
    db.probe()->execute(
        "CREATE TRIGGER child_marks_parent AFTER INSERT ON child BEGIN UPDATE t SET note = "
        "'has child' WHERE id = NEW.t_id; END");
  }
  RunResult add = run(dir, db, {"upgrade", "2"});
  BOOST_TEST_REQUIRE(add.exit_code == 0, add.err);
  BOOST_TEST(accepts(db, "INSERT INTO t (m, note) VALUES ('c', 'three')"));
  BOOST_TEST(!accepts(db, "INSERT INTO t (m) VALUES ('d')"));
  // Every row, the index and the referencing rows survive the rebuild.
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t") == 4);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t WHERE m = 'a' AND note = 'one'") == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM child WHERE t_id = 1") == 1);
  BOOST_TEST(db.probe()->count(is_pg(db) ? "SELECT count(*) FROM pg_indexes WHERE indexname = 't_m_idx'"
                                         : "SELECT count(*) FROM sqlite_master WHERE name = 't_m_idx'") == 1);
  if (!is_pg(db)) {
    BOOST_TEST(db.probe()->count("SELECT count(*) FROM t_notes") == 4);
    BOOST_TEST(accepts(db, "INSERT INTO t (m) VALUES ('c')"));
    BOOST_TEST(db.probe()->count("SELECT count(*) FROM t WHERE note = 'touched'") == 1);  // the trigger fired
    BOOST_TEST(accepts(db, "DELETE FROM t WHERE note = 'touched'"));
    BOOST_TEST(accepts(db, "INSERT INTO child (t_id) VALUES (2)"));
    BOOST_TEST(db.probe()->count("SELECT count(*) FROM t WHERE id = 2 AND note = 'has child'") == 1);
    BOOST_TEST(accepts(db, "DELETE FROM child WHERE t_id = 2"));
    BOOST_TEST(accepts(db, "UPDATE t SET note = 'two' WHERE id = 2"));
    db.probe()->execute("DROP VIEW t_notes");
    db.probe()->execute("DROP TRIGGER t_touch");
    db.probe()->execute("DROP TRIGGER child_marks_parent");
  }

  // DROP VALUE is refused while a row holds the label, and nothing changes.
  RunResult refused = run(dir, db, {"downgrade", "-1"});
  BOOST_TEST(refused.exit_code == 1);
  BOOST_TEST(contains(refused.err, "sql/0002_add_c.down.sql:1"), refused.err);
  BOOST_TEST(contains(refused.err, "cannot drop value 'c' of type"), refused.err);
  BOOST_TEST(contains(refused.err, "holds it in 1 row"), refused.err);
  BOOST_TEST(history_versions(db).size() == 2u);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t") == 4);

  BOOST_TEST(accepts(db, "DELETE FROM t WHERE m = 'c'"));
  RunResult dropped = run(dir, db, {"downgrade", "-1"});
  BOOST_TEST_REQUIRE(dropped.exit_code == 0, dropped.err);
  BOOST_TEST(!accepts(db, "INSERT INTO t (m) VALUES ('c')"));
  BOOST_TEST(accepts(db, "INSERT INTO t (m, note) VALUES ('b', 'after drop')"));  // default kept, rows kept
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t WHERE m = 'a'") == 2);

  RunResult renamed = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(renamed.exit_code == 0, renamed.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t WHERE m = 'z'") == 2);  // rows follow the rename
  BOOST_TEST(!accepts(db, "INSERT INTO t (m) VALUES ('a')"));
  BOOST_TEST(accepts(db, "INSERT INTO t (m) VALUES ('z')"));

  // DROP TYPE is refused while a column uses it: on SQLite when the run is planned, since the
  // schema the files build already says so.
  write_file(dir / "sql/0004_drop_type.up.sql", "DROP TYPE mood;\n");
  RunResult drop_type = run(dir, db, {"upgrade"});
  BOOST_TEST(drop_type.exit_code == (db.sqlite_file.empty() ? 1 : 2));
  BOOST_TEST(contains(drop_type.err, "sql/0004_drop_type.up.sql:1"), drop_type.err);
  BOOST_TEST(history_versions(db).size() == 3u);
  fs::remove(dir / "sql/0004_drop_type.up.sql");

  BOOST_TEST_REQUIRE(run(dir, db, {"downgrade", "base"}).exit_code == 0);
  BOOST_TEST(db.probe()->tables().empty());
}

// A table with rows that break each new rule; each change is refused and leaves the table as it was.
void constraint_changes(const TempDir& dir, const TestDatabase& db) {
  write_file(dir / "sql/0001_items.up.sql",
             "CREATE TABLE owners (id integer PRIMARY KEY);\n"
             "CREATE TABLE items (\n  id integer PRIMARY KEY,\n  owner_id integer,\n  code text,\n"
             "  qty integer CHECK (qty <> 13),\n  label text\n);\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade"}).exit_code == 0);
  BOOST_TEST(accepts(db, "INSERT INTO owners VALUES (1)"));
  BOOST_TEST(
      accepts(db, "INSERT INTO items VALUES (1, 1, 'x', -1, NULL), (2, 9, 'x', 2, 'b'), (3, NULL, 'y', 3, 'c')"));
  BOOST_TEST(!accepts(db, "INSERT INTO items VALUES (4, 1, 'z', 13, 'd')"));  // the unnamed CHECK

  auto refused = [&](const std::string& file, const std::string& sql, const std::string& constraint) {
    write_file(dir / ("sql/" + file), sql);
    RunResult r = run(dir, db, {"upgrade"});
    BOOST_TEST(r.exit_code == 1, file);
    BOOST_TEST(contains(r.err, "sql/" + file + ":1"), r.err);
    BOOST_TEST(contains(r.err, constraint), r.err);
    if (!is_pg(db)) BOOST_TEST(contains(r.err, "table \"items\""), r.err);
    BOOST_TEST(history_versions(db).size() == 1u);
    BOOST_TEST(db.probe()->count("SELECT count(*) FROM items") == 3);
    fs::remove(dir / ("sql/" + file));
  };
  refused("0002_check.up.sql", "ALTER TABLE items ADD CONSTRAINT items_qty_positive CHECK (qty > 0);\n",
          "items_qty_positive");
  refused("0002_unique.up.sql", "ALTER TABLE items ADD CONSTRAINT items_code_key UNIQUE (code);\n", "items_code_key");
  refused("0002_fk.up.sql", "ALTER TABLE items ADD FOREIGN KEY (owner_id) REFERENCES owners (id);\n",
          "items_owner_id_fkey");
  refused("0002_not_null.up.sql", "ALTER TABLE items ALTER COLUMN label SET NOT NULL;\n", "label");
  refused("0002_type.up.sql", "ALTER TABLE items ALTER COLUMN code TYPE integer USING code::integer;\n", "code");

  // Fixed data: the same changes apply, and the rules hold afterwards.
  BOOST_TEST(accepts(db, "UPDATE items SET qty = 1 WHERE qty < 0"));
  BOOST_TEST(accepts(db, "UPDATE items SET owner_id = 1 WHERE owner_id = 9"));
  BOOST_TEST(accepts(db, "UPDATE items SET label = 'a' WHERE label IS NULL"));
  BOOST_TEST(accepts(db, "UPDATE items SET code = id"));
  write_file(dir / "sql/0002_rules.up.sql",
             "ALTER TABLE items ADD CONSTRAINT items_qty_positive CHECK (qty > 0);\n"
             "ALTER TABLE items ADD CONSTRAINT items_code_key UNIQUE (code);\n"
             "ALTER TABLE items ADD FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE;\n"
             "ALTER TABLE items ALTER COLUMN label SET NOT NULL;\n"
             "ALTER TABLE items ALTER COLUMN label SET DEFAULT 'none';\n"
             "ALTER TABLE items ALTER COLUMN code TYPE integer USING code::integer;\n"
             "CREATE INDEX items_label_idx ON items (label);\n");
  write_file(dir / "sql/0002_rules.down.sql",
             "DROP INDEX items_label_idx;\n"
             "ALTER TABLE items ALTER COLUMN code TYPE text;\n"
             "ALTER TABLE items ALTER COLUMN label DROP DEFAULT;\n"
             "ALTER TABLE items ALTER COLUMN label DROP NOT NULL;\n"
             "ALTER TABLE items DROP CONSTRAINT items_owner_id_fkey;\n"
             "ALTER TABLE items DROP CONSTRAINT items_code_key;\n"
             "ALTER TABLE items DROP CONSTRAINT items_qty_positive;\n");
  RunResult ok = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(ok.exit_code == 0, ok.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM items") == 3);
  BOOST_TEST(!accepts(db, "INSERT INTO items (id, owner_id, code, qty, label) VALUES (5, 1, 50, -5, 'e')"));
  BOOST_TEST(!accepts(db, "INSERT INTO items (id, owner_id, code, qty, label) VALUES (5, 1, 1, 5, 'e')"));
  BOOST_TEST(!accepts(db, "INSERT INTO items (id, owner_id, code, qty, label) VALUES (5, 1, 50, 5, NULL)"));
  BOOST_TEST(accepts(db, "INSERT INTO items (id, owner_id, code, qty) VALUES (5, 1, 50, 5)"));
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM items WHERE id = 5 AND label = 'none'") == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM items WHERE code = 2") == 1);  // converted, not lost
  if (is_pg(db)) {
    BOOST_TEST(!accepts(db, "INSERT INTO items (id, owner_id, code, qty) VALUES (6, 42, 60, 5)"));
  } else {
    BOOST_TEST(db.probe()->count("SELECT count(*) FROM pragma_foreign_key_list('items') WHERE \"table\" = 'owners' "
                                 "AND on_delete = 'CASCADE'") == 1);
  }
  // The down migration names the constraints by PostgreSQL's default names on both databases.
  RunResult down = run(dir, db, {"downgrade", "-1"});
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  BOOST_TEST(accepts(db, "INSERT INTO items (id, owner_id, code, qty, label) VALUES (7, 1, '1', -7, NULL)"));
  fs::remove(dir / "sql/0002_rules.up.sql");
  fs::remove(dir / "sql/0002_rules.down.sql");
  write_file(dir / "sql/0003_drop_unnamed.up.sql", "ALTER TABLE items DROP CONSTRAINT items_qty_check;\n");
  RunResult drop = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(drop.exit_code == 0, drop.err);
  BOOST_TEST(accepts(db, "INSERT INTO items (id, qty) VALUES (8, 13)"));
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM items") == 6);
}

// Text holding dates becomes timestamptz: SQLite keeps each value as it is, PostgreSQL converts it.
void text_to_timestamptz(const TempDir& dir, const TestDatabase& db) {
  write_file(dir / "sql/0001_events.up.sql",
             "CREATE TABLE events (id serial PRIMARY KEY, at text);\n"
             "INSERT INTO events (at) VALUES ('2024-01-02 03:04:05+00'), (NULL);\n");
  write_file(dir / "sql/0002_at_type.up.sql",
             "ALTER TABLE events ALTER COLUMN at TYPE timestamptz USING at::timestamptz;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM events") == 2);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM events WHERE at = '2024-01-02 03:04:05+00'") == 1);
  // A boolean or json column still refuses words that are not one, on both databases.
  write_file(dir / "sql/0003_flags.up.sql",
             "CREATE TABLE flags (id serial PRIMARY KEY, v text, doc text);\n"
             "INSERT INTO flags (v, doc) VALUES ('yes', '{\"a\": 1}'), ('maybe', '{');\n");
  write_file(dir / "sql/0004_v_bool.up.sql", "ALTER TABLE flags ALTER COLUMN v TYPE boolean USING v::boolean;\n");
  write_file(dir / "sql/0005_doc_json.up.sql", "ALTER TABLE flags ALTER COLUMN doc TYPE jsonb USING doc::jsonb;\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "3"}).exit_code == 0);
  RunResult bad_bool = run(dir, db, {"upgrade"});
  BOOST_TEST(bad_bool.exit_code == 1, bad_bool.err);
  BOOST_TEST(history_versions(db).size() == 3u);
  db.probe()->execute("UPDATE flags SET v = 'no' WHERE v = 'maybe'");
  RunResult bad_json = run(dir, db, {"upgrade"});
  BOOST_TEST(bad_json.exit_code == 1, bad_json.err);
  BOOST_TEST(history_versions(db).size() == 4u);
  db.probe()->execute("UPDATE flags SET doc = '{}' WHERE doc = '{'");
  RunResult good = run(dir, db, {"upgrade"});
  BOOST_TEST(good.exit_code == 0, good.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM flags") == 2);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portable_ddl)

BOOST_AUTO_TEST_CASE(text_to_timestamptz_keeps_values_sqlite) {
  TempDir dir;
  text_to_timestamptz(dir, sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(text_to_timestamptz_keeps_values_pg) {
  TempDir dir;
  text_to_timestamptz(dir, pg_database());
}

BOOST_AUTO_TEST_CASE(enums_add_rename_drop_value_sqlite) {
  TempDir dir;
  enum_lifecycle(dir, sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(enums_add_rename_drop_value_pg) {
  TempDir dir;
  enum_lifecycle(dir, pg_database());
}

BOOST_AUTO_TEST_CASE(constraint_and_column_changes_keep_data_sqlite) {
  TempDir dir;
  constraint_changes(dir, sqlite_database(dir));
}
BOOST_AUTO_TEST_CASE(constraint_and_column_changes_keep_data_pg) {
  TempDir dir;
  constraint_changes(dir, pg_database());
}

BOOST_AUTO_TEST_CASE(untranslatable_statement_refused_at_plan_time_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (x int);\n");
  write_file(dir / "sql/0002_seq.up.sql", "CREATE TABLE b (x int);\n\nCREATE SEQUENCE b_seq;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "sql/0002_seq.up.sql:3: no SQLite translation for CREATE SEQUENCE"), r.err);
  BOOST_TEST(contains(r.err, ".sqlite.sql"), r.err);
  BOOST_TEST(!fs::exists(db.sqlite_file));  // refused before anything ran
  // A variant file is the way out.
  write_file(dir / "sql/0002_seq.up.sqlite.sql", "CREATE TABLE b (x int);\n");
  RunResult ok = run(dir, db, {"upgrade"});
  BOOST_TEST(ok.exit_code == 0, ok.err);
  BOOST_TEST(db.probe()->tables() == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(add_value_then_use_refused_at_plan_time_pg) {
  TempDir dir;
  TestDatabase db = pg_database();
  write_file(dir / "sql/0001_t.up.sql", "CREATE TYPE s AS ENUM ('a');\nCREATE TABLE t (v s);\n");
  write_file(dir / "sql/0002_b.up.sql", "ALTER TYPE s ADD VALUE 'b';\nINSERT INTO t VALUES ('b');\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "sql/0002_b.up.sql:2: uses the enum value 'b' that line 1 adds"), r.err);
  BOOST_TEST(contains(r.err, "runner:no-transaction"), r.err);
  BOOST_TEST(db.probe()->tables().empty());  // nothing ran, not even 0001
  write_file(dir / "sql/0002_b.up.sql",
             "-- runner:no-transaction\nALTER TYPE s ADD VALUE 'b';\nINSERT INTO t VALUES ('b');\n");
  RunResult ok = run(dir, db, {"upgrade"});
  BOOST_TEST(ok.exit_code == 0, ok.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM t WHERE v = 'b'") == 1);
}

BOOST_AUTO_TEST_CASE(dry_run_shows_translated_statements_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_t.up.sql", "CREATE TYPE s AS ENUM ('a');\nCREATE TABLE t (id serial PRIMARY KEY, v s);\n");
  write_file(dir / "sql/0002_b.up.sql", "ALTER TYPE s ADD VALUE 'b';\n");
  BOOST_TEST_REQUIRE(run(dir, db, {"upgrade", "1"}).exit_code == 0);
  RunResult r = run(dir, db, {"upgrade", "--dry-run", "-v"});
  BOOST_TEST(r.exit_code == 0, r.err);
  // The rebuild the sqlite plugin would run, worked out against a replayed scratch schema.
  BOOST_TEST(contains(r.out, "CREATE TABLE \"runner_rebuild_t\""), r.out);
  BOOST_TEST(contains(r.out, "CHECK (\"v\" IN ('a', 'b'))"), r.out);
  BOOST_TEST(history_versions(db).size() == 1u);  // nothing ran
  BOOST_TEST(!accepts(db, "INSERT INTO t (v) VALUES ('b')"));
}

// SQLite's own ALTER TABLE forms on a table written in SQLite's own SQL (the plugin cannot read it
// back to rebuild it) run as written, and SQLite judges them.
BOOST_AUTO_TEST_CASE(sqlite_own_alter_on_a_table_written_for_sqlite_runs_as_written_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  write_file(dir / "sql/0001_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT);\n");
  write_file(dir / "sql/0002_b.up.sql",
             "ALTER TABLE a ADD COLUMN y TEXT COLLATE NOCASE;\nALTER TABLE a DROP COLUMN x;\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM pragma_table_info('a') WHERE name = 'y'") == 1);
  BOOST_TEST(db.probe()->count("SELECT count(*) FROM pragma_table_info('a') WHERE name = 'x'") == 0);
  // Anything else on such a table still needs a rebuild the plugin cannot do: named, not guessed.
  write_file(dir / "sql/0003_c.up.sql", "ALTER TABLE a ALTER COLUMN y SET NOT NULL;\n");
  RunResult c = run(dir, db, {"upgrade"});
  BOOST_TEST(c.exit_code == 2);
  BOOST_TEST(contains(c.err, "was created in SQLite's own dialect"), c.err);
}

// -- runner:as-written: the file is SQLite's own SQL; nothing in it is translated (here SQLite's
// nullable TEXT primary key and the default's spelling stay exactly as written).
BOOST_AUTO_TEST_CASE(as_written_file_is_not_translated_sqlite) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  const std::string create = "CREATE TABLE a (id TEXT PRIMARY KEY, b boolean NOT NULL DEFAULT false)";
  write_file(dir / "sql/0001_a.up.sql", "-- runner:as-written\n" + create + ";\n");
  write_file(dir / "sql/0002_b.up.sql", "CREATE TABLE b (id TEXT PRIMARY KEY);\n");
  RunResult r = run(dir, db, {"upgrade"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto rows = db.probe()->rows("SELECT sql FROM sqlite_master WHERE name = 'a'");
  BOOST_TEST(rows.at(0).at(0) == create);
  BOOST_TEST(accepts(db, "INSERT INTO a (id) VALUES (NULL)"));
  // The portable file beside it is translated: PostgreSQL's primary key is NOT NULL.
  BOOST_TEST(!accepts(db, "INSERT INTO b (id) VALUES (NULL)"));
}

BOOST_AUTO_TEST_SUITE_END()
