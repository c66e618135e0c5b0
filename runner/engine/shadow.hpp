// SPDX-License-Identifier: MIT
// A shadow: a scratch database that migration files are applied to, so that the schema they build
// can be read and compared (drift, test, diff). Where it lives, by the dialect:
//   - a schema of its own in the live database (PostgreSQL's default): nothing in it is shared,
//     and a migration naming another schema is refused before it runs, since it would escape;
//   - a database of its own on the server --shadow-url reaches (created, then dropped): migrations
//     that make their own schemas and extensions run there as they would on an empty database;
//   - memory (SQLite).
// The shadow is removed when the object goes, whatever happened: on failure, and on SIGINT/SIGTERM
// (the run's Cancellation stops the migration replaying, and the unwinding drops it).
#pragma once

#include "plugins/loader/dialect.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/placeholders.hpp"
#include "runner/core/plan.hpp"
#include "runner/engine/step_source.hpp"
#include "runner/schema/schema_model.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace runner {

class Cancellation;
class Database;
class DriverConnection;

struct ShadowPlace {
  std::string live_url;      // the live database's URL: a schema of its own in it ("": none at hand)
  std::string shadow_url;    // --shadow-url: a database of its own on that server ("": none)
  std::string schema;        // with shadow_url: the schema the migrations run in there, as live ("": default)
  std::string live_display;  // the live database as messages name it
};

// Refuses (UsageError) a --shadow-url the dialect cannot use, before anything is read.
void check_shadow_place(const Dialect& dialect, const std::string& shadow_url);

class Shadow {
 public:
  // Creates the empty scratch database. Throws UsageError (--shadow-url for a dialect that makes
  // none, a name taken), DatabaseError when it cannot be created.
  Shadow(const Dialect& dialect, const ShadowPlace& place, std::chrono::seconds lock_timeout);
  ~Shadow();
  Shadow(const Shadow&) = delete;
  Shadow& operator=(const Shadow&) = delete;

  // "a schema runner_shadow_... in the database", for messages.
  const std::string& where() const { return where_; }

  // Runs `steps` of `files` (up or down) as a run would, recording them in the shadow's own
  // history. Throws SourceError/PlanError for a file that cannot run here (a migration naming
  // another schema, in a shadow inside the live database), MigrationError when a statement fails,
  // InterruptedError-like MigrationError when `cancel` is requested.
  void apply(const MigrationSet& files, const std::vector<Step>& steps, const Placeholders& placeholders,
             Cancellation* cancel);

  // Reads and checks `steps` as apply() would, running nothing: a file that cannot run in this
  // shadow is refused before any other has run. Throws as apply() does.
  void admit(const std::vector<Step>& steps, const Placeholders& placeholders) const;

  // The schema the shadow holds now: `schema` ("": the one the migrations ran in).
  Schema read(const std::string& schema = "");
  // Whether it is a schema inside the live database (then only that one schema can be read).
  bool in_place() const { return in_place_; }
  // The scratch database, to connect to.
  const DatabaseInfo& target() const { return target_; }

 private:
  void drop() noexcept;
  std::vector<PreparedStep> prepare(const std::vector<Step>& steps, const Placeholders& placeholders) const;

  const Dialect& dialect_;
  std::string name_;
  std::string where_;
  bool in_place_ = false;  // a schema in the live database
  std::string admin_url_;  // where create and drop run
  std::vector<std::string> drop_sql_;
  DatabaseInfo target_;
  std::unique_ptr<DriverConnection> keeper_;  // a database living in memory lives while it is open
  std::unique_ptr<Database> db_;
  History history_;
  std::chrono::seconds lock_timeout_;
};

}  // namespace runner
