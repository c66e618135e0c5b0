// SPDX-License-Identifier: MIT
// An inventory of databases (--databases FILE): the servers a fleet run covers, one database URL
// per line, each optionally followed by the pattern its project schemas match.
#pragma once

#include "runner/fleet/environment.hpp"

#include <string>
#include <vector>

namespace runner {

struct InventoryEntry {
  std::string url;      // ${VAR} expanded: may hold a password, never print it
  std::string pattern;  // the project schemas' pattern; "" = the run's default
  int line = 0;         // in the inventory file, for messages
};

struct Inventory {
  std::string file;      // as given, for messages
  std::string base_dir;  // the file's folder: what a relative SQLite path is relative to
  std::vector<InventoryEntry> entries;
};

// Reads the inventory: blank lines and lines starting with '#' aside, each line is a URL and an
// optional pattern separated by blanks; `${NAME}` is replaced by `lookup(NAME)` (once: a value is
// never expanded again). Throws UsageError naming FILE:LINE for a line it cannot take (a third
// word, an unset or malformed variable, a '#' after the URL, the same database twice) and for a
// file it cannot read or that lists no database.
Inventory read_inventory(const std::string& file, const EnvironmentLookup& lookup);

// The same from text already read (`file` names it in messages).
Inventory parse_inventory(const std::string& text, const std::string& file, const EnvironmentLookup& lookup);

}  // namespace runner
