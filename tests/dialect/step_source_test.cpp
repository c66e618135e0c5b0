// SPDX-License-Identifier: MIT
// Planned steps made ready to run (step_source) and written out as a script (sql_script), with the
// real sqlite plugin splitting: what the runner checks before the first statement runs.
#include "runner/engine/step_source.hpp"
#include "runner/base/errors.hpp"
#include "runner/engine/sql_script.hpp"
#include "tests/dialect/dialect_fixture.hpp"
#include "tests/support/test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace runner;
using namespace runner::test;

namespace {

struct OneMigration {
  TempDir dir;
  MigrationSet set;

  explicit OneMigration(const std::string& up, const std::string& name = "m") {
    set.dir = dir.path();
    Migration m;
    m.version = 1;
    m.version_text = "0001";
    m.name = name;
    m.up = dir / ("0001_" + name + ".up.sql");
    write_file(m.up, up);
    set.migrations.push_back(m);
  }
  std::vector<PreparedStep> prepare() {
    return prepare_steps({{&set.migrations[0], 1, Direction::up}}, load_dialect("sqlite"), Placeholders{}, nullptr);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(step_source)

BOOST_AUTO_TEST_CASE(a_wrapping_begin_and_commit_give_way_to_the_runners_transaction) {
  OneMigration m("BEGIN IMMEDIATE;\nCREATE TABLE a (x int);\nCOMMIT;\n");
  auto steps = m.prepare();
  BOOST_TEST_REQUIRE(steps.size() == 1u);
  BOOST_TEST(steps[0].in_transaction);
  BOOST_TEST(steps[0].begin_sql == "BEGIN IMMEDIATE");  // its options hold: the transaction opens with it
  BOOST_TEST(steps[0].begin_line == 1u);
  BOOST_TEST_REQUIRE(steps[0].statements.size() == 1u);
  BOOST_TEST(steps[0].statements[0].line == 2u);
  BOOST_TEST(steps[0].checksum == file_sha256(m.set.migrations[0].up));
}

// pocket-id's shape: foreign keys turned off before the file's own BEGIN and on after its COMMIT.
// The PRAGMAs run outside the migration's transaction, the body inside it.
BOOST_AUTO_TEST_CASE(statements_outside_a_wrapped_body_run_outside_the_transaction) {
  OneMigration m(
      "PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\nCOMMIT;\n"
      "PRAGMA foreign_keys=ON;\n");
  auto steps = m.prepare();
  BOOST_TEST_REQUIRE(steps.size() == 1u);
  const PreparedStep& p = steps[0];
  BOOST_TEST(p.in_transaction);
  BOOST_TEST(p.begin_line == 2u);
  BOOST_TEST(p.outside_before == 1u);
  BOOST_TEST(p.outside_after == 1u);
  BOOST_TEST_REQUIRE(p.statements.size() == 4u);
  BOOST_TEST(p.statements[0].line == 1u);
  BOOST_TEST(p.statements[1].line == 3u);
  BOOST_TEST(p.statements[3].line == 6u);
  // The offline script keeps the same order: before BEGIN, the body, the history row, COMMIT, after.
  const std::string script = render_script_section(load_dialect("sqlite").runner_sql(""), steps, "t");
  const std::size_t off = script.find("PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE a");
  const std::size_t on = script.find("COMMIT;\nPRAGMA foreign_keys=ON;\n");
  BOOST_TEST((off != std::string::npos && on != std::string::npos && off < on), script);
  BOOST_TEST(script.find("INSERT INTO runner_history") < on);
}

BOOST_AUTO_TEST_CASE(any_other_shape_around_a_transaction_is_refused_by_line) {
  const std::vector<std::pair<std::string, std::uint32_t>> cases = {
      // a statement that must run outside, with no BEGIN ... COMMIT of the file's own to keep it there
      {"PRAGMA foreign_keys=OFF;\nCREATE TABLE a (x int);\n", 1},
      // an ordinary statement before the file's BEGIN: it would commit on its own
      {"PRAGMA foreign_keys=OFF;\nCREATE TABLE a (x int);\nBEGIN;\nCREATE TABLE b (x int);\nCOMMIT;\n", 1},
      // one after its COMMIT: the COMMIT ends the transaction before the file does
      {"BEGIN;\nCREATE TABLE b (x int);\nCOMMIT;\nCREATE TABLE c (x int);\n", 3},
      // two BEGIN ... COMMIT blocks: the first COMMIT
      {"BEGIN;\nCREATE TABLE b (x int);\nCOMMIT;\nBEGIN;\nCREATE TABLE c (x int);\nCOMMIT;\n", 3},
      // a PRAGMA inside the body, where SQLite ignores it
      {"BEGIN;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE b (x int);\nCOMMIT;\n", 2},
  };
  for (const auto& [text, line] : cases) {
    OneMigration m(text);
    try {
      m.prepare();
      BOOST_ERROR("accepted: " << text);
    } catch (const SourceError& e) {
      BOOST_TEST(e.line() == line, text << " -> " << e.what());
      BOOST_TEST(std::string(e.what()).find("0001_m.up.sql:" + std::to_string(line)) != std::string::npos, e.what());
    }
  }
}

BOOST_AUTO_TEST_CASE(transaction_control_inside_the_runners_transaction_is_refused_by_line) {
  OneMigration m("CREATE TABLE a (x int);\nCOMMIT;\nCREATE TABLE b (x int);\n");
  try {
    m.prepare();
    BOOST_FAIL("a COMMIT half-way was accepted");
  } catch (const SourceError& e) {
    BOOST_TEST(e.line() == 2u);
    BOOST_TEST(std::string(e.what()).find("controls the transaction") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("-- runner:no-transaction") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_no_transaction_file_keeps_its_own_statements) {
  OneMigration m("-- runner:no-transaction\nBEGIN;\nCREATE TABLE a (x int);\nCOMMIT;\nVACUUM;\n");
  auto steps = m.prepare();
  BOOST_TEST(!steps.at(0).in_transaction);
  BOOST_TEST(steps[0].statements.size() == 4u);
  BOOST_TEST(steps[0].begin_sql.empty());
}

BOOST_AUTO_TEST_CASE(a_statement_that_cannot_run_in_a_transaction_is_refused_with_the_fix) {
  OneMigration m("CREATE TABLE a (x int);\nVACUUM;\n");
  try {
    m.prepare();
    BOOST_FAIL("VACUUM inside a transaction was accepted");
  } catch (const SourceError& e) {
    BOOST_TEST(e.line() == 2u);
    BOOST_TEST(std::string(e.what()).find("cannot run inside a transaction: VACUUM") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(headlines_show_the_sql_not_its_comments) {
  BOOST_TEST(statement_headline("-- why\n  -- more\n  CREATE TABLE a (\n x int)") == "CREATE TABLE a (");
  BOOST_TEST(statement_headline(std::string(200, 'x')).size() == 120u);
  BOOST_TEST(statement_headline("-- only a comment") == "-- only a comment");
}

BOOST_AUTO_TEST_CASE(a_script_section_frames_each_migration_with_its_history_row) {
  OneMigration m("CREATE TABLE a (x int);\n", "it's");
  auto steps = m.prepare();
  const std::string script = render_script_section(load_dialect("sqlite").runner_sql(""), steps, "title\x01");
  BOOST_TEST(script.rfind("-- title?\n", 0) == 0u, script);  // control characters never reach a comment
  const std::size_t create = script.find("CREATE TABLE IF NOT EXISTS runner_history");
  const std::size_t meta = script.find("'tables_version', '2') ON CONFLICT (key) DO NOTHING;");
  const std::size_t begin = script.find("\nBEGIN;\nCREATE TABLE a (x int);");
  const std::size_t insert = script.find("VALUES (1, 'it''s', '" + steps[0].checksum + "'");
  const std::size_t commit = script.find("\nCOMMIT;\n");
  BOOST_TEST(create != std::string::npos);
  BOOST_TEST((meta != std::string::npos && meta > create));
  BOOST_TEST((begin != std::string::npos && begin > meta), script);
  BOOST_TEST((insert != std::string::npos && insert > begin), script);  // the name quoted as a literal
  BOOST_TEST((commit != std::string::npos && commit > insert));
}

BOOST_AUTO_TEST_SUITE_END()
