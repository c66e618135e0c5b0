// SPDX-License-Identifier: MIT
#include "tests/support/database_probe.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <stdexcept>

namespace runner::test {
namespace {

std::string text(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return "";
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string: return r.get<std::string>(i);
    case soci::dt_integer: return std::to_string(r.get<int>(i));
    case soci::dt_long_long: return std::to_string(r.get<long long>(i));
    case soci::dt_unsigned_long_long: return std::to_string(r.get<unsigned long long>(i));
    case soci::dt_double: return std::to_string(r.get<double>(i));
    default:
      throw std::runtime_error("probe: column " + r.get_properties(i).get_name() + " has a type rows() cannot show");
  }
}

class SociProbe : public DatabaseProbe {
 public:
  SociProbe(std::string tables_sql, std::string history_table)
      : tables_sql_(std::move(tables_sql)), history_(std::move(history_table)) {}
  soci::session session;

  std::vector<std::string> tables() override {
    std::vector<std::string> out;
    soci::rowset<std::string> rs = (session.prepare << tables_sql_);
    for (const auto& t : rs)
      if (t.rfind("runner_", 0) != 0) out.push_back(t);  // runner_history, runner_enum_values
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<HistoryRow> history() override {
    std::vector<HistoryRow> out;
    long long v = 0;
    std::string name, checksum;
    soci::statement st = (session.prepare << "SELECT version, name, checksum FROM " + history_ + " ORDER BY version",
                          soci::into(v), soci::into(name), soci::into(checksum));
    st.execute();
    while (st.fetch()) out.push_back({v, name, checksum});
    return out;
  }
  long long count(const std::string& sql) override {
    long long n = 0;
    session << sql, soci::into(n);
    return n;
  }
  void execute(const std::string& sql) override { session << sql; }
  std::vector<std::vector<std::string>> rows(const std::string& sql) override {
    std::vector<std::vector<std::string>> out;
    soci::rowset<soci::row> rs = (session.prepare << sql);
    for (const auto& r : rs) {
      std::vector<std::string> values;
      for (std::size_t i = 0; i < r.size(); ++i) values.push_back(text(r, i));
      out.push_back(std::move(values));
    }
    return out;
  }

 private:
  std::string tables_sql_;
  std::string history_;
};

std::string ident(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string sql_literal(const std::string& value) {
  std::string q = "'";
  for (char c : value) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

std::unique_ptr<DatabaseProbe> DatabaseProbe::sqlite(const std::string& file) {
  auto p = std::make_unique<SociProbe>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", "runner_history");
  p->session.open(soci::sqlite3, "db=\"" + file + "\"");
  return p;
}

std::unique_ptr<DatabaseProbe> DatabaseProbe::postgresql(const std::string& url, const std::string& schema) {
  auto p = std::make_unique<SociProbe>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = " + sql_literal(schema),
      ident(schema) + ".runner_history");
  p->session.open(soci::postgresql, url + (url.find('?') == std::string::npos ? "?" : "&") + "application_name=probe");
  p->session << "SET client_min_messages TO warning";
  p->session << "SET search_path TO " + ident(schema);
  return p;
}

std::unique_ptr<DatabaseProbe> DatabaseProbe::mysql(const std::string& url, const std::string& database) {
  auto p = std::make_unique<SociProbe>(
      "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
      "AND table_schema = " +
          sql_literal(database),
      "`" + database + "`.runner_history");
  // mysql://USER:PASSWORD@HOST:PORT/...: the test server's URL, no escapes in it.
  const std::size_t start = url.find("://") + 3, at = url.find('@', start), slash = url.find('/', at);
  const std::string userinfo = url.substr(start, at - start), hostport = url.substr(at + 1, slash - at - 1);
  const std::size_t colon = userinfo.find(':'), port = hostport.rfind(':');
  std::string connect = "user='" + userinfo.substr(0, colon) + "' host='" + hostport.substr(0, port) +
                        "' port=" + hostport.substr(port + 1) + " charset='utf8mb4'";
  if (colon != std::string::npos) connect += " password='" + userinfo.substr(colon + 1) + "'";
  if (!database.empty()) connect += " dbname='" + database + "'";
  p->session.open(soci::mysql, connect);
  return p;
}

}  // namespace runner::test
