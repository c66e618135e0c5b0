// SPDX-License-Identifier: MIT
// A whole migration set read as a round trip runs it: every up file to head, then every down file
// back as far as down files go. What validate and import check a set with.
#pragma once

#include "runner/engine/step_source.hpp"

#include <cstddef>
#include <vector>

namespace runner {

class Dialect;
struct MigrationSet;

struct RoundTrip {
  std::vector<PreparedStep> steps;  // up to head, then down: each statement meets the schema it would
  std::size_t statements = 0;       // in every file, those below an irreversible migration included
};

// Reads, splits and checks every file (a down file below an irreversible migration can never run
// after it: it is split and checked, not put in `steps`). Throws SourceError naming file and line.
RoundTrip prepare_round_trip(const Dialect& dialect, const MigrationSet& files, const Placeholders& placeholders);

}  // namespace runner
