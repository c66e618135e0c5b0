// SPDX-License-Identifier: MIT
// A dialect built for another ABI version: the host must refuse it without reading further.
#include "plugins/dialect_abi.h"

namespace {
const runner_dialect k_table = {RUNNER_DIALECT_ABI_VERSION + 1,
                                sizeof(runner_dialect),
                                "badabi",
                                "",
                                "9.9.9",
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr};
}  // namespace

extern "C" __attribute__((visibility("default"))) const runner_dialect* runner_dialect_entry(const runner_host*) {
  return &k_table;
}
