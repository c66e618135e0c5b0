// SPDX-License-Identifier: MIT
// A dialect complete but for its run lock: RUNNER_TEST_LOCKS is how many it declares (0 or 2). The
// host must refuse it when it loads, before any run could go ahead unlocked.
#include "plugins/sdk/dialect_sdk.hpp"

namespace {

using runner::sdk::guard;
using runner::sdk::Sink;

int runner_sql(const char*, const runner_sink* out) {
  return guard(out, [](const Sink& sink) {
    sink.field("exists", "SELECT 0");
    sink.field("create", "CREATE TABLE runner_history (version INTEGER)");
    sink.field("select", "SELECT version, '', '', '', 0 FROM runner_history");
    sink.field("insert", "INSERT INTO runner_history VALUES (?1)");
    sink.field("delete", "DELETE FROM runner_history WHERE version = ?1");
    sink.field("insert_literal", "INSERT INTO runner_history VALUES ($VERSION$)");
    sink.field("delete_literal", "DELETE FROM runner_history WHERE version = $VERSION$");
    sink.field("script_usage", "client FILE");
    sink.field("tables_version", "1");
    sink.field("meta_select", "SELECT 1");
    sink.field("select_with_layout", "SELECT -1, '1', '', '', 0");
    sink.field("meta_set", "SELECT ?1");
    sink.field("meta_init_literal", "SELECT 1");
#if RUNNER_TEST_LOCKS == 2
    sink.field("lock_file", "1");
    sink.field("lock_try", "SELECT 1");
    sink.field("lock_release", "SELECT 1");
#else
    // A misspelt key: not a lock at all.
    sink.field("lock_tries", "SELECT 1");
#endif
  });
}

int unused(const char*, const runner_sink* out) {
  return guard(out, [](const Sink&) { throw runner::sdk::Failure(RUNNER_ERR_USAGE, 0, "not reached"); });
}
int unused_target(const char*, const char*, uint32_t, const runner_sink* out) { return unused("", out); }
int unused_split(const char*, size_t, const runner_sink* out) { return unused("", out); }
int unused_url(const char*, const char*, const runner_sink* out) { return unused("", out); }

int connect(const char*, const runner_sink* out, runner_connection**) { return unused("", out); }
void close(runner_connection*) {}
int run(runner_connection*, const char*, size_t, uint32_t, const char* const*, runner_row_fn, void*,
        const runner_sink* out) {
  return unused("", out);
}
int transaction(runner_connection*, int, const runner_sink* out) { return unused("", out); }
int in_transaction(runner_connection*) { return 0; }
void ports(runner_connection*, int* local, int* remote) { *local = *remote = -1; }
int cancel(runner_connection*) { return RUNNER_ERR_USAGE; }

const runner_driver k_driver = {&connect, &close, &run, &transaction, &in_transaction, &ports, &cancel};

const runner_dialect k_table = {RUNNER_DIALECT_ABI_VERSION,
                                sizeof(runner_dialect),
                                RUNNER_TEST_NAME,
                                "",
                                "0.0.1",
                                "none:",
                                &k_driver,
                                &unused_target,
                                &unused_split,
                                &runner_sql,
                                &unused,
                                &unused_url,
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

RUNNER_DEFINE_DIALECT(k_table)
