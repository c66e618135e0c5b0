// SPDX-License-Identifier: MIT
// The tools that keep both directions of a migration in one file, between marker comments:
// dbmate (-- migrate:up), goose (-- +goose Up) and sql-migrate (-- +migrate Up).
#pragma once

#include "runner/import/imported_set.hpp"

#include <filesystem>

namespace runner {

class Dialect;

// Reads every migration of `dir` in the order the tool applies them. Where the tool sends a block
// as one statement (StatementBegin ... StatementEnd), `dialect`'s splitter must read one statement
// there too, or the file is refused at that line. Throws SourceError naming the file and line of
// a file that does not fit the format.
ImportedSet read_dbmate(const std::filesystem::path& dir, const Dialect& dialect);
ImportedSet read_goose(const std::filesystem::path& dir, const Dialect& dialect);
ImportedSet read_sql_migrate(const std::filesystem::path& dir, const Dialect& dialect);

}  // namespace runner
