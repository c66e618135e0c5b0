// SPDX-License-Identifier: MIT
// What a mysql:// or mariadb:// URL names, and the connect string SOCI's mysql backend takes for it.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string>
#include <string_view>

namespace runner::mysql {

// mysql://USER:PASSWORD@HOST:PORT/DATABASE?socket=PATH&ssl-mode=MODE&ssl-ca=FILE... (or mariadb://).
struct Url {
  std::string user;
  std::string password;      // decoded
  std::string raw_password;  // as written, %-escapes and all
  bool has_password = false;
  std::string host;  // "" with socket=
  int port = 3306;
  std::string database;  // "" when the URL names none
  std::string socket;
  std::string ssl_mode;  // DISABLED, PREFERRED, REQUIRED ("" when not given)
  std::string ssl_ca, ssl_cert, ssl_key;
  unsigned connect_timeout = 0;  // seconds; 0: the client library's default
};

// Throws sdk::Failure(RUNNER_ERR_USAGE) naming what is wrong: another scheme, a bad port, an
// unknown parameter, a malformed %-escape, an ssl-mode SOCI's backend cannot honour.
Url parse_url(std::string_view url);

// The connect string for SOCI's mysql backend; REQUIRED is carried as a prefix the driver takes off
// (SOCI has no such option): it checks, once connected, that the session is encrypted.
std::string connect_string(const Url& url);

// The URL with the password masked.
std::string display(std::string_view url);

// "HOST:PORT", or "localhost:SOCKET".
std::string server_of(const Url& url);

// `url` naming database `database` on the same server (its path replaced).
std::string with_database(std::string_view url, std::string_view database);

// Backquoted identifier, a backquote inside doubled.
std::string backquote(std::string_view name);

void describe_database(std::string_view url, const sdk::Sink& out);

// The prefix connect_string() puts before a connect string whose session must be encrypted.
inline constexpr std::string_view k_tls_required = "runner-tls-required ";

}  // namespace runner::mysql
