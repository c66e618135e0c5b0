// SPDX-License-Identifier: MIT
// A shared object that is not a runner plugin: it lacks the entry point.
extern "C" __attribute__((visibility("default"))) int some_other_function() { return 42; }
