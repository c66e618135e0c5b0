// SPDX-License-Identifier: MIT
// runner dump [-o FILE]: the live schema as the SQL that recreates it, read from the catalog.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/engine/schema_dump.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

int cmd_dump(Context& ctx) {
  expect_args(ctx, 0, 0, "dump [-o FILE]");
  // The catalog alone: the migration folder is not read.
  const MigrationSet unread;
  if (ctx.settings().output) check_dump_target(*ctx.settings().output);
  Migrator migrator = open_migrator(ctx, migrator_options(ctx), &unread);
  const Settings& s = ctx.settings();
  const std::vector<std::string> schemas = schema_list(ctx);
  const std::string schema = migrator.dump_schema(schemas);
  if (s.output) write_dump_file(schema, *s.output);
  if (s.json) {
    nlohmann::json j{{"database", migrator.database()}, {"dialect", ctx.dialect().name()}};
    if (s.output)
      j["file"] = *s.output;
    else
      j["sql"] = schema;
    print(j.dump(2) + "\n");
  } else if (!s.output) {
    print(schema);
  } else if (s.verbosity != Verbosity::quiet) {
    print("schema of " + migrator.database() + " written to " + *s.output + "\n");
  }
  return 0;
}

}  // namespace runner::cli
