// SPDX-License-Identifier: MIT
#include "postgresql_url.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace runner::postgresql {
namespace {

// "%XX" for one byte.
std::string percent_escape(char c) {
  static const char k_hex[] = "0123456789ABCDEF";
  auto u = static_cast<unsigned char>(c);
  return {'%', k_hex[u >> 4], k_hex[u & 0xF]};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> split_on(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

// The '@' that ends the user info, or npos: as libpq reads a URL, the authority runs to the first
// '/', '?' or '#', and an '@' in it ends the user info (a raw reserved character in a password
// is refused before this matters; an '@' in a query value, as in application_name=deploy@ci, is
// not the user info's).
std::size_t userinfo_end(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string_view::npos;
  const std::size_t start = scheme_end + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?#", start), url.size());
  const std::size_t at = url.substr(start, authority_end - start).rfind('@');
  return at == std::string_view::npos ? std::string_view::npos : start + at;
}

// Offset of the '?' that starts the query, or npos.
std::size_t query_start(std::string_view url) {
  std::size_t from = userinfo_end(url);
  if (from == std::string_view::npos) from = url.find("://") == std::string_view::npos ? 0 : url.find("://") + 3;
  return url.find('?', from);
}

// libpq splits a URL's user info at its first '@' and its authority at the first '/', '?' or '#',
// so a raw reserved character in a password makes libpq read part of the password as a host or a
// parameter and quote it in its errors. Such a URL is refused before libpq sees it, without
// repeating any of it.
void refuse_raw_reserved_userinfo(std::string_view url) {
  auto refuse = [](char c) {
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       std::string("the user name or password holds a raw '") + c +
                           "', which libpq would read as part of the host, path or query: percent-encode it "
                           "('@' as %40, '/' as %2F, '?' as %3F, '#' as %23), as in "
                           "postgresql://user:p%40ss@host/db");
  };
  // libpq's authority runs to the first '/', '?' or '#', and its user info to an '@' in it.
  const std::string_view rest = url.substr(url.find("://") + 3);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  const std::size_t at = authority.find('@');
  if (at != std::string_view::npos && authority.find('@', at + 1) != std::string_view::npos) refuse('@');
  if (authority_end < rest.size()) {
    const std::string_view tail = rest.substr(authority_end);
    const std::size_t query = std::min(tail.find('?'), tail.size());
    // An '@' in the path, or in the query before any key=value: the rest of a password that held
    // a raw '/', '?' or '#' (an '@' inside a query value, as in application_name=deploy@ci, is not).
    const std::size_t tail_at = tail.find('@');
    if (tail_at != std::string_view::npos &&
        (tail_at < query ||
         (at == std::string_view::npos && tail.substr(0, tail_at).find('=') == std::string_view::npos)))
      refuse(rest[authority_end]);
  }
  if (at == std::string_view::npos) return;
  try {
    percent_decode(authority.substr(0, at));
  } catch (const sdk::Failure&) {
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       "the user name or password holds a '%' that starts no %XX escape: write '%' as %25");
  }
}

// Whether a query parameter sets a password (password, sslpassword): libpq decodes %XX in keys (%70assword is
// password), and a key in another case is refused by libpq with the value quoted in its message.
bool is_password_param(std::string_view part) {
  std::string key(part.substr(0, part.find('=')));
  try {
    key = percent_decode(key);
  } catch (const sdk::Failure&) {
    // An undecodable key is no parameter libpq knows; compared as written.
  }
  for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  // sslpassword unlocks the client's TLS key: as secret as the password.
  return (key == "password" || key == "sslpassword") && part.find('=') != std::string_view::npos;
}

// The value of query parameter `key` (decoded), "" when absent.
std::string query_param(std::string_view url, std::string_view key) {
  const std::size_t q = query_start(url);
  if (q == std::string_view::npos) return "";
  for (std::string_view part : split_on(url.substr(q + 1), '&'))
    if (part.size() > key.size() && part.substr(0, key.size()) == key && part[key.size()] == '=') {
      try {
        return percent_decode(part.substr(key.size() + 1));
      } catch (const sdk::Failure&) {
        return std::string(part.substr(key.size() + 1));
      }
    }
  return "";
}

}  // namespace

std::string server_of(std::string_view url) {
  // libpq's hosts: the authority's list, else host= (a list too), else the local socket; each
  // with its port: the authority's, else port= (one for all, or one each), else 5432.
  std::vector<std::string> hosts, ports;
  if (const std::size_t scheme_end = url.find("://"); scheme_end != std::string_view::npos) {
    const std::size_t at = userinfo_end(url);
    const std::size_t start = at == std::string_view::npos ? scheme_end + 3 : at + 1;
    const std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
    for (std::string_view host_port : split_on(url.substr(start, end - start), ',')) {
      if (host_port.empty()) continue;
      // [::1]:5432: the port follows the bracket.
      const std::size_t colon =
          host_port.front() == '[' ? host_port.find(':', host_port.find(']')) : host_port.rfind(':');
      hosts.emplace_back(host_port.substr(0, colon));
      ports.emplace_back(colon == std::string_view::npos ? std::string_view() : host_port.substr(colon + 1));
    }
  }
  const std::string host_param = query_param(url, "host");  // split_on's views point into it
  if (hosts.empty())
    for (std::string_view host : split_on(host_param, ','))
      if (!host.empty()) hosts.emplace_back(host);
  if (hosts.empty()) hosts.emplace_back("local socket");
  const std::string port_param = query_param(url, "port");
  const std::vector<std::string_view> param_ports = split_on(port_param, ',');
  std::string out;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    std::string port = i < ports.size() ? ports[i] : "";
    if (port.empty() && !port_param.empty())
      port = std::string(param_ports.size() == 1 ? param_ports[0] : i < param_ports.size() ? param_ports[i] : "");
    out += (out.empty() ? "" : ",") + hosts[i] + ":" + (port.empty() ? "5432" : port);
  }
  return out;
}

std::string soci_safe_uri(std::string_view uri) {
  // SOCI 4.0 re-tokenises the connect string on blanks and '=' and cannot quote: a bare URI
  // becomes "dbname=" and a quoted value breaks. libpq decodes %XX anywhere in a URI, so the
  // characters SOCI trips on are encoded, and one query parameter is always present.
  std::string out;
  for (char c : uri) {
    if (c == ' ' || c == '\t' || c == '\'' || c == '"' || c == '\\') {
      out += percent_escape(c);
    } else {
      out += c;
    }
  }
  // Migration files are UTF-8; the server converts them for a database in another encoding
  // instead of storing the bytes as they come. A server that takes the connection and never
  // answers (a hung host, a full backlog) would otherwise hold a deploy, or an application's
  // start-up, for ever: connecting waits 10 seconds unless the URL says otherwise.
  for (const char* param : {"client_encoding=UTF8", "application_name=runner", "connect_timeout=10"}) {
    std::string key = std::string(param).substr(0, std::string(param).find('=') + 1);
    if (out.find(key, query_start(out) == std::string::npos ? out.size() : query_start(out)) != std::string::npos)
      continue;
    out += (query_start(out) == std::string::npos ? "?" : "&") + std::string(param);
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) throw sdk::Failure(RUNNER_ERR_SYNTAX, 0, "malformed %-escape in URL");
    int hi = hex_value(text[i + 1]);
    int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) throw sdk::Failure(RUNNER_ERR_SYNTAX, 0, "malformed %-escape in URL");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string mask_password(std::string_view url) {
  std::string out(url);
  std::size_t at = userinfo_end(out);
  if (at != std::string::npos) {
    std::size_t auth_start = out.find("://") + 3;
    std::size_t colon = out.find(':', auth_start);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  std::size_t q = query_start(out);
  if (q != std::string::npos) {
    std::string query = out.substr(q + 1);
    std::string masked;
    for (std::string_view part : split_on(query, '&')) {
      if (!masked.empty()) masked.push_back('&');
      if (is_password_param(part))
        masked += std::string(part.substr(0, part.find('=') + 1)) + "***";
      else
        masked += part;
    }
    out = out.substr(0, q + 1) + masked;
  }
  return out;
}

std::vector<std::string> passwords_in(std::string_view url) {
  std::vector<std::string> found;
  auto add = [&](std::string_view raw) {
    if (raw.empty()) return;
    found.emplace_back(raw);
    try {
      std::string decoded = percent_decode(raw);
      if (decoded != raw) found.push_back(decoded);
    } catch (const sdk::Failure&) {
      // Not decodable: libpq will quote it raw, which is already listed.
    }
  };
  std::size_t at = userinfo_end(url);
  if (at != std::string_view::npos) {
    std::size_t auth_start = url.find("://") + 3;
    std::size_t colon = url.find(':', auth_start);
    if (colon != std::string_view::npos && colon < at) add(url.substr(colon + 1, at - colon - 1));
  }
  std::size_t q = query_start(url);
  if (q != std::string_view::npos)
    for (std::string_view part : split_on(url.substr(q + 1), '&'))
      if (is_password_param(part)) add(part.substr(part.find('=') + 1));
  return found;
}

std::string with_schema(std::string_view url, std::string_view schema) {
  std::string encoded;
  for (char c : schema) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')
      encoded += c;
    else
      encoded += percent_escape(c);
  }
  std::string base(url);
  std::size_t q = query_start(base);
  std::string kept;
  if (q != std::string::npos) {
    for (std::string_view part : split_on(std::string_view(base).substr(q + 1), '&'))
      if (!part.empty() && part.substr(0, 7) != "schema=") kept += (kept.empty() ? "" : "&") + std::string(part);
    base = base.substr(0, q);
  }
  return base + "?" + (kept.empty() ? "" : kept + "&") + "schema=" + encoded;
}

std::string with_database(std::string_view url, std::string_view database) {
  std::string base(url);
  std::string query;
  if (const std::size_t q = query_start(base); q != std::string::npos) {
    for (std::string_view part : split_on(std::string_view(base).substr(q + 1), '&'))
      if (!part.empty() && part.substr(0, 7) != "schema=" && part.substr(0, 7) != "dbname=")
        query += (query.empty() ? "?" : "&") + std::string(part);
    base = base.substr(0, q);
  }
  const std::size_t authority = base.find("://") + 3;
  const std::size_t path = base.find('/', authority);
  if (path != std::string::npos) base.erase(path);
  return base + "/" + std::string(database) + query;
}

void describe_database(std::string_view url, const sdk::Sink& out) {
  if (url.substr(0, 13) != "postgresql://" && url.substr(0, 11) != "postgres://")
    throw sdk::Failure(RUNNER_ERR_SYNTAX, 0, "not a PostgreSQL URL (expected postgresql://...)");
  refuse_raw_reserved_userinfo(url);

  // Take schema= out of the query; everything else goes to libpq untouched.
  std::string connect(url);
  std::string schema;
  std::size_t q = query_start(connect);
  if (q != std::string::npos) {
    std::string kept;
    for (std::string_view part : split_on(std::string_view(connect).substr(q + 1), '&')) {
      if (part.substr(0, 7) == "schema=") {
        if (!schema.empty())
          throw sdk::Failure(RUNNER_ERR_USAGE, 0, "schema= is given more than once in the URL: give one schema");
        schema = percent_decode(part.substr(7));
        if (schema.empty()) throw sdk::Failure(RUNNER_ERR_SYNTAX, 0, "schema= is empty in the URL");
        continue;
      }
      if (part.empty()) continue;
      if (!kept.empty()) kept.push_back('&');
      kept += part;
    }
    connect = connect.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  }
  connect = soci_safe_uri(connect);

  out.field("connect", connect);
  std::string display = mask_password(url);
  out.field("display", display);
  for (const auto& secret : passwords_in(url)) out.field("secret", secret);
  out.field("schema", schema);
  out.field("file", "");
  out.field("server", server_of(url));

  // One round trip. Warnings reach the log through the host's notice processor; plain notices
  // ("table does not exist, skipping") are noise in a migration run. The runner's own literals
  // (schema names in the lock key, LIKE patterns) assume standard strings.
  std::string session = "SET client_min_messages TO warning; SET standard_conforming_strings TO on";
  std::string reset = session;
  if (schema.empty()) {
    // Where runner_history already is, wherever the search path now starts: a migration that
    // creates the "$user" schema or runs ALTER DATABASE ... SET search_path must not make the next
    // run start a second history (and take another lock) in another schema. "" when several
    // schemas hold one and the connection's own does not: the host asks for ?schema=.
    out.field("default_schema",
              "WITH h AS (SELECT n.nspname::text AS s FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
              "ON n.oid = c.relnamespace WHERE c.relname = 'runner_history' AND c.relkind IN ('r', 'p')) "
              "SELECT CASE WHEN current_schema() IN (SELECT s FROM h) THEN current_schema() "
              "WHEN (SELECT count(*) FROM h) = 1 THEN (SELECT s FROM h) "
              "WHEN (SELECT count(*) FROM h) = 0 THEN coalesce(current_schema(), '') ELSE '' END");
    out.field("default_schema_unknown",
              "the URL names no schema, and runner_history exists in several schemas but not in the "
              "connection's own (or the search path names no schema that exists): name the one to use "
              "with ?schema=NAME");
    // Back to the search path the connection started with (role, database and URL options).
    reset += "; RESET search_path";
  } else {
    // Unqualified names in migrations land in the target schema; public stays visible for
    // extensions installed there.
    std::string path = sdk::double_quote(schema);
    if (schema != "public") path += ", public";
    session += "; SET search_path TO " + path;
    reset = session;
    out.field("prepare_sql", "CREATE SCHEMA IF NOT EXISTS " + sdk::double_quote(schema));
  }
  out.field("session_sql", session);
  out.field(
      "session_id",
      "SELECT pg_backend_pid() || ' ' || coalesce(inet_client_port(), -1) || ' ' || coalesce(inet_server_port(), -1)");
  // Where the connection landed, for messages: with several hosts libpq picks one.
  const std::string here = "coalesce(host(inet_server_addr()) || ':' || inet_server_port(), 'the local socket')";
  // A standby (or a read-only session) refuses every write: said before anything is planned.
  out.field("read_only",
            "SELECT CASE WHEN pg_is_in_recovery() THEN 'the server at ' || " + here +
                " || ' is a standby (in recovery) and takes no writes' "
                "WHEN current_setting('default_transaction_read_only') = 'on' THEN 'sessions on the server at ' || " +
                here + " || ' are read-only (default_transaction_read_only)' ELSE '' END");
  // Replicas: the WAL position writes have reached, and how far each streaming replica is from
  // replaying a position ($1). A WAL receiver that replays nothing (pg_receivewal, a base backup
  // streaming its WAL) has no replay position: not waited for.
  // The insert position, not pg_current_wal_lsn(): with synchronous_commit off, a commit returns
  // before its record is written, and the written position can still be short of it. (When the
  // last record ends on a page boundary, the insert position is past the next page's header, and
  // the replicas reach it with the server's next record: within seconds on a live primary.)
  out.field("write_position", "SELECT pg_current_wal_insert_lsn()::text");
  out.field("replica_lag",
            "SELECT coalesce(nullif(application_name, ''), 'replica') || ' (' || coalesce(host(client_addr), "
            "'local socket') || ')', greatest(0, pg_wal_lsn_diff($1::pg_lsn, coalesce(replay_lsn, '0/0'::pg_lsn)))::"
            "bigint::text FROM pg_stat_replication WHERE replay_lsn IS NOT NULL ORDER BY 1");
  // A migration may SET, set_config or RESET any of these; the next one must not inherit that
  // and land in another schema, so they are set again before each migration.
  out.field("reset_sql", reset);
  // Everything a session holds (SET, SET ROLE, temporary tables, prepared statements, advisory
  // locks, LISTEN) back to how the connection started: what PgBouncer runs between clients.
  out.field("discard_sql", "DISCARD ALL");
  // And what the driver sets as it connects (SOCI: float text that round-trips).
  out.field("discard_sql", "SET extra_float_digits = 3");
}

}  // namespace runner::postgresql
