// SPDX-License-Identifier: MIT
// The dialects' URL parsers (describe_database), through the host's loader: any text is a database
// or a UsageError naming what is wrong, never a crash. The first byte chooses the dialect (modulo 3:
// sqlite, postgresql, mysql).
#include "plugins/loader/dialect_loader.hpp"
#include "runner/base/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static runner::DialectLoader loader({RUNNER_FUZZ_DIALECT_DIR});
  static const runner::Dialect* dialects[] = {&loader.load("sqlite"), &loader.load("postgresql"),
                                              &loader.load("mysql")};
  if (size == 0) return 0;
  const unsigned which = data[0] % 3;
  const runner::Dialect& d = *dialects[which];
  const std::string url(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const runner::DatabaseInfo info = d.describe_database(url, 5, "/tmp/runner-fuzz");
    // What is shown never carries the password of a PostgreSQL URL's authority (user:password@host),
    // when that is the only place the text is (in a path or a parameter it is not a password; a
    // SQLite URL is a path).
    const std::size_t scheme = url.find("://");
    const std::size_t authority_end =
        scheme == std::string::npos ? std::string::npos : url.find_first_of("/?#", scheme + 3);
    const std::string authority =
        scheme == std::string::npos ? std::string() : url.substr(scheme + 3, authority_end - scheme - 3);
    const bool server_url = (which == 1 && url.rfind("postgres", 0) == 0) ||
                            (which == 2 && (url.rfind("mysql", 0) == 0 || url.rfind("mariadb", 0) == 0));
    if (server_url && authority.find(":secretpw@") != std::string::npos &&
        url.find("secretpw") == url.rfind("secretpw") && info.display.find("secretpw") != std::string::npos)
      __builtin_trap();
  } catch (const runner::UsageError&) {
  }
  return 0;
}
