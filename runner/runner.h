/* SPDX-License-Identifier: MIT */
/* runner's C API, for other languages (Python's ctypes, Go's cgo, ...). Every function returns
 * runner's exit-code category: 0 ok, 1 a database or migration error, 2 bad usage or invalid
 * files, 3 refused for safety; and writes a message into err (always NUL-terminated, cut to
 * err_len; "" on success; err may be NULL when err_len is 0). Nothing is allocated that the
 * caller frees but the handle, with runner_close. A handle is used by one thread at a time;
 * any number of handles, threads and processes may work on one database at once. */
#ifndef RUNNER_RUNNER_H
#define RUNNER_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#if defined(RUNNER_BUILDING_LIBRARY)
#define RUNNER_C_API __attribute__((visibility("default")))
#else
#define RUNNER_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct runner_migrator runner_migrator;

/* Opens a migrator on url (sqlite:PATH, postgresql://...?schema=S) and the migration folder sql_dir
 * (NULL: "sql"). Nothing connects yet. *out is NULL on failure. */
RUNNER_C_API int runner_open(const char* url, const char* sql_dir, runner_migrator** out, char* err, size_t err_len);

/* target NULL: head; else a version or "+N". */
RUNNER_C_API int runner_upgrade(runner_migrator* m, const char* target, char* err, size_t err_len);

/* target "-1", a version (ends with it applied) or "base". */
RUNNER_C_API int runner_downgrade(runner_migrator* m, const char* target, char* err, size_t err_len);

/* Records the history as if at target ("head", a version, "base"), running no SQL. */
RUNNER_C_API int runner_stamp(runner_migrator* m, const char* target, char* err, size_t err_len);

/* *version: the newest applied version, 0 at base. */
RUNNER_C_API int runner_current(runner_migrator* m, int64_t* version, char* err, size_t err_len);

/* Reads, splits and checks every file, and that the applied ones are unchanged. */
RUNNER_C_API int runner_validate(runner_migrator* m, char* err, size_t err_len);

/* The script `runner upgrade --sql RANGE` (up != 0) or `runner downgrade --sql RANGE` writes, for a
 * DBA to review: RANGE is [FROM:]TO (NULL or "": head for an upgrade; FROM absent: the database's
 * current version). Written into out, NUL-terminated, when it fits; *needed (when not NULL) is set
 * to its size with the NUL. When out_len is too small, out is left alone and the call returns 2:
 * call again with *needed bytes. Changes nothing. */
RUNNER_C_API int runner_sql_script(runner_migrator* m, const char* range, int up, char* out, size_t out_len,
                                   size_t* needed, char* err, size_t err_len);

/* Safe from any thread, and from a signal handler's thread but not from a handler itself: asks the
 * upgrade, downgrade or stamp running on m (or else the next one) to stop at the next safe point.
 * A transactional migration's statement is cancelled and the migration rolled back; a
 * no-transaction migration stops after its current statement. That call returns 130, err saying
 * what was applied and where the database is. NULL: nothing. */
RUNNER_C_API void runner_interrupt(runner_migrator* m);

/* Closes the handle (NULL: nothing). */
RUNNER_C_API void runner_close(runner_migrator* m);

/* The library's version, "0.1.0". */
RUNNER_C_API const char* runner_version(void);

#ifdef __cplusplus
}
#endif

#endif /* RUNNER_RUNNER_H */
