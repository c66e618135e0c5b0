// SPDX-License-Identifier: MIT
// What ALTER COLUMN ... TYPE does to a table on PostgreSQL: whether it rewrites every row (and
// holds ACCESS EXCLUSIVE meanwhile), and whether values come out changed. PostgreSQL skips the
// rewrite only for a binary-coercible change without USING (varchar to text, a longer varchar, a
// numeric of more precision and the same scale).
#pragma once

#include "plugins/sdk/pg_lint.hpp"

#include <optional>
#include <string>

namespace runner::postgresql {

struct TypeChange {
  enum class Rewrite { no, yes, unknown } rewrite = Rewrite::unknown;
  std::string loses;  // how values change ("rounds fractions to whole numbers"); "" when they keep
};

// old_type: the column's type as format_type() writes it, when the database is at hand.
// new_type: the TypeName node of the statement.
TypeChange judge_type_change(const std::optional<std::string>& old_type, const sdk::lint::Json& new_type,
                             bool has_using);

}  // namespace runner::postgresql
