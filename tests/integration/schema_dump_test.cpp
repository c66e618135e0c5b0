// SPDX-License-Identifier: MIT
// runner dump and upgrade --dump-schema as a DBA uses them: the schema read from the catalog, in a
// stable order, that recreates the database it came from (loaded into an empty one, it dumps to the
// same text), rewritten after each upgrade and downgrade, and clear errors for what cannot be done.
#include "tests/integration/integration_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace runner::test;

namespace {

std::string dump(const TempDir& dir, const TestDatabase& db, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"dump", "-d", db.url};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = run_runner(args, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  return r.out;
}

// Loads a dump into `into` as its one migration, as a user would, and dumps that again.
std::string reload(const TempDir& dir, const std::string& text, const TestDatabase& into,
                   std::vector<std::string> extra = {}) {
  const fs::path folder = dir / ("reload_" + unique_name("d"));
  write_file(folder / "0001_schema.up.sql", text);
  RunResult up = run(dir, into, {"upgrade", "-q"}, folder.string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  return dump(dir, into, extra);
}

void constructs_pg(const TempDir& dir) {
  write_file(
      dir / "sql/0001_constructs.up.sql",
      "CREATE EXTENSION IF NOT EXISTS btree_gist;\n"
      "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
      "CREATE SEQUENCE standalone_seq START 100 INCREMENT 5;\n"
      "CREATE TABLE parent (id bigserial PRIMARY KEY, name text COLLATE \"C\" NOT NULL, m mood DEFAULT 'ok',\n"
      "  total numeric(10,2) GENERATED ALWAYS AS (id * 2) STORED);\n"
      "CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
      "  parent_id bigint REFERENCES parent (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,\n"
      "  during tstzrange, EXCLUDE USING gist (parent_id WITH =, during WITH &&));\n"
      "ALTER TABLE ident ADD CONSTRAINT ident_check CHECK (id > 0) NOT VALID;\n"
      "CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL, payload jsonb) PARTITION BY RANGE (at);\n"
      "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n"
      "CREATE INDEX events_at_idx ON events (at);\n"
      "CREATE UNIQUE INDEX parent_lower_name ON parent (lower(name)) WHERE name <> '';\n"
      "CREATE VIEW v1 AS SELECT id, name FROM parent;\n"
      "CREATE VIEW v0 AS SELECT id FROM v1;\n"
      "CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM parent;\n"
      "CREATE INDEX mv_n ON mv (n);\n"
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
      "CREATE TRIGGER parent_touch BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION touch();\n"
      "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';\n"
      "CREATE TABLE child (extra int) INHERITS (parent);\n"
      "CREATE UNLOGGED TABLE scratch (k text);\n");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_dump)

BOOST_AUTO_TEST_CASE(sample_dumps_and_reloads_to_the_same_text) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  RunResult up = run(dir, db, {"upgrade", "-q"}, sample_sql_dir().string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string text = dump(dir, db);
  BOOST_TEST(!contains(text, "runner_history"));
  BOOST_TEST(!contains(text, "runner_meta"));
  // Enums as the portable CREATE TYPE, which the sqlite dialect translates when the dump is loaded.
  BOOST_TEST(
      contains(text, "CREATE TYPE \"task_status\" AS ENUM ('todo', 'in_progress', 'blocked', 'done', 'cancelled');"));
  BOOST_TEST(contains(text, "CREATE INDEX tasks_status_idx ON tasks (status);"));
  // Tables by name: approvals before tasks, whatever order the migrations made them in.
  BOOST_TEST(text.find("CREATE TABLE \"approvals\"") < text.find("CREATE TABLE \"tasks\""));
  BOOST_TEST(dump(dir, db) == text);
  TestDatabase copy = sqlite_database(dir, "copy.db");
  BOOST_TEST(reload(dir, text, copy) == text);
}

BOOST_AUTO_TEST_CASE(sqlite_constructs_and_sqlite_only_tables_reload_to_the_same_text) {
  TempDir dir;
  write_file(dir / "sql/0001_constructs.up.sql",
             "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
             "CREATE TABLE parent (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, m mood DEFAULT 'ok',\n"
             "  CHECK (length(name) > 0));\n"
             "CREATE TABLE child (id integer PRIMARY KEY, parent_id bigint REFERENCES parent (id) ON DELETE CASCADE);\n"
             "CREATE INDEX child_parent_idx ON child (parent_id);\n"
             "CREATE UNIQUE INDEX parent_lower_name ON parent (lower(name)) WHERE name <> '';\n"
             "CREATE VIEW v1 AS SELECT id, name FROM parent;\n");
  write_file(
      dir / "sql/0002_own.up.sql",
      "CREATE TABLE logs (id INTEGER PRIMARY KEY AUTOINCREMENT, msg, at TEXT DEFAULT (datetime('now')),\n"
      "  n INT GENERATED ALWAYS AS (length(msg)) VIRTUAL, UNIQUE (msg, at));\n"
      "CREATE TRIGGER logs_touch AFTER INSERT ON logs BEGIN UPDATE logs SET msg = msg WHERE id = NEW.id; END;\n");
  TestDatabase db = sqlite_database(dir);
  RunResult up = run(dir, db, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string text = dump(dir, db);
  BOOST_TEST(contains(text, "CREATE TRIGGER logs_touch AFTER INSERT ON logs"));
  BOOST_TEST(contains(text, "CREATE VIEW v1 AS SELECT id, name FROM parent;"));
  BOOST_TEST(!contains(text, "sqlite_sequence"));
  BOOST_TEST(!contains(text, "sqlite_autoindex"));
  TestDatabase copy = sqlite_database(dir, "copy.db");
  BOOST_TEST(reload(dir, text, copy) == text);
}

BOOST_AUTO_TEST_CASE(output_file_json_and_errors) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  RunResult up = run(dir, db, {"upgrade", "-q"}, sample_sql_dir().string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string text = dump(dir, db);
  RunResult to_file = run_runner({"dump", "-d", db.url, "-o", "schema.sql"}, dir.path());
  BOOST_TEST(to_file.exit_code == 0, to_file.err);
  BOOST_TEST(read_file(dir / "schema.sql") == text);
  BOOST_TEST(contains(to_file.out, "written to schema.sql"));
  const auto j = nlohmann::json::parse(dump(dir, db, {"--json"}));
  BOOST_TEST(j.at("sql") == text);
  BOOST_TEST(j.at("dialect") == "sqlite");

  RunResult missing = run_runner({"dump", "-d", "sqlite:" + (dir / "nothere.db").string()}, dir.path());
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(contains(missing.err, "nothere.db: no such database"), missing.err);
  BOOST_TEST(!fs::exists(dir / "nothere.db"));
  RunResult no_folder = run_runner({"dump", "-d", db.url, "-o", "out/schema.sql"}, dir.path());
  BOOST_TEST(no_folder.exit_code == 2);
  BOOST_TEST(contains(no_folder.err, "the folder out does not exist"), no_folder.err);
  RunResult schemas = run_runner({"dump", "-d", db.url, "--schema", "main"}, dir.path());
  BOOST_TEST(schemas.exit_code == 2);
  BOOST_TEST(contains(schemas.err, "has no schemas"), schemas.err);
  RunResult all = run_runner({"dump", "-d", db.url, "--all-projects"}, dir.path());
  BOOST_TEST(all.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(dump_schema_is_rewritten_after_each_upgrade_and_downgrade) {
  TempDir dir;
  TestDatabase db = sqlite_database(dir);
  const std::string sql = sample_sql_dir().string();
  RunResult up = run(dir, db, {"upgrade", "11", "-q", "--dump-schema", "schema.sql"}, sql);
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string at_11 = read_file(dir / "schema.sql");
  BOOST_TEST(at_11 == dump(dir, db));
  // 0012 makes artifacts.sha256 NOT NULL DEFAULT ''.
  up = run(dir, db, {"upgrade", "-q", "--dump-schema", "schema.sql"}, sql);
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string at_12 = read_file(dir / "schema.sql");
  BOOST_TEST(at_12 != at_11);
  BOOST_TEST(at_12 == dump(dir, db));
  // From the config, relative to its folder; a downgrade rewrites it too.
  write_file(dir / "conf/runner.ini", "dump-schema = ../schema.sql\n");
  RunResult down = run(dir, db, {"downgrade", "-1", "-q", "-c", "conf/runner.ini"}, sql);
  BOOST_TEST_REQUIRE(down.exit_code == 0, down.err);
  BOOST_TEST(read_file(dir / "schema.sql") == at_11);
  // Nothing to do still writes it: the file always matches the database after a run.
  fs::remove(dir / "schema.sql");
  up = run(dir, db, {"upgrade", "11", "-q", "--dump-schema", "schema.sql"}, sql);
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  BOOST_TEST(read_file(dir / "schema.sql") == at_11);
  // A dry run writes nothing.
  RunResult dry = run(dir, db, {"upgrade", "--dry-run", "--dump-schema", "dry.sql"}, sql);
  BOOST_TEST(dry.exit_code == 0, dry.err);
  BOOST_TEST(!fs::exists(dir / "dry.sql"));
  // A file that cannot be written is refused before anything runs.
  RunResult bad = run(dir, db, {"upgrade", "-q", "--dump-schema", "nofolder/schema.sql"}, sql);
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(contains(bad.err, "nofolder"), bad.err);
  BOOST_TEST(history_versions(db).size() == 11u);
  // One file cannot hold many databases.
  RunResult many = run_runner({"upgrade", "--all-projects", "--dump-schema", "x.sql", "-s", sql}, dir.path());
  BOOST_TEST(many.exit_code == 2);
  BOOST_TEST(contains(many.err, "does not go with --all-projects"), many.err);
}

BOOST_AUTO_TEST_CASE(sample_dumps_and_reloads_into_another_schema_pg) {
  TempDir dir;
  TestDatabase db = pg_database("dump");
  RunResult up = run(dir, db, {"upgrade", "-q"}, sample_sql_dir().string());
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string text = dump(dir, db);
  BOOST_TEST(!contains(text, "runner_history"));
  // Names stand alone, so the dump loads into any project's schema.
  BOOST_TEST(!contains(text, db.schema + "."));
  BOOST_TEST(
      contains(text, "CREATE TYPE task_status AS ENUM ('todo', 'in_progress', 'blocked', 'done', 'cancelled');"));
  BOOST_TEST(contains(text, "CREATE INDEX tasks_status_idx ON tasks USING btree (status);"));
  // Foreign keys after every table.
  BOOST_TEST(text.find("ALTER TABLE tasks ADD CONSTRAINT tasks_project_id_fkey") > text.find("CREATE TABLE tasks"));
  TestDatabase copy = pg_database("dumpcopy");
  BOOST_TEST(reload(dir, text, copy) == text);
  RunResult none = run_runner({"dump", "-d", db.pg_base + "?schema=" + unique_name("none")}, dir.path());
  BOOST_TEST(none.exit_code == 2);
  BOOST_TEST(contains(none.err, "does not exist"), none.err);
}

BOOST_AUTO_TEST_CASE(postgresql_constructs_reload_to_the_same_text_pg) {
  TempDir dir;
  constructs_pg(dir);
  TestDatabase db = pg_own_database("dumpcx");
  TestDatabase at_schema = db;
  at_schema.url = db.pg_base + "?schema=p1";
  RunResult up = run(dir, at_schema, {"upgrade", "-q"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.err);
  const std::string text = dump(dir, at_schema);
  for (const char* expected :
       {"CREATE EXTENSION IF NOT EXISTS btree_gist;",
        "CREATE SEQUENCE standalone_seq AS bigint START WITH 100 INCREMENT BY 5",
        "ALTER SEQUENCE parent_id_seq OWNED BY parent.id;", "    name text COLLATE \"C\" NOT NULL,",
        "    total numeric(10,2) GENERATED ALWAYS AS ((id * 2)) STORED,",
        "    id integer GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 "
        "CACHE 1) NOT NULL,",
        "CONSTRAINT ident_parent_id_during_excl EXCLUDE USING gist (parent_id WITH =, during WITH &&)",
        "ALTER TABLE ident ADD CONSTRAINT ident_check CHECK (id > 0) NOT VALID;",
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01 00:00:00+00') TO "
        "('2027-01-01 00:00:00+00');",
        // Without ONLY, so that loading it builds the partitions' indexes too.
        "CREATE INDEX events_at_idx ON events USING btree (at);", ") INHERITS (parent);",
        "CREATE UNLOGGED TABLE scratch", "CREATE MATERIALIZED VIEW mv AS",
        "CREATE OR REPLACE FUNCTION add(a integer, b integer)",
        "CREATE TRIGGER parent_touch BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION touch();"})
    BOOST_TEST(contains(text, expected), expected);
  // A partition's inherited index, and the child's inherited columns, are their parents'.
  BOOST_TEST(!contains(text, "events_2026_at_idx"));
  BOOST_TEST(text.find("CREATE VIEW v1") < text.find("CREATE VIEW v0"));  // v0 reads v1
  BOOST_TEST(!contains(text, "p1."));
  TestDatabase other = pg_own_database("dumpcx2");
  other.url = other.pg_base + "?schema=p7";
  BOOST_TEST(reload(dir, text, other) == text);
  BOOST_TEST(DatabaseProbe::postgresql(other.pg_base, "p7")
                 ->count("SELECT count(*) FROM pg_index WHERE indrelid = 'p7.events_2026'::regclass") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
