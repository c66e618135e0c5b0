// SPDX-License-Identifier: MIT
// The --json document of a command that failed, so that a tool reading stdout always gets one
// JSON document, success or not.
#pragma once

#include <string>

namespace runner {
class Error;
}

namespace runner::cli {

// {"error": {"exit_code", "category", "message", "file", "line"}, "applied": [...]} (applied: what
// an upgrade or downgrade applied or reverted before it failed). category: "failed" (1),
// "invalid" (2), "refused" (3).
std::string error_json(const Error& error);

// What an exit code says: "failed" (1), "invalid" (2), "refused" (3), "interrupted" (above 128).
const char* error_category(int exit_code);

}  // namespace runner::cli
