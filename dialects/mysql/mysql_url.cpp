// SPDX-License-Identifier: MIT
#include "mysql_url.hpp"

#include <algorithm>
#include <string>

namespace runner::mysql {
namespace {

[[noreturn]] void refuse(const std::string& message) { throw sdk::Failure(RUNNER_ERR_USAGE, 0, message); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text, const char* what) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0)
      refuse(std::string("the ") + what + " holds a '%' that starts no %XX escape: write '%' as %25");
    out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
    i += 2;
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return s;
}

// A value in SOCI's connect string: quoted, a quote or backslash inside escaped.
std::string soci_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

struct Parts {
  std::size_t authority = 0, authority_end = 0, at = std::string_view::npos, path_end = 0;
};

Parts parts_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) refuse("expected mysql://USER:PASSWORD@HOST:PORT/DATABASE");
  const std::string scheme = upper(std::string(url.substr(0, scheme_end)));
  if (scheme != "MYSQL" && scheme != "MARIADB")
    refuse("expected a mysql:// or mariadb:// URL, not " + std::string(url.substr(0, scheme_end)) + "://");
  Parts p;
  p.authority = scheme_end + 3;
  p.authority_end = std::min(url.find_first_of("/?", p.authority), url.size());
  const std::size_t at = url.substr(p.authority, p.authority_end - p.authority).rfind('@');
  if (at != std::string_view::npos) p.at = p.authority + at;
  p.path_end = std::min(url.find('?', p.authority_end), url.size());
  return p;
}

}  // namespace

std::string backquote(std::string_view name) {
  std::string q = "`";
  for (char c : name) {
    if (c == '`') q += '`';
    q += c;
  }
  return q + "`";
}

Url parse_url(std::string_view url) {
  const Parts p = parts_of(url);
  Url u;
  std::size_t host_from = p.authority;
  if (p.at != std::string_view::npos) {
    const std::string_view userinfo = url.substr(p.authority, p.at - p.authority);
    const std::size_t colon = userinfo.find(':');
    u.user = percent_decode(userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos) {
      u.has_password = true;
      u.raw_password = std::string(userinfo.substr(colon + 1));
      u.password = percent_decode(u.raw_password, "password");
    }
    host_from = p.at + 1;
  }
  std::string_view hostport = url.substr(host_from, p.authority_end - host_from);
  std::size_t colon = hostport.rfind(':');
  if (!hostport.empty() && hostport.front() == '[') {
    const std::size_t close = hostport.find(']');
    if (close == std::string_view::npos) refuse("the host '" + std::string(hostport) + "' opens [ without ]");
    u.host = std::string(hostport.substr(1, close - 1));
    colon = hostport.find(':', close);
  } else {
    u.host = percent_decode(hostport.substr(0, colon), "host");
  }
  if (colon != std::string_view::npos) {
    const std::string port(hostport.substr(colon + 1));
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) || std::stoi(port) == 0 ||
        std::stoi(port) > 65535)
      refuse("the port '" + port + "' is not a number from 1 to 65535");
    u.port = std::stoi(port);
  }
  if (p.authority_end < p.path_end && url[p.authority_end] == '/')
    u.database = percent_decode(url.substr(p.authority_end + 1, p.path_end - p.authority_end - 1), "database name");
  if (u.database.find('/') != std::string::npos)
    refuse("the database name '" + u.database + "' holds a '/': the path of a mysql:// URL is one database");
  if (u.database.size() > 64) refuse("the database name '" + u.database + "' is longer than MySQL's 64 characters");
  if (p.path_end < url.size()) {
    std::string_view query = url.substr(p.path_end + 1);
    while (!query.empty()) {
      const std::size_t amp = std::min(query.find('&'), query.size());
      const std::string_view part = query.substr(0, amp);
      query = amp < query.size() ? query.substr(amp + 1) : std::string_view();
      if (part.empty()) continue;
      const std::size_t eq = part.find('=');
      std::string key(part.substr(0, eq));
      std::replace(key.begin(), key.end(), '_', '-');
      if (eq == std::string_view::npos) refuse("the parameter '" + key + "' has no value (write " + key + "=VALUE)");
      const std::string value = percent_decode(part.substr(eq + 1), "parameter value");
      if (key == "socket") {
        u.socket = value;
      } else if (key == "ssl-mode" || key == "sslmode") {
        u.ssl_mode = upper(value);
      } else if (key == "ssl-ca") {
        u.ssl_ca = value;
      } else if (key == "ssl-cert") {
        u.ssl_cert = value;
      } else if (key == "ssl-key") {
        u.ssl_key = value;
      } else if (key == "connect-timeout") {
        if (value.empty() || value.size() > 6 ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            std::stoul(value) == 0)
          refuse("connect-timeout '" + value + "' is not a whole number of seconds above 0");
        u.connect_timeout = static_cast<unsigned>(std::stoul(value));
      } else if (key == "schema") {
        refuse(
            "a mysql:// URL names its database in the path (mysql://USER@HOST/DATABASE): MySQL's schemas are "
            "databases, so there is no schema= parameter");
      } else {
        refuse("unknown parameter '" + key +
               "': a mysql:// URL takes socket, ssl-mode, ssl-ca, ssl-cert, ssl-key and "
               "connect-timeout");
      }
    }
  }
  if (!u.ssl_mode.empty()) {
    if (u.ssl_mode == "VERIFY_CA" || u.ssl_mode == "VERIFY_IDENTITY" || u.ssl_mode == "VERIFY-CA" ||
        u.ssl_mode == "VERIFY-IDENTITY")
      refuse("ssl-mode=" + u.ssl_mode +
             " is not available: SOCI 4.0's mysql backend cannot ask the client library to verify the server's "
             "certificate; use ssl-mode=REQUIRED with ssl-ca=FILE (encrypted, checked once connected) on a network "
             "you trust, or a socket");
    if (u.ssl_mode != "DISABLED" && u.ssl_mode != "PREFERRED" && u.ssl_mode != "REQUIRED")
      refuse("ssl-mode '" + u.ssl_mode + "' is not one of DISABLED, PREFERRED, REQUIRED");
    if (u.ssl_mode == "REQUIRED" && u.ssl_ca.empty())
      refuse(
          "ssl-mode=REQUIRED needs ssl-ca=FILE (the CA certificate of the server): SOCI 4.0's mysql backend turns "
          "TLS on only with one");
    if (u.ssl_mode == "DISABLED" && !u.ssl_ca.empty()) refuse("ssl-mode=DISABLED with ssl-ca: drop one of them");
  }
  if ((!u.ssl_cert.empty() || !u.ssl_key.empty()) && u.ssl_ca.empty())
    refuse("ssl-cert and ssl-key need ssl-ca too (SOCI 4.0's mysql backend sets TLS up only with a CA)");
  if (u.host.empty() && u.socket.empty()) u.host = "localhost";
  return u;
}

std::string connect_string(const Url& u) {
  std::string s;
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) s += std::string(s.empty() ? "" : " ") + key + "=" + soci_value(value);
  };
  add("dbname", u.database);
  add("user", u.user);
  if (u.has_password) s += std::string(s.empty() ? "" : " ") + "password=" + soci_value(u.password);
  if (u.socket.empty()) {
    add("host", u.host);
    s += " port=" + std::to_string(u.port);
  } else {
    add("unix_socket", u.socket);
  }
  if (u.ssl_mode != "DISABLED") {
    add("sslca", u.ssl_ca);
    add("sslcert", u.ssl_cert);
    add("sslkey", u.ssl_key);
  }
  add("charset", "utf8mb4");
  if (u.connect_timeout > 0) s += " connect_timeout=" + std::to_string(u.connect_timeout);
  return u.ssl_mode == "REQUIRED" ? std::string(k_tls_required) + s : s;
}

std::string display(std::string_view url) {
  const Parts p = parts_of(url);
  if (p.at == std::string_view::npos) return std::string(url);
  const std::size_t colon = url.substr(p.authority, p.at - p.authority).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, p.authority + colon + 1)) + "***" + std::string(url.substr(p.at));
}

std::string server_of(const Url& u) {
  if (!u.socket.empty()) return "localhost:" + u.socket;
  return (u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host) + ":" + std::to_string(u.port);
}

std::string with_database(std::string_view url, std::string_view database) {
  const Parts p = parts_of(url);
  std::string encoded;
  static const char k_hex[] = "0123456789ABCDEF";
  for (char c : database) {
    const auto b = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')
      encoded += c;
    else
      encoded += {'%', k_hex[b >> 4], k_hex[b & 0xF]};
  }
  return std::string(url.substr(0, p.authority_end)) + "/" + encoded + std::string(url.substr(p.path_end));
}

void describe_database(std::string_view url, const sdk::Sink& out) {
  const Url u = parse_url(url);
  out.field("connect", connect_string(u));
  out.field("display", display(url));
  if (u.has_password && !u.password.empty()) {
    out.field("secret", u.password);
    if (u.raw_password != u.password) out.field("secret", u.raw_password);
  }
  out.field("schema", u.database);
  out.field("file", "");
  out.field("server", server_of(u));
  // Without CLIENT_MULTI_STATEMENTS the server runs one statement per call: a statement the
  // splitter missed fails loudly instead of running unseen.
  out.field("one_statement", "1");
  if (u.database.empty()) {
    out.field("default_schema", "SELECT IFNULL(DATABASE(), '')");
    out.field("default_schema_unknown",
              "the URL names no database: give it in the path, as in mysql://USER@HOST:3306/DATABASE");
  } else {
    // A migration's USE must not send the next migration's tables elsewhere.
    out.field("reset_sql", "USE " + backquote(u.database));
  }
  // What identifies the server session, and its two ports (the client's as the server saw it):
  // a proxy multiplexing sessions shows as ports that are not the connection's own.
  out.field("session_id",
            "SELECT CONCAT(CONNECTION_ID(), ' ', IF(LOCATE(':', HOST) > 0, SUBSTRING_INDEX(HOST, ':', -1), '-1'), ' ', "
            "IF(LOCATE(':', HOST) > 0, @@port, '-1')) FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()");
  out.field(
      "read_only",
      "SELECT IF(@@global.read_only, CONCAT('the server at ', @@hostname, ':', @@port, ' is read-only (read_only = "
      "ON): a replica, or a primary set read-only'), '')");
}

}  // namespace runner::mysql
