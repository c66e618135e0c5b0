// SPDX-License-Identifier: MIT
// Embedded migration sets as a migration source: each registered under a folder name of its own
// ("embedded:sql"), every other folder read from disk as before.
#pragma once

#include "runner/embedded.hpp"

#include <filesystem>

namespace runner {

// The folder the set is read from from now on, in this process.
std::filesystem::path register_embedded(const EmbeddedMigrations& set, const std::filesystem::path& name);

}  // namespace runner
