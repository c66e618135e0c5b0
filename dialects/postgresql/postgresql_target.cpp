// SPDX-License-Identifier: MIT
#include "dialects/postgresql/postgresql_target.hpp"

#include <string>
#include <vector>

namespace runner::postgresql {
namespace {

constexpr const char* k_lock_class = "1920298611";  // first advisory-lock key: "runr" in ASCII

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

}  // namespace

std::string soci_safe_uri(std::string_view uri) {
  // SOCI 4.0 re-tokenises the connect string on blanks and '=' and cannot quote: a bare URI
  // becomes "dbname=" and a quoted value breaks. libpq decodes %XX anywhere in a URI, so the
  // characters SOCI trips on are encoded, and one query parameter is always present.
  std::string out;
  for (char c : uri) {
    if (c == ' ' || c == '\t' || c == '\'' || c == '"' || c == '\\') {
      static const char k_hex[] = "0123456789ABCDEF";
      out += '%';
      out += k_hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += k_hex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  if (out.find("application_name=") == std::string::npos)
    out += (out.find('?') == std::string::npos ? "?" : "&") + std::string("application_name=runner");
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
  std::size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    std::size_t auth_start = scheme_end + 3;
    std::size_t auth_end = out.find_first_of("/?", auth_start);
    std::size_t at = out.rfind('@', auth_end == std::string::npos ? std::string::npos : auth_end);
    if (at != std::string::npos && at >= auth_start) {
      std::size_t colon = out.find(':', auth_start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  std::size_t q = out.find('?');
  if (q != std::string::npos) {
    std::string query = out.substr(q + 1);
    std::string masked;
    for (std::string_view part : split_on(query, '&')) {
      if (!masked.empty()) masked.push_back('&');
      if (part.substr(0, 9) == "password=")
        masked += "password=***";
      else
        masked += part;
    }
    out = out.substr(0, q + 1) + masked;
  }
  return out;
}

void describe_target(std::string_view url, const sdk::Sink& out) {
  if (url.substr(0, 13) != "postgresql://" && url.substr(0, 11) != "postgres://")
    throw sdk::Failure(RUNNER_ERR_SYNTAX, 0, "not a PostgreSQL URL (expected postgresql://...)");

  // Take schema= out of the query; everything else goes to libpq untouched.
  std::string connect(url);
  std::string schema;
  std::size_t q = connect.find('?');
  if (q != std::string::npos) {
    std::string kept;
    for (std::string_view part : split_on(std::string_view(connect).substr(q + 1), '&')) {
      if (part.substr(0, 7) == "schema=") {
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
  out.field("schema", schema);
  out.field("file", "");

  // Warnings reach the log through the host's notice processor; plain notices such as
  // "table does not exist, skipping" are noise in a migration run.
  out.field("session_sql", "SET client_min_messages TO warning");
  std::string schema_literal = schema.empty() ? "current_schema()" : sdk::single_quote(schema);
  if (!schema.empty()) {
    // Unqualified names in migrations land in the target schema; public stays visible for
    // extensions installed there.
    std::string path = sdk::double_quote(schema);
    if (schema != "public") path += ", public";
    out.field("session_sql", "SET search_path TO " + path);
    out.field("prepare_sql", "CREATE SCHEMA IF NOT EXISTS " + sdk::double_quote(schema));
  }
  // Session-level advisory lock keyed on (runner, database + schema): runs on other schemas of the
  // same database proceed in parallel.
  std::string key = std::string(k_lock_class) + ", hashtext(current_database() || '.' || " + schema_literal + ")";
  out.field("lock_try", "SELECT CASE WHEN pg_try_advisory_lock(" + key + ") THEN 1 ELSE 0 END");
  out.field("lock_release", "SELECT CASE WHEN pg_advisory_unlock(" + key + ") THEN 1 ELSE 0 END");
}

}  // namespace runner::postgresql
