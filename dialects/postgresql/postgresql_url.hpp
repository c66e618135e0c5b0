// SPDX-License-Identifier: MIT
// What a postgresql:// URL names, and how the host connects to it and locks it.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace runner::postgresql {

// Accepts postgresql:// and postgres:// URIs as libpq does (defaults, PGPASSWORD, .pgpass), plus
// one parameter of ours, schema=NAME, which libpq never sees.
void describe_database(std::string_view url, const sdk::Sink& out);

// The URL with the password (user:PASSWORD@ or password=) replaced by ***.
std::string mask_password(std::string_view url);

// The URI in a form SOCI 4.0's connect-string parser passes to libpq unchanged.
std::string soci_safe_uri(std::string_view uri);

// The password as written in the URL and as decoded, for the host to scrub from driver messages.
std::vector<std::string> passwords_in(std::string_view url);

// `url` with its schema= parameter set to `schema` (%-encoded), replacing any there.
std::string with_schema(std::string_view url, std::string_view schema);

// `url` naming database `database` on the same server (the path replaced, any dbname= and schema=
// parameter dropped): a scratch database's URL. `database` is a plain name ([a-z0-9_]).
std::string with_database(std::string_view url, std::string_view database);

// The server(s) a URL reaches, as "HOST:PORT" (a comma-separated list for a multi-host URL),
// without user or password: what a fleet run groups projects by and caps connections to.
std::string server_of(std::string_view url);

// Decodes %XX escapes. Throws sdk::Failure on a malformed escape.
std::string percent_decode(std::string_view text);

}  // namespace runner::postgresql
