// SPDX-License-Identifier: MIT
#include "runner/cli/cli.hpp"

int main(int argc, char** argv) { return runner::cli::main(argc, argv); }
