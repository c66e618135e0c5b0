// SPDX-License-Identifier: MIT
// Reading an Alembic project through the user's own Alembic in offline mode: the revision graph,
// then each revision's upgrade and downgrade rendered as SQL one edge at a time, with Alembic's
// bookkeeping (its version table, the transaction around each script) removed by the dialect's
// parser.
#pragma once

#include "runner/import/imported_set.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace runner {

class Dialect;

struct AlembicSource {
  std::filesystem::path dir;               // the project: where alembic runs
  std::filesystem::path ini;               // its alembic.ini (default: dir/alembic.ini)
  std::vector<std::string> command;        // how to run Alembic ({"alembic"}, or --alembic)
  std::vector<std::string> url_variables;  // environment variables the project's env.py reads the URL from
};

struct AlembicRevision;

// The revision graph as the project's Alembic reports it (alembic history --verbose), in the order
// runner applies it. Throws UsageError (Alembic missing or failing) and SourceError (a cycle).
std::vector<AlembicRevision> alembic_revisions(const AlembicSource& source);

// The URL Alembic renders with for `dialect` ("postgresql://runner-offline/import"): offline
// mode connects to nothing.
std::string offline_url(const std::string& dialect);

// Every revision, in the order runner applies them (alembic_graph.hpp), its SQL rendered for
// `render` (PostgreSQL), and, with `variant` (SQLite), for that dialect too as .up.<dialect>.sql
// variants. Throws UsageError (Alembic missing, env.py failing: the command and its stderr) and
// SourceError (a revision that cannot be rendered offline, by name, with Alembic's message).
// report: the order, for the DBA to review.
ImportedSet import_alembic(const AlembicSource& source, const Dialect& render, const Dialect* variant);

}  // namespace runner
