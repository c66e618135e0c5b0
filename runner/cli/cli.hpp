// SPDX-License-Identifier: MIT
#pragma once

namespace runner::cli {

// Parses the command line, runs the command, and turns any error into its message on stderr and
// its documented exit code. The runner's only top-level catch.
int main(int argc, const char* const* argv);

}  // namespace runner::cli
