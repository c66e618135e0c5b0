// SPDX-License-Identifier: MIT
// Placeholders: a migration that opts in with -- runner:placeholders gets ${name} replaced before it
// is split (its checksum stays that of the file as written). ${name:literal} and ${name:ident} quote
// the value as a string or an identifier; ${name:qualifier} writes "value". or nothing when the
// value is empty (River's schema template). A file that does not opt in is never touched.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace runner {

// The values a run substitutes: the user's (--set, RUNNER_PLACEHOLDER_name, [placeholders] in the
// config) and runner's own (runner.schema: the schema the run targets, "" where it has none).
struct Placeholders {
  std::map<std::string, std::string> values;
};

// The name of runner's own placeholder for the target schema.
constexpr const char* k_schema_placeholder = "runner.schema";

// `text` with every ${...} replaced. Throws SourceError(file, line) for a name without a value (saying
// where values come from), an unknown form, or a ${ left open.
std::string substitute_placeholders(std::string_view text, const std::string& file, const Placeholders& placeholders);

// A placeholder name as the user may write one: letters, digits, '_' and '.', starting with a letter.
bool is_placeholder_name(std::string_view name);

}  // namespace runner
