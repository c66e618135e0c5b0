// SPDX-License-Identifier: MIT
#include "runner/core/migration.hpp"

#include <algorithm>

namespace runner {

const Migration* MigrationSet::find(std::uint64_t version) const {
  auto it = std::lower_bound(migrations.begin(), migrations.end(), version,
                             [](const Migration& m, std::uint64_t v) { return m.version < v; });
  return it != migrations.end() && it->version == version ? &*it : nullptr;
}

}  // namespace runner
