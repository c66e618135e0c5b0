// SPDX-License-Identifier: MIT
// Another tool's migrations, read into runner's terms: one entry per migration in the order that
// tool applies them, each with the SQL of both directions and what its history calls it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace runner {

struct ImportedMigration {
  std::string key;                   // what the tool's history records: a revision, a version, a file
  std::vector<std::string> parents;  // Alembic: the revisions it revises
  std::string origin;                // for the header and reports: "Alembic revision ccc3 (add tasks)"
  std::string source_file;           // the file it came from, for messages
  // For files read as written (not Alembic's rendering): where each direction's text starts, so
  // that a problem is named at the source's own file and line.
  std::string down_source_file;
  std::uint32_t up_line = 0;  // 0: the text is not a source file's (Alembic's rendering)
  std::uint32_t down_line = 0;
  // The version it keeps (its digits as written in version_text); none: numbered after the last
  // migration of the folder, in order.
  std::optional<std::uint64_t> version;
  std::string version_text;
  std::string name;  // the name part of runner's file name
  std::string up;
  std::optional<std::string> down;   // none: irreversible
  bool no_transaction = false;       // the up runs outside a transaction
  bool down_no_transaction = false;  // the down does
  bool as_written = false;           // in one database's own SQL: -- runner:as-written
  bool placeholders = false;         // holds ${...}: -- runner:placeholders
  // Dialect variants (".up.sqlite.sql"): dialect -> up text, down text.
  std::map<std::string, std::pair<std::string, std::optional<std::string>>> variants;
};

struct ImportedSet {
  std::string format;  // "alembic", "goose", ...
  std::vector<ImportedMigration> migrations;
  std::vector<std::string> report;  // what the reader renamed, renumbered or linearised, for the user
};

// A file-name-safe name from free text ("Add status enum!" -> "add_status_enum"); "migration" when
// nothing is left.
std::string name_from_text(const std::string& text);

}  // namespace runner
