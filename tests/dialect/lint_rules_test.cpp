// SPDX-License-Identifier: MIT
// Each lint rule of the shipped dialects, through the plugin's lint() as the runner calls it: one
// statement it catches and one like it that it lets through (the examples docs/lint.md gives).
// Rules that need a database (table sizes, a column's current type) are in
// tests/integration/lint_test.cpp.
#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "tests/dialect/dialect_fixture.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>

using namespace runner;
using namespace runner::test;

namespace {

constexpr std::uint32_t k_tx = RUNNER_LINT_IN_TRANSACTION;

struct RuleCase {
  const char* dialect;
  const char* rule;
  int level;                // the level it is reported at
  std::string caught;       // a file the rule reports
  std::string let_through;  // a file like it the rule says nothing of
  std::uint32_t options = k_tx;
  std::uint32_t let_through_options = k_tx;
};

std::ostream& operator<<(std::ostream& os, const RuleCase& c) { return os << c.dialect << ":" << c.rule; }

const std::string k_long_name(64, 'x');

std::vector<RuleCase> cases() {
  constexpr int E = RUNNER_DIAG_ERROR, W = RUNNER_DIAG_WARNING, N = RUNNER_DIAG_NOTE;
  std::vector<RuleCase> c = {
      // Data lost for good.
      {"postgresql", "ban-drop-table", E, "DROP TABLE users;", "CREATE TABLE tmp (id bigint);\nDROP TABLE tmp;"},
      {"postgresql", "ban-drop-column", E, "ALTER TABLE users DROP COLUMN email;",
       "CREATE TABLE t (a bigint, b bigint);\nALTER TABLE t DROP COLUMN b;"},
      {"postgresql", "ban-drop-schema", E, "DROP SCHEMA archive CASCADE;", "CREATE SCHEMA archive;"},
      {"postgresql", "ban-drop-database", E, "DROP DATABASE app;", "DROP TABLE IF EXISTS app;", 0, 0},
      {"postgresql", "ban-truncate", E, "TRUNCATE users;", "CREATE TABLE t (id bigint);\nTRUNCATE t;"},
      {"postgresql", "ban-truncate-cascade", E, "TRUNCATE users CASCADE;", "TRUNCATE users;"},
      {"postgresql", "ban-delete-without-where", E, "DELETE FROM users;", "DELETE FROM users WHERE id = 1;"},
      {"postgresql", "ban-update-without-where", E, "UPDATE users SET active = false;",
       "UPDATE users SET active = false WHERE id = 1;"},
      {"postgresql", "ban-delete-without-where", E, "WITH d AS (DELETE FROM users RETURNING *) SELECT count(*) FROM d;",
       "WITH d AS (DELETE FROM users WHERE id = 1 RETURNING *) SELECT count(*) FROM d;"},
      {"postgresql", "ban-delete-without-where", E, "CREATE TABLE IF NOT EXISTS users (id bigint);\nDELETE FROM users;",
       "CREATE TABLE users (id bigint);\nDELETE FROM users;"},
      {"postgresql", "ban-delete-without-where", E, "CREATE TABLE app.users (id bigint);\nDELETE FROM users;",
       "CREATE TABLE app.users (id bigint);\nDELETE FROM app.users;"},
      {"postgresql", "ban-truncate", E,
       "CREATE TABLE staging (id bigint);\nDROP TABLE staging;\nALTER TABLE orders RENAME TO staging;\n"
       "TRUNCATE staging;",
       "CREATE TABLE staging (id bigint);\nTRUNCATE staging;"},
      {"postgresql", "adding-not-nullable-field", E,
       "ALTER TABLE users ADD CONSTRAINT n CHECK (name IS NOT NULL OR id < 0) NOT VALID;\n"
       "ALTER TABLE users VALIDATE CONSTRAINT n;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;",
       "ALTER TABLE users ADD CONSTRAINT n CHECK (name IS NOT NULL AND length(name) > 0) NOT VALID;\n"
       "ALTER TABLE users VALIDATE CONSTRAINT n;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;"},
      {"postgresql", "require-lock-timeout", W,
       "SELECT set_config('lock_timeout', '0', false);\nALTER TABLE users RENAME COLUMN a TO b;",
       "SELECT set_config('lock_timeout', '2s', false);\nALTER TABLE users RENAME COLUMN a TO b;"},
      {"postgresql", "ban-delete-without-where", E,
       "INSERT INTO log WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d;",
       "INSERT INTO log SELECT * FROM users;"},
      {"postgresql", "ban-drop-column", E, "CREATE TABLE t2 (a bigint, b bigint);\nALTER TABLE t3 DROP COLUMN b;",
       "CREATE TABLE t2 (a bigint, b bigint);\nALTER TABLE t2 RENAME TO t3;\nALTER TABLE t3 DROP COLUMN b;"},
      // Locks that stop the application.
      {"postgresql", "require-concurrent-index-creation", E, "CREATE INDEX users_email ON users (email);",
       "CREATE TABLE t (email text);\nCREATE INDEX t_email ON t (email);"},
      {"postgresql", "ban-concurrent-index-creation-in-transaction", E,
       "CREATE INDEX CONCURRENTLY users_email ON users (email);",
       "CREATE INDEX CONCURRENTLY users_email ON users (email);", k_tx, 0},
      {"postgresql", "require-concurrent-index-deletion", W, "DROP INDEX users_email;",
       "DROP INDEX CONCURRENTLY users_email;", k_tx, 0},
      {"postgresql", "adding-foreign-key-constraint", E,
       "ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);",
       "ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"},
      {"postgresql", "constraint-missing-not-valid", E, "ALTER TABLE orders ADD CONSTRAINT positive CHECK (n > 0);",
       "ALTER TABLE orders ADD CONSTRAINT positive CHECK (n > 0) NOT VALID;"},
      {"postgresql", "constraint-missing-not-valid", E,
       "ALTER TABLE orders ADD CONSTRAINT positive CHECK (n > 0) NOT VALID;\n"
       "ALTER TABLE orders VALIDATE CONSTRAINT positive;",
       "ALTER TABLE orders VALIDATE CONSTRAINT positive;"},
      {"postgresql", "adding-not-nullable-field", E, "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
       "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
       "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;"},
      {"postgresql", "changing-column-type", E, "ALTER TABLE users ALTER COLUMN n TYPE bigint;",
       "CREATE TABLE t (n integer);\nALTER TABLE t ALTER COLUMN n TYPE bigint;"},
      {"postgresql", "adding-field-with-default", E,
       "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
       "ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();"},
      {"postgresql", "adding-field-with-default", E, "ALTER TABLE users ADD COLUMN n bigserial;",
       "ALTER TABLE users ADD COLUMN n bigint;"},
      {"postgresql", "adding-required-field", E, "ALTER TABLE users ADD COLUMN n bigint NOT NULL;",
       "ALTER TABLE users ADD COLUMN n bigint NOT NULL DEFAULT 0;"},
      {"postgresql", "disallowed-unique-constraint", E, "ALTER TABLE users ADD CONSTRAINT users_email UNIQUE (email);",
       "ALTER TABLE users ADD CONSTRAINT users_email UNIQUE USING INDEX users_email_idx;"},
      {"postgresql", "adding-serial-primary-key-field", E, "ALTER TABLE users ADD PRIMARY KEY (id);",
       "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;"},
      {"postgresql", "prefer-repack", E, "VACUUM FULL users;", "VACUUM users;", 0, 0},
      {"postgresql", "prefer-repack", E, "CLUSTER users USING users_pkey;", "ANALYZE users;"},
      {"postgresql", "require-concurrent-reindex", E, "REINDEX TABLE users;", "REINDEX TABLE CONCURRENTLY users;", 0,
       0},
      {"postgresql", "require-concurrent-partition-detach", W, "ALTER TABLE events DETACH PARTITION events_2019;",
       "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;", 0, 0},
      {"postgresql", "require-lock-timeout", W, "ALTER TABLE users ADD COLUMN note text;",
       "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN note text;"},
      {"postgresql", "require-lock-timeout", W, "ALTER TABLE users ADD COLUMN note text;",
       "ALTER TABLE users ADD COLUMN note text;", k_tx, k_tx | RUNNER_LINT_LOCK_WAIT},
      {"postgresql", "require-lock-timeout", W, "LOCK TABLE users IN ACCESS EXCLUSIVE MODE;",
       "SELECT set_config('lock_timeout', '2s', true);\nLOCK TABLE users IN ACCESS EXCLUSIVE MODE;"},
      {"postgresql", "require-lock-timeout", W,
       "SET lock_timeout = '2s';\nRESET ALL;\nALTER TABLE users ADD COLUMN note text;",
       "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN note text;"},
      {"postgresql", "ban-concurrent-index-creation-in-transaction", E,
       "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;",
       "ALTER TABLE events DETACH PARTITION events_2019 CONCURRENTLY;", k_tx, 0},
      {"postgresql", "adding-field-with-default", E,
       "ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;",
       "CREATE TABLE t (n bigint GENERATED ALWAYS AS IDENTITY);"},
      // What the running application trips over.
      {"postgresql", "renaming-column", W, "ALTER TABLE users RENAME COLUMN email TO mail;",
       "ALTER TABLE users RENAME CONSTRAINT a TO b;"},
      {"postgresql", "renaming-table", W, "ALTER TABLE users RENAME TO people;",
       "CREATE TABLE t (id bigint);\nALTER TABLE t RENAME TO u;"},
      {"postgresql", "ban-drop-not-null", W, "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
       "ALTER TABLE users ALTER COLUMN email DROP DEFAULT;"},
      {"postgresql", "ban-set-schema", W, "ALTER TABLE users SET SCHEMA archive;",
       "CREATE TABLE t (id bigint);\nALTER TABLE t SET SCHEMA archive;"},
      // Transactions.
      {"postgresql", "enum-new-value-used-in-transaction", E,
       "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';\nUPDATE users SET mood = 'meh' WHERE id = 1;",
       "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';\nUPDATE users SET mood = 'meh' WHERE id = 1;", k_tx, 0},
      // Types and names.
      {"postgresql", "ban-create-domain-with-constraint", W, "CREATE DOMAIN positive AS bigint CHECK (VALUE > 0);",
       "CREATE DOMAIN positive AS bigint;"},
      {"postgresql", "ban-alter-domain-with-add-constraint", W,
       "ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0);", "ALTER DOMAIN positive DROP CONSTRAINT p;"},
      {"postgresql", "require-enum-value-ordering", N, "ALTER TYPE mood ADD VALUE 'meh';",
       "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';", 0, 0},
      {"postgresql", "identifier-too-long", W, "CREATE TABLE " + k_long_name + " (id bigint);",
       "CREATE TABLE " + k_long_name.substr(1) + " (id bigint);"},
      {"postgresql", "prefer-bigint-over-int", N, "CREATE TABLE t (n integer);", "CREATE TABLE t (n bigint);"},
      {"postgresql", "prefer-bigint-over-smallint", N, "CREATE TABLE t (n smallint);", "CREATE TABLE t (n bigint);"},
      {"postgresql", "prefer-identity", N, "CREATE TABLE t (id bigserial);",
       "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY);"},
      {"postgresql", "prefer-text-field", N, "CREATE TABLE t (s varchar(20));", "CREATE TABLE t (s text);"},
      {"postgresql", "ban-char-field", N, "CREATE TABLE t (s char(2));", "CREATE TABLE t (s text);"},
      {"postgresql", "prefer-timestamptz", N, "CREATE TABLE t (at timestamp);", "CREATE TABLE t (at timestamptz);"},
      {"postgresql", "syntax-error", E, "CREATE TABLE t (id bigint,);", "CREATE TABLE t (id bigint);"},
      {"postgresql", "syntax-error", E, "ALTER TYPE mood DROP VALUES 'meh';", "ALTER TYPE mood DROP VALUE 'meh';"},
      // SQLite: the rules both dialects share, and its table rebuilds.
      {"sqlite", "ban-drop-table", E, "DROP TABLE users;", "CREATE TABLE tmp (id integer);\nDROP TABLE tmp;"},
      {"sqlite", "ban-drop-column", E, "ALTER TABLE users DROP COLUMN email;",
       "CREATE TABLE t (a integer, b integer);\nALTER TABLE t DROP COLUMN b;"},
      {"sqlite", "ban-delete-without-where", E, "DELETE FROM users;", "DELETE FROM users WHERE id = 1;"},
      {"sqlite", "syntax-error", E, "DELETE FRM users;", "DELETE FROM users WHERE id = 1;"},
      {"sqlite", "syntax-error", E, "DROP INDEX job_group_id ON jobs;", "ALTER TYPE mood DROP VALUE 'meh';"},
      {"sqlite", "syntax-error", E, "CREATE TABLE t (id integer,);", "CREATE TABLE t (id integer) WITHOUT ROWID;"},
      {"sqlite", "ban-update-without-where", E, "UPDATE users SET active = 0;",
       "UPDATE users SET active = 0 WHERE id = 1;"},
      {"sqlite", "renaming-column", W, "ALTER TABLE users RENAME COLUMN email TO mail;",
       "CREATE TABLE t (a integer);\nALTER TABLE t RENAME COLUMN a TO b;"},
      {"sqlite", "renaming-table", W, "ALTER TABLE users RENAME TO people;",
       "CREATE TABLE t (id integer);\nALTER TABLE t RENAME TO u;"},
      {"sqlite", "adding-required-field", E, "ALTER TABLE users ADD COLUMN n integer NOT NULL;",
       "ALTER TABLE users ADD COLUMN n integer NOT NULL DEFAULT 0;"},
      {"sqlite", "sqlite-table-rebuild", W, "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
       "ALTER TABLE users ADD COLUMN note text DEFAULT 'none';"},
      {"sqlite", "sqlite-table-rebuild", W, "ALTER TABLE users ADD CONSTRAINT positive CHECK (n > 0);",
       "CREATE TABLE t (n integer);\nALTER TABLE t ADD CONSTRAINT positive CHECK (n > 0);"},
      {"sqlite", "sqlite-table-rebuild", W, "ALTER TABLE users ALTER COLUMN n TYPE bigint;",
       "ALTER TABLE users ALTER COLUMN n TYPE bigint;", k_tx, k_tx | RUNNER_LINT_AS_WRITTEN},
      {"sqlite", "sqlite-table-rebuild", W, "ALTER TYPE mood ADD VALUE 'meh';", "CREATE TYPE mood AS ENUM ('ok');"},
  };
  return c;
}

std::vector<LintDiagnostic> lint(const char* dialect, const std::string& sql, std::uint32_t options) {
  return load_dialect(dialect).lint(sql, options, nullptr, "t.sql");
}

const LintDiagnostic* find_rule(const std::vector<LintDiagnostic>& found, const std::string& rule) {
  for (const auto& d : found)
    if (d.rule == rule) return &d;
  return nullptr;
}

std::string rules_of(const std::vector<LintDiagnostic>& found) {
  std::string out;
  for (const auto& d : found) out += d.rule + "@" + std::to_string(d.line) + " ";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lint_rules)

BOOST_DATA_TEST_CASE(each_rule_catches_its_statement_and_lets_its_safe_twin_through,
                     boost::unit_test::data::make(cases()), c) {
  const auto caught = lint(c.dialect, c.caught, c.options);
  const LintDiagnostic* d = find_rule(caught, c.rule);
  BOOST_TEST_REQUIRE(d != nullptr, c.rule << " should catch: " << c.caught << "\n  found: " << rules_of(caught));
  BOOST_TEST(d->level == c.level);
  BOOST_TEST(!d->message.empty());
  BOOST_TEST(d->line >= 1u);
  const auto through = lint(c.dialect, c.let_through, c.let_through_options);
  BOOST_TEST(find_rule(through, c.rule) == nullptr,
             c.rule << " should let through: " << c.let_through << "\n  found: " << rules_of(through));
}

BOOST_AUTO_TEST_CASE(a_finding_names_its_statements_first_line_its_table_and_the_fix) {
  const auto found =
      lint("postgresql", "-- a comment\nSELECT 1;\n\nCREATE INDEX\n  users_email ON app.users (email);\n", k_tx);
  const LintDiagnostic* d = find_rule(found, "require-concurrent-index-creation");
  BOOST_TEST_REQUIRE(d != nullptr, rules_of(found));
  BOOST_TEST(d->line == 4u);
  BOOST_TEST(d->fields.at("table") == "app.users");
  BOOST_TEST(d->fields.at("fix").find("CONCURRENTLY") != std::string::npos, d->fields.at("fix"));
  BOOST_TEST(d->fields.count("rows") == 0u);  // no database: no size
}

BOOST_AUTO_TEST_CASE(destructive_statements_are_warnings_in_a_down_file) {
  for (const char* dialect : {"postgresql", "sqlite"}) {
    const auto found = lint(dialect, "DROP TABLE users;\n", k_tx | RUNNER_LINT_DOWN);
    const LintDiagnostic* d = find_rule(found, "ban-drop-table");
    BOOST_TEST_REQUIRE(d != nullptr, dialect);
    BOOST_TEST(d->level == RUNNER_DIAG_WARNING, dialect);
  }
}

BOOST_AUTO_TEST_CASE(the_lock_timeout_finding_is_made_once_per_file_and_reset_by_set_to_zero) {
  const auto found = lint("postgresql",
                          "SET lock_timeout = '2s';\nALTER TABLE a ADD COLUMN b text;\nSET lock_timeout = 0;\n"
                          "ALTER TABLE a ADD COLUMN c text;\nALTER TABLE a ADD COLUMN d text;\n",
                          k_tx);
  std::vector<std::uint32_t> lines;
  for (const auto& d : found)
    if (d.rule == "require-lock-timeout") lines.push_back(d.line);
  BOOST_TEST(lines == (std::vector<std::uint32_t>{4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_that_does_not_split_is_refused_with_its_line) {
  BOOST_CHECK_THROW(lint("postgresql", "SELECT 1;\nSELECT 'unterminated;\n", k_tx), SourceError);
  BOOST_CHECK_THROW(lint("sqlite", "SELECT 1;\nSELECT 'unterminated;\n", k_tx), SourceError);
}

BOOST_AUTO_TEST_SUITE_END()
