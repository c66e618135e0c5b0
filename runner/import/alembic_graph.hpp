// SPDX-License-Identifier: MIT
// An Alembic revision graph: read from `alembic history --verbose`, or rebuilt from imported
// files' headers, and put in the one order runner applies it in.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace runner {

struct AlembicRevision {
  std::string id;
  std::vector<std::string> parents;     // down_revision: none for a base, two or more for a merge
  std::vector<std::string> depends_on;  // depends_on: applied before it, but not its parents
  std::string message;
  std::string create_date;  // as the revision's docstring writes it ("" when it does not)
  std::string path;
};

// The revisions `alembic history --verbose` printed. Throws UsageError when the output holds
// no revision block it can read.
std::vector<AlembicRevision> parse_alembic_history(const std::string& output);

// The revisions in the order runner applies them: every revision after its parents and
// dependencies; among those ready at once, the earlier create date first, then the smaller id.
// Throws SourceError naming a revision whose parent is not in the graph, and the revisions of a
// cycle.
std::vector<AlembicRevision> linearise(std::vector<AlembicRevision> revisions);

// `id` and every revision it stands on (parents and dependencies, transitively).
std::set<std::string> with_ancestors(const std::vector<AlembicRevision>& revisions, const std::string& id);

}  // namespace runner
