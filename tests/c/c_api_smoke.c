/* SPDX-License-Identifier: MIT */
/* runner/runner.h compiled as C and linked against librunner.so: an application's start-up brings
 * its database to head (argv[1]: a SQLite file, argv[2]: the migration folder), then again (nothing
 * to do), and reports where it stands. Exit 0 when the database is at argv[3]. */
#include "runner/runner.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: c_api_smoke URL SQL_DIR EXPECTED_VERSION\n");
    return 2;
  }
  char err[1024];
  runner_migrator *m = NULL;
  int rc = runner_open(argv[1], argv[2], &m, err, sizeof err);
  if (rc != 0) {
    fprintf(stderr, "runner_open: %d %s\n", rc, err);
    return 1;
  }
  for (int i = 0; i < 2; ++i) {
    rc = runner_upgrade(m, NULL, err, sizeof err);
    if (rc != 0) {
      fprintf(stderr, "runner_upgrade: %d %s\n", rc, err);
      return 1;
    }
  }
  int64_t version = -1;
  rc = runner_current(m, &version, err, sizeof err);
  runner_close(m);
  printf("runner %s: %s at %lld\n", runner_version(), argv[1], (long long)version);
  return rc == 0 && version == strtoll(argv[3], NULL, 10) ? 0 : 1;
}
