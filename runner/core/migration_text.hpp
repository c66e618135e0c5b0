// SPDX-License-Identifier: MIT
// Reading a migration file: UTF-8, BOM ignored, line endings normalised to LF. The normalised
// text is both what runs and what the checksum covers, so a CRLF checkout does not look changed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runner {

struct FileStamp;

// Throws SourceError naming the file (and the line, for invalid UTF-8) when it cannot be used.
// stamp: filled with what identifies the contents read, when given.
std::string read_migration_text(const std::filesystem::path& file, FileStamp* stamp = nullptr);

// Strips a UTF-8 BOM and turns CRLF and lone CR into LF.
std::string normalize_text(std::string_view raw);

// 0 when `text` is valid UTF-8, else the 1-based line of the first invalid byte.
std::size_t first_invalid_utf8_line(std::string_view text);

// The per-file options in a migration's leading comment lines.
struct Directives {
  bool no_transaction = false;
  // -- runner:as-written: the file is in the database's own SQL, not the portable PostgreSQL DDL;
  // its statements run exactly as written, with no dialect translation.
  bool as_written = false;
  // -- runner:placeholders: ${name} is replaced before the file is split (placeholders.hpp).
  bool placeholders = false;
  // -- runner:imported-from FORMAT KEY [parents=P1,P2]: what another tool's history calls this
  // migration (an Alembic revision, a Flyway version, a sql-migrate file), written by `runner
  // import` so that `runner adopt` maps that history from the files alone.
  struct ImportedFrom {
    std::string format;
    std::string key;
    std::vector<std::string> parents;  // Alembic: the revisions it revises
  };
  std::optional<ImportedFrom> imported_from;
  // -- runner:lint-ignore RULE[,RULE...] REASON, anywhere in the file: the lint rules silenced for
  // the statement below it, and why (shown with the finding). squawk's -- squawk-ignore RULE[,RULE]
  // is read too, its reason "squawk-ignore".
  struct LintIgnore {
    std::uint32_t line = 0;
    std::vector<std::string> rules;
    std::string reason;
  };
  std::vector<LintIgnore> lint_ignores;
};

// Reads "-- runner:<directive>" lines from the comment block at the top of `text`. Throws
// SourceError(file, line) for an unknown runner: directive, so that a typo cannot silently change
// how a migration runs.
Directives parse_directives(std::string_view text, const std::string& file);

}  // namespace runner
