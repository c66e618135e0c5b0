// SPDX-License-Identifier: MIT
// Backups of a SQLite database through SQLite's online backup API: a page-for-page copy taken while
// other connections go on, and the same copy put back.
#pragma once

#include "plugins/sdk/dialect_sdk.hpp"

#include <string>

namespace runner::sqlite {

// `connect` as describe_database wrote it. Throws sdk::Failure.
void backup(const std::string& connect, const std::string& dest, const sdk::Sink& out);
void restore(const std::string& connect, const std::string& src);

}  // namespace runner::sqlite
