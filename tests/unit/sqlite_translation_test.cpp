// SPDX-License-Identifier: MIT
// The sqlite dialect's reading of PostgreSQL DDL, reached without the plugin: a CREATE TABLE
// becomes SQLite's, with PostgreSQL's constraint names, types and expressions.
#include "dialects/sqlite/pg_tree.hpp"
#include "dialects/sqlite/sqlite_expr.hpp"
#include "dialects/sqlite/sqlite_table.hpp"

#include <boost/test/unit_test.hpp>

using namespace runner::sqlite;

namespace {

Table table_of(
    const std::string& sql,
    const EnumLookup& enums = [](const std::string&) { return std::optional<std::vector<std::string>>(); }) {
  auto node = parse_statement(sql);
  BOOST_TEST_REQUIRE(node != nullptr, sql);
  return table_from_create(node_body(*node), enums);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(sqlite_translation)

BOOST_AUTO_TEST_CASE(a_create_table_keeps_postgresqls_constraint_names) {
  const Table t = table_of(
      "CREATE TABLE tasks (id serial PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, "
      "status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')), "
      "project_id integer REFERENCES projects (id) ON DELETE CASCADE)");
  BOOST_TEST(t.name == "tasks");
  BOOST_TEST(t.has_constraint("tasks_pkey"));
  BOOST_TEST(t.has_constraint("tasks_email_key"));
  BOOST_TEST(t.has_constraint("tasks_status_check"));
  BOOST_TEST(t.has_constraint("tasks_project_id_fkey"));
  const std::string sql = render_create(t, "tasks");
  BOOST_TEST(has(sql, "CREATE TABLE \"tasks\""), sql);
  BOOST_TEST(has(sql, "ON DELETE CASCADE"), sql);
  BOOST_TEST(has(sql, "DEFAULT 'open'"), sql);
}

BOOST_AUTO_TEST_CASE(an_enum_column_gets_a_check_of_its_values) {
  const Table t = table_of("CREATE TABLE runs (state run_state NOT NULL)", [](const std::string& name) {
    return name == "run_state" ? std::optional<std::vector<std::string>>({{"queued", "done"}}) : std::nullopt;
  });
  const std::string sql = render_create(t, "runs");
  BOOST_TEST(has(sql, "'queued'"), sql);
  BOOST_TEST(has(sql, "'done'"), sql);
}

BOOST_AUTO_TEST_CASE(types_map_to_sqlite_affinities) {
  BOOST_TEST(affinity("INTEGER") == "INTEGER");
  BOOST_TEST(affinity("VARCHAR(100)") == "TEXT");
  BOOST_TEST(affinity("BLOB") == "BLOB");
  BOOST_TEST(affinity("DOUBLE PRECISION") == "REAL");
  BOOST_TEST(affinity("NUMERIC(10,2)") == "NUMERIC");
  BOOST_TEST(affinity("") == "BLOB");
}

BOOST_AUTO_TEST_CASE(what_sqlite_cannot_hold_is_refused_by_name) {
  BOOST_CHECK_THROW(table_of("CREATE TABLE a (tags text[])"), Untranslatable);
  BOOST_CHECK_THROW(table_of("CREATE TABLE b (x int) INHERITS (a)"), Untranslatable);
  BOOST_CHECK_THROW(table_of("CREATE TABLE c (r int, EXCLUDE USING gist (r WITH =))"), Untranslatable);
}

BOOST_AUTO_TEST_SUITE_END()
