# SPDX-License-Identifier: MIT
# runner_warnings: warnings for our own code only (never third-party). RUNNER_WERROR=ON (CI and the
# test script) turns them into errors; user builds stay buildable on newer compilers.
option(RUNNER_WERROR "Treat warnings as errors" OFF)
add_library(runner_warnings INTERFACE)
target_compile_options(runner_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${RUNNER_WERROR}>:-Werror>)
