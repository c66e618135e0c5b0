// SPDX-License-Identifier: MIT
// runner stamp TARGET: record the history as if up to TARGET, running no migration SQL.
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/core/plan.hpp"
#include "runner/core/target.hpp"
#include "runner/db/connection.hpp"
#include "runner/db/history_store.hpp"
#include "runner/engine/executor.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace runner::cli {

int cmd_stamp(Context& ctx) {
  expect_args(ctx, 1, 1, "stamp head|VERSION|base");
  Target target = parse_target(ctx.settings().args[0], TargetUse::stamp);
  MigrationSet& files = ctx.migrations();
  auto db = ctx.open(ctx.settings().dry_run ? AccessMode::read : AccessMode::change);
  History history = db->load_history();
  StampPlan plan = plan_stamp(files, history, target);  // a bad target stops here, nothing created
  if (ctx.settings().dry_run) {
    std::string out = "dry run: " + db->target().display + " is at " + describe_position(history, files) + "\n";
    for (const Migration* m : plan.add) out += "  would record " + m->label() + " (no SQL run)\n";
    for (std::uint64_t v : plan.remove) out += "  would remove " + files.label(v, "") + " from the history\n";
    if (ctx.settings().json) {
      nlohmann::json add = nlohmann::json::array(), remove = nlohmann::json::array();
      for (const Migration* m : plan.add) add.push_back(m->version);
      for (std::uint64_t v : plan.remove) remove.push_back(v);
      print(nlohmann::json{{"database", db->target().display}, {"dry_run", true}, {"recorded", add}, {"removed", remove}}
                .dump(2) +
            "\n");
    } else {
      print(out + "Nothing was changed.\n");
    }
    return 0;
  }
  if (!db->connected()) {
    db.reset();
    db = ctx.open(AccessMode::create);
    history = db->load_history();
    plan = plan_stamp(files, history, target);
  }
  db->ensure_created();
  const std::string from = describe_position(history, files);

  // One transaction: the history is rewritten whole or not at all.
  Connection& conn = db->connection();
  conn.begin();
  try {
    const std::string now = utc_now_iso();
    for (const Migration* m : plan.add) db->history().insert({m->version, m->name, m->checksum, now, 0});
    for (std::uint64_t v : plan.remove) db->history().remove(v);
    conn.commit();
  } catch (...) {
    conn.rollback();
    throw;
  }
  History after = db->load_history();

  nlohmann::json added = nlohmann::json::array();
  nlohmann::json removed = nlohmann::json::array();
  for (const Migration* m : plan.add) added.push_back(m->version);
  for (std::uint64_t v : plan.remove) removed.push_back(v);
  if (ctx.settings().json) {
    print(nlohmann::json{{"database", db->target().display}, {"recorded", added}, {"removed", removed},
                         {"to", position_json(after)}}
              .dump(2) +
          "\n");
    return 0;
  }
  std::string out;
  for (const Migration* m : plan.add) out += "  recorded " + m->label() + " (no SQL run)\n";
  for (std::uint64_t v : plan.remove) {
    const Migration* m = files.find(v);
    out += "  removed  " + (m != nullptr ? m->label() : std::to_string(v)) + " from the history (no SQL run)\n";
  }
  if (plan.add.empty() && plan.remove.empty()) out += "nothing to do: already stamped at " + from + "\n";
  else out += "stamped " + db->target().display + " at " + describe_position(after, files) + "\n";
  print(out);
  return 0;
}

}  // namespace runner::cli
