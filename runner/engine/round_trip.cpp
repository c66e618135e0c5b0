// SPDX-License-Identifier: MIT
#include "runner/engine/round_trip.hpp"

#include "runner/core/migration.hpp"

namespace runner {

RoundTrip prepare_round_trip(const Dialect& dialect, const MigrationSet& files, const Placeholders& placeholders) {
  std::vector<Step> round_trip, below;
  for (const auto& m : files.migrations) round_trip.push_back({&m, m.version, Direction::up});
  bool reversible = true;
  for (auto m = files.migrations.rbegin(); m != files.migrations.rend(); ++m) {
    reversible = reversible && m->down.has_value();
    if (m->down) (reversible ? round_trip : below).push_back({&*m, m->version, Direction::down});
  }
  RoundTrip r;
  r.steps = prepare_steps(round_trip, dialect, placeholders, &files.callbacks);
  for (const auto& p : r.steps) r.statements += p.statements.size();
  for (const auto& p : prepare_steps(below, dialect, placeholders, nullptr)) r.statements += p.statements.size();
  return r;
}

}  // namespace runner
