// SPDX-License-Identifier: MIT
#include "runner/base/errors.hpp"
#include "tests/dialect/dialect_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using runner::test::load_dialect;

BOOST_AUTO_TEST_SUITE(postgresql_url)

BOOST_AUTO_TEST_CASE(schema_is_ours_and_the_rest_goes_to_libpq) {
  const auto& d = load_dialect("postgresql");
  auto t = d.describe_database("postgresql://app:s3cret@db.example:5433/prod?schema=project_7&sslmode=require", 60);
  BOOST_TEST(t.schema == "project_7");
  BOOST_TEST(t.connect ==
             "postgresql://app:s3cret@db.example:5433/"
             "prod?sslmode=require&client_encoding=UTF8&application_name=runner&connect_timeout=10");
  BOOST_TEST(t.display == "postgresql://app:***@db.example:5433/prod?schema=project_7&sslmode=require");
  BOOST_TEST(t.file.empty());
  BOOST_TEST(t.default_schema_query.empty());
  BOOST_TEST(d.runner_sql(t.schema).lock_try.find("'project_7'") != std::string::npos);
  BOOST_TEST_REQUIRE(t.prepare_sql.size() == 1u);
  BOOST_TEST(t.prepare_sql[0] == "CREATE SCHEMA IF NOT EXISTS \"project_7\"");
  BOOST_TEST_REQUIRE(t.session_sql.size() == 1u);  // one round trip
  BOOST_TEST(t.session_sql[0].find("SET search_path TO \"project_7\", public") != std::string::npos);
  BOOST_TEST(t.session_sql[0].find("standard_conforming_strings TO on") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_server_is_each_host_with_its_port_and_never_the_password) {
  const auto& d = load_dialect("postgresql");
  BOOST_TEST(d.describe_database("postgresql://app:s3cret@db.example:5433/prod?schema=p", 60).server ==
             "db.example:5433");
  BOOST_TEST(d.describe_database("postgresql://db.example/prod", 60).server == "db.example:5432");
  // A multi-host URL: each host with its own port, or the default.
  BOOST_TEST(
      d.describe_database("postgresql://u:pw@h1:5432,h2:5433,h3/db?target_session_attrs=read-write", 60).server ==
      "h1:5432,h2:5433,h3:5432");
  BOOST_TEST(d.describe_database("postgresql://[::1]:6432/db", 60).server == "[::1]:6432");
  // Hosts and ports given as parameters, and the local socket.
  BOOST_TEST(d.describe_database("postgresql:///db?host=/run/postgresql&port=5434", 60).server ==
             "/run/postgresql:5434");
  BOOST_TEST(d.describe_database("postgresql://a,b/db?port=6000,6001", 60).server == "a:6000,b:6001");
  BOOST_TEST(d.describe_database("postgresql:///db", 60).server == "local socket:5432");
  // Two databases of one server share it.
  BOOST_TEST(d.describe_database("postgresql://h:5432/a", 60).server ==
             d.describe_database("postgresql://other:pw@h:5432/b?schema=x", 60).server);
  BOOST_TEST(load_dialect("sqlite").describe_database("sqlite:data/p.db", 60).server.empty());
}

BOOST_AUTO_TEST_CASE(names_needing_quotes_and_percent_escapes) {
  const auto& d = load_dialect("postgresql");
  auto t = d.describe_database("postgres://u:p%40ss@h/db?schema=Project%20%22One%22", 60);
  BOOST_TEST(t.schema == "Project \"One\"");
  BOOST_TEST(t.prepare_sql[0] == "CREATE SCHEMA IF NOT EXISTS \"Project \"\"One\"\"\"");
  BOOST_TEST(t.display.find("p%40ss") == std::string::npos);
  auto h = d.runner_sql(t.schema);
  BOOST_TEST(h.create[0].find("\"Project \"\"One\"\"\".runner_history") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_schema_means_the_default_and_password_param_is_masked) {
  auto t = load_dialect("postgresql").describe_database("postgresql://h/db?password=topsecret", 60);
  BOOST_TEST(t.schema.empty());
  BOOST_TEST(t.prepare_sql.empty());
  BOOST_TEST(t.display == "postgresql://h/db?password=***");
  // The TLS key's passphrase is as secret.
  auto ssl = load_dialect("postgresql").describe_database("postgresql://h/db?sslpassword=keypass&sslmode=require", 60);
  BOOST_TEST(ssl.display.find("keypass") == std::string::npos, ssl.display);
  BOOST_TEST((std::find(ssl.secrets.begin(), ssl.secrets.end(), "keypass") != ssl.secrets.end()));
  BOOST_TEST(t.default_schema_query.find("current_schema()") !=
             std::string::npos);  // checked live in session_state_test
  auto h = load_dialect("postgresql").runner_sql("public");
  BOOST_TEST(h.create[0].find("\"public\".runner_history") != std::string::npos);
  BOOST_TEST(h.lock_try.find("'public'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(passwords_with_raw_reserved_characters_are_refused_unquoted) {
  const auto& d = load_dialect("postgresql");
  for (const std::string pw : {"pa/ss", "pa?ss", "p@ss", "ab@c/d", "a#b", "ab%zz"}) {
    try {
      d.describe_database("postgresql://u:" + pw + "@h:5432/db?schema=s", 60);
      BOOST_FAIL("accepted " + pw);
    } catch (const runner::UsageError& e) {
      const std::string what = e.what();
      BOOST_TEST((what.find("percent-encode") != std::string::npos || what.find("%25") != std::string::npos), what);
      BOOST_TEST(what.find(pw) == std::string::npos, what);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_at_sign_in_a_query_value_is_not_a_password) {
  const auto& d = load_dialect("postgresql");
  for (const std::string url :
       {"postgresql://app@db/prod?application_name=deploy@ci", "postgresql:///db?host=/run/postgresql&user=svc@corp",
        "postgresql://u:p%40ss@h/db?schema=s&application_name=a@b"})
    BOOST_CHECK_NO_THROW(d.describe_database(url, 60));
  auto t = d.describe_database("postgresql://app:pw@db:5432/prod?application_name=dep@ci&schema=s", 60);
  BOOST_TEST(t.schema == "s");
  BOOST_TEST(t.display == "postgresql://app:***@db:5432/prod?application_name=dep@ci&schema=s");
  BOOST_TEST(t.connect.find("schema=") == std::string::npos, t.connect);
  BOOST_TEST(t.connect.find("?application_name=dep@ci&client_encoding=UTF8") != std::string::npos, t.connect);
}

BOOST_AUTO_TEST_CASE(a_password_parameter_is_masked_however_its_key_is_written) {
  const auto& d = load_dialect("postgresql");
  for (const std::string key : {"password", "%70assword", "Password", "PASSWORD"}) {
    auto t = d.describe_database("postgresql://u@h/db?" + key + "=SECRETX&schema=s", 60);
    BOOST_TEST(t.display.find("SECRETX") == std::string::npos, t.display);
    BOOST_TEST((std::find(t.secrets.begin(), t.secrets.end(), "SECRETX") != t.secrets.end()), key);
  }
}

BOOST_AUTO_TEST_CASE(passwords_are_masked) {
  const auto& d = load_dialect("postgresql");
  for (const std::string pw : {"p%40ss", "se:cret", "plain"}) {
    auto t = d.describe_database("postgresql://u:" + pw + "@h:5432/db?schema=s", 60);
    BOOST_TEST(t.display.find(pw) == std::string::npos, t.display);
    BOOST_TEST(t.display.find("u:***@") != std::string::npos, t.display);
    BOOST_TEST((std::find(t.secrets.begin(), t.secrets.end(), pw) != t.secrets.end()), pw);
    BOOST_TEST(t.schema == "s");
  }
  auto given =
      d.describe_database("postgresql://h/db?client_encoding=LATIN1&application_name=app&connect_timeout=3", 60);
  BOOST_TEST(given.connect == "postgresql://h/db?client_encoding=LATIN1&application_name=app&connect_timeout=3");
}

BOOST_AUTO_TEST_CASE(projects_are_schemas_found_with_like) {
  const auto& d = load_dialect("postgresql");
  const std::string q = d.projects_query("project_*");
  BOOST_TEST(q.find("nspname LIKE 'project\\_%' ESCAPE '\\'") != std::string::npos, q);
  BOOST_TEST(q.find("NOT LIKE 'pg\\_%'") != std::string::npos, q);  // system schemas are never projects
  BOOST_TEST(q.find("<> 'information_schema'") != std::string::npos, q);
  BOOST_TEST(d.projects_query("it's?").find("'it''s_'") != std::string::npos);
  BOOST_TEST(d.project_url("postgresql://u:p@h/db?schema=old&sslmode=disable", "project_7") ==
             "postgresql://u:p@h/db?sslmode=disable&schema=project_7");
  std::string quoted = d.project_url("postgresql://h/db", "Project \"x\"");
  BOOST_TEST(quoted == "postgresql://h/db?schema=Project%20%22x%22");
  BOOST_TEST(d.describe_database(quoted, 60).schema == "Project \"x\"");
}

BOOST_AUTO_TEST_CASE(bad_urls_are_usage_errors) {
  const auto& d = load_dialect("postgresql");
  BOOST_CHECK_THROW(d.describe_database("mysql://h/db", 60), runner::UsageError);
  BOOST_CHECK_THROW(d.describe_database("postgresql://h/db?schema=", 60), runner::UsageError);
  BOOST_CHECK_THROW(d.describe_database("postgresql://h/db?schema=%G1", 60), runner::UsageError);
  // ':' in a schema name was refused while SOCI ran the runner's own statements (it read ":b" as a
  // bind); the driver runs them verbatim now.
  BOOST_TEST(d.describe_database("postgresql://h/db?schema=a:b", 60).schema == "a:b");
}

BOOST_AUTO_TEST_SUITE_END()
