// SPDX-License-Identifier: MIT
// The same migrations on SQLite, PostgreSQL and MariaDB leave equivalent schemas: after every step
// up and every step down, the catalogs are read and compared table by table (see schema_shape.hpp
// for what is compared), SQLite's against each of the others.
#include "tests/integration/integration_fixture.hpp"
#include "tests/support/schema_shape.hpp"

using namespace runner::test;

namespace {

std::string table_names(const SchemaShape& shape) {
  std::string out;
  for (const auto& [name, description] : shape) out += name + " ";
  return out;
}

SchemaShape shape_of(const TestDatabase& db) {
  if (!db.mysql_base.empty()) return mysql_schema_shape(*db.probe(), db.schema);
  return db.sqlite_file.empty() ? postgresql_schema_shape(*db.probe(), db.schema) : sqlite_schema_shape(*db.probe());
}

void expect_same_schema(const TestDatabase& lite, const TestDatabase& other, const std::string& when) {
  SchemaShape a = sqlite_schema_shape(*lite.probe());
  SchemaShape b = shape_of(other);
  BOOST_TEST_REQUIRE(table_names(a) == table_names(b), when);
  for (auto& [name, description] : a) {
    if (!other.mysql_base.empty()) same_unique_names(description, b[name]);
    BOOST_TEST(description == b[name], when + ", table " + name + ":\n" + description + "--- against:\n" + b[name]);
  }
}

// Up one version at a time to head, then down one at a time to base, comparing after each.
// Returns the schema at head (as SQLite has it), for the test to check it holds what it should.
SchemaShape walk_both(const TempDir& dir, const std::vector<std::string>& versions, bool mysql = false) {
  TestDatabase lite = sqlite_database(dir);
  TestDatabase pg = mysql ? mysql_database("diff") : pg_database("diff");
  for (const auto& v : versions) {
    for (const TestDatabase* db : {&lite, &pg}) {
      RunResult r = run(dir, *db, {"upgrade", v});
      BOOST_TEST_REQUIRE(r.exit_code == 0, "upgrade " + v + ": " + r.err);
    }
    expect_same_schema(lite, pg, "after upgrade " + v);
  }
  SchemaShape head = sqlite_schema_shape(*lite.probe());
  for (std::size_t i = versions.size(); i-- > 0;) {
    const std::string to = i == 0 ? "base" : versions[i - 1];
    for (const TestDatabase* db : {&lite, &pg}) {
      RunResult r = run(dir, *db, {"downgrade", to});
      BOOST_TEST_REQUIRE(r.exit_code == 0, "downgrade " + to + ": " + r.err);
    }
    expect_same_schema(lite, pg, "after downgrade to " + to);
  }
  BOOST_TEST(sqlite_schema_shape(*lite.probe()).empty());
  return head;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(differential_schema)

BOOST_AUTO_TEST_CASE(sample_migrations_leave_equivalent_schemas_mysql) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  std::vector<std::string> versions;
  for (int v = 1; v <= 12; ++v) versions.push_back(std::to_string(v));
  SchemaShape head = walk_both(dir, versions, true);
  BOOST_TEST(contains(head["runs"],
                      "column status not null default 'queued' values queued,running,succeeded,failed,"
                      "timed_out,cancelled\n"),
             head["runs"]);
}

BOOST_AUTO_TEST_CASE(sample_migrations_leave_equivalent_schemas_pg) {
  TempDir dir;
  fs::copy(sample_sql_dir(), dir / "sql");
  std::vector<std::string> versions;
  for (int v = 1; v <= 12; ++v) versions.push_back(std::to_string(v));
  SchemaShape head = walk_both(dir, versions);
  BOOST_TEST(contains(head["runs"],
                      "column status not null default 'queued' values queued,running,succeeded,failed,"
                      "timed_out,cancelled\n"),
             head["runs"]);
  BOOST_TEST(contains(head["artifacts"], "column sha256 not null default ''\n"), head["artifacts"]);
  BOOST_TEST(contains(head["task_versions"], "unique (task_id,number)\n"), head["task_versions"]);
}

// Every construct the mysql plugin translates, in one set written in PostgreSQL's DDL: what MySQL
// has no equivalent for (RENAME VALUE, TYPE ... USING, RENAME CONSTRAINT) is left out.
BOOST_AUTO_TEST_CASE(translated_constructs_leave_equivalent_schemas_mysql) {
  TempDir dir;
  auto pair = [&](const std::string& name, const std::string& up, const std::string& down) {
    write_file(dir / ("sql/" + name + ".up.sql"), up);
    write_file(dir / ("sql/" + name + ".down.sql"), down);
  };
  pair("0001_base",
       "CREATE TYPE level AS ENUM ('low', 'high');\n"
       "CREATE TABLE owners (id bigserial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE);\n"
       "CREATE TABLE items (\n"
       "  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "  owner_id bigint REFERENCES owners (id) ON DELETE SET NULL,\n"
       "  code text NOT NULL,\n"
       "  qty integer NOT NULL DEFAULT 0 CHECK (qty >= 0),\n"
       "  lvl level NOT NULL DEFAULT 'low',\n"
       "  active boolean NOT NULL DEFAULT true,\n"
       "  payload jsonb,\n"
       "  created_at timestamptz NOT NULL DEFAULT now(),\n"
       "  CONSTRAINT items_code_owner UNIQUE (owner_id, code)\n"
       ");\n"
       "CREATE INDEX items_lvl_idx ON items (lvl);\n"
       "CREATE UNIQUE INDEX items_code_idx ON items (code);\n"
       "INSERT INTO owners (email) VALUES ('a@example.com');\n"
       "INSERT INTO items (owner_id, code, qty) VALUES (1, 'x', 3), (NULL, 'y', 0);\n",
       "DROP TABLE items;\nDROP TABLE owners;\nDROP TYPE level;\n");
  pair("0002_enum_values", "ALTER TYPE level ADD VALUE 'mid' BEFORE 'high';\n", "ALTER TYPE level DROP VALUE 'mid';\n");
  pair("0003_constraints",
       "ALTER TABLE items ADD CONSTRAINT items_qty_small CHECK (qty < 1000);\n"
       "ALTER TABLE items ADD CHECK (code <> '');\n"
       "ALTER TABLE items DROP CONSTRAINT items_code_owner;\n"
       "ALTER TABLE items ADD UNIQUE (code, lvl);\n",
       "ALTER TABLE items DROP CONSTRAINT items_code_lvl_key;\n"
       "ALTER TABLE items ADD CONSTRAINT items_code_owner UNIQUE (owner_id, code);\n"
       "ALTER TABLE items DROP CONSTRAINT items_code_check;\n"
       "ALTER TABLE items DROP CONSTRAINT items_qty_small;\n");
  pair("0004_columns",
       "ALTER TABLE items ALTER COLUMN qty DROP DEFAULT;\n"
       "ALTER TABLE items ALTER COLUMN code SET DEFAULT 'new';\n"
       "ALTER TABLE items ALTER COLUMN created_at DROP NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN active DROP NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN qty TYPE bigint;\n"
       "ALTER TABLE items DROP COLUMN payload;\n",
       "ALTER TABLE items ADD COLUMN payload jsonb;\n"
       "ALTER TABLE items ALTER COLUMN qty TYPE integer;\n"
       "ALTER TABLE items ALTER COLUMN active SET NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN created_at SET NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN code DROP DEFAULT;\n"
       "ALTER TABLE items ALTER COLUMN qty SET DEFAULT 0;\n");
  pair("0005_new_columns",
       "CREATE TABLE tags (id serial PRIMARY KEY, label text NOT NULL);\n"
       "ALTER TABLE items ADD COLUMN tag_id integer REFERENCES tags (id) ON DELETE CASCADE;\n"
       "ALTER TABLE items ADD COLUMN serial_no text UNIQUE;\n"
       "ALTER TABLE items ADD COLUMN grade level NOT NULL DEFAULT 'mid';\n",
       "ALTER TABLE items DROP COLUMN grade;\n"
       "ALTER TABLE items DROP COLUMN serial_no;\n"
       "ALTER TABLE items DROP COLUMN tag_id;\n"
       "DROP TABLE tags;\n");
  SchemaShape head = walk_both(dir, {"1", "2", "3", "4", "5"}, true);
  const std::string& items = head["items"];
  for (const char* fact : {"column lvl not null default 'low' values low,mid,high\n", "column active default true\n",
                           "column qty not null\n", "constraint items_code_check\n", "unique (code,lvl)\n",
                           "foreign key (tag_id) references tags (id) on delete cascade\n"})
    BOOST_TEST(contains(items, fact), fact << " in:\n" << items);
}

// Every construct the sqlite plugin translates, in one set written in PostgreSQL's DDL.
BOOST_AUTO_TEST_CASE(translated_constructs_leave_equivalent_schemas_pg) {
  TempDir dir;
  auto pair = [&](const std::string& name, const std::string& up, const std::string& down) {
    write_file(dir / ("sql/" + name + ".up.sql"), up);
    write_file(dir / ("sql/" + name + ".down.sql"), down);
  };
  pair("0001_base",
       "CREATE TYPE level AS ENUM ('low', 'high');\n"
       "CREATE TABLE owners (id bigserial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE);\n"
       "CREATE TABLE items (\n"
       "  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
       "  owner_id bigint REFERENCES owners (id) ON DELETE SET NULL,\n"
       "  code text NOT NULL,\n"
       "  qty integer NOT NULL DEFAULT 0 CHECK (qty >= 0),\n"
       "  lvl level NOT NULL DEFAULT 'low',\n"
       "  active boolean NOT NULL DEFAULT true,\n"
       "  payload jsonb,\n"
       "  created_at timestamptz NOT NULL DEFAULT now(),\n"
       "  CONSTRAINT items_code_owner UNIQUE (owner_id, code)\n"
       ");\n"
       "CREATE INDEX items_lvl_idx ON items (lvl);\n"
       "CREATE UNIQUE INDEX items_code_idx ON items (code);\n"
       "INSERT INTO owners (email) VALUES ('a@example.com');\n"
       "INSERT INTO items (owner_id, code, qty) VALUES (1, 'x', 3), (NULL, 'y', 0);\n",
       "DROP TABLE items;\nDROP TABLE owners;\nDROP TYPE level;\n");
  pair("0002_enum_values", "ALTER TYPE level ADD VALUE 'mid' BEFORE 'high';\n", "ALTER TYPE level DROP VALUE 'mid';\n");
  pair("0003_rename_value", "ALTER TYPE level RENAME VALUE 'high' TO 'top';\n",
       "ALTER TYPE level RENAME VALUE 'top' TO 'high';\n");
  pair("0004_constraints",
       "ALTER TABLE items ADD CONSTRAINT items_qty_small CHECK (qty < 1000);\n"
       "ALTER TABLE items ADD CHECK (code <> '');\n"
       "ALTER TABLE items DROP CONSTRAINT items_code_owner;\n"
       "ALTER TABLE items ADD UNIQUE (code, lvl);\n",
       "ALTER TABLE items DROP CONSTRAINT items_code_lvl_key;\n"
       "ALTER TABLE items ADD CONSTRAINT items_code_owner UNIQUE (owner_id, code);\n"
       "ALTER TABLE items DROP CONSTRAINT items_code_check;\n"
       "ALTER TABLE items DROP CONSTRAINT items_qty_small;\n");
  pair("0005_columns",
       "ALTER TABLE items ALTER COLUMN qty DROP DEFAULT;\n"
       "ALTER TABLE items ALTER COLUMN code SET DEFAULT 'new';\n"
       "UPDATE items SET owner_id = 1 WHERE owner_id IS NULL;\n"
       "ALTER TABLE items ALTER COLUMN owner_id SET NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN active DROP NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN qty TYPE bigint USING qty * 10;\n"
       "ALTER TABLE items DROP COLUMN payload;\n",
       "ALTER TABLE items ADD COLUMN payload jsonb;\n"
       "ALTER TABLE items ALTER COLUMN qty TYPE integer USING qty / 10;\n"
       "ALTER TABLE items ALTER COLUMN active SET NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN owner_id DROP NOT NULL;\n"
       "ALTER TABLE items ALTER COLUMN code DROP DEFAULT;\n"
       "ALTER TABLE items ALTER COLUMN qty SET DEFAULT 0;\n");
  pair("0006_new_columns",
       "CREATE TABLE tags (id serial PRIMARY KEY, label text NOT NULL);\n"
       "ALTER TABLE items ADD COLUMN tag_id integer REFERENCES tags (id) ON DELETE CASCADE;\n"
       "ALTER TABLE items ADD COLUMN serial_no text UNIQUE;\n"
       "ALTER TABLE items ADD COLUMN grade level NOT NULL DEFAULT 'mid';\n"
       "ALTER TABLE items RENAME CONSTRAINT items_qty_small TO items_qty_limit;\n",
       "ALTER TABLE items RENAME CONSTRAINT items_qty_limit TO items_qty_small;\n"
       "ALTER TABLE items DROP COLUMN grade;\n"
       "ALTER TABLE items DROP COLUMN serial_no;\n"
       "ALTER TABLE items DROP COLUMN tag_id;\n"
       "DROP TABLE tags;\n");
  SchemaShape head = walk_both(dir, {"1", "2", "3", "4", "5", "6"});
  const std::string& items = head["items"];
  for (const char* fact : {"column lvl not null default 'low' values low,mid,top\n", "column active default true\n",
                           "column qty not null\n", "column grade not null default 'mid' values low,mid,top\n",
                           "constraint items_code_check\n", "constraint items_qty_limit\n", "unique (code,lvl)\n",
                           "foreign key (owner_id) references owners (id) on delete set null\n",
                           "foreign key (tag_id) references tags (id) on delete cascade\n",
                           "index items_lvl_idx (lvl)\n", "primary key (id)\n"})
    BOOST_TEST(contains(items, fact), fact << " in:\n" << items);
  BOOST_TEST(!contains(items, "payload"), items);
}

// The comparison itself notices a drift: a SQLite variant that forgot a NOT NULL and a UNIQUE.
BOOST_AUTO_TEST_CASE(a_drifting_variant_is_noticed_pg) {
  TempDir dir;
  write_file(dir / "sql/0001_t.up.sql", "CREATE TABLE t (id serial PRIMARY KEY, code text NOT NULL UNIQUE);\n");
  write_file(dir / "sql/0001_t.up.sqlite.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT);\n");
  TestDatabase lite = sqlite_database(dir);
  TestDatabase pg = pg_database("diff");
  BOOST_TEST_REQUIRE(run(dir, lite, {"upgrade"}).exit_code == 0);
  BOOST_TEST_REQUIRE(run(dir, pg, {"upgrade"}).exit_code == 0);
  std::string a = sqlite_schema_shape(*lite.probe())["t"];
  std::string b = postgresql_schema_shape(*pg.probe(), pg.schema)["t"];
  BOOST_TEST(contains(a, "column code\n"), a);
  BOOST_TEST(contains(b, "column code not null\n"), b);
  BOOST_TEST(contains(b, "unique (code)\n"), b);
  BOOST_TEST(!contains(a, "unique"), a);
}

BOOST_AUTO_TEST_SUITE_END()
