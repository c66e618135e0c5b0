// SPDX-License-Identifier: MIT
// Migrations compiled into the application (runner_embed_migrations() in CMake writes them), so that
// it needs no sql/ folder at run time. The bytes are the files' own, so the checksums are the
// files' and the runner command agrees with an embedded build on the same database.
#pragma once

#include <cstddef>

namespace runner {

struct EmbeddedFile {
  const char* name;  // "0001_create.up.sql"
  const unsigned char* data;
  std::size_t size;
};

struct EmbeddedMigrations {
  const EmbeddedFile* files;
  std::size_t count;
};

}  // namespace runner

// Defined by the source runner_embed_migrations() generates for a target.
extern const runner::EmbeddedMigrations runner_embedded_migrations;

// Declares a set embedded with runner_embed_migrations(TARGET DIR VARIABLE NAME).
#define RUNNER_EMBEDDED_MIGRATIONS(NAME) extern const runner::EmbeddedMigrations NAME
