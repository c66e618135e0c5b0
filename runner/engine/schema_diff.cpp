// SPDX-License-Identifier: MIT
#include "runner/engine/schema_diff.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/checksum.hpp"
#include "runner/core/plan.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"
#include "runner/engine/schema_dump.hpp"
#include "runner/engine/schema_reader.hpp"
#include "runner/engine/shadow.hpp"
#include "runner/schema/dump_writer.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <system_error>

namespace runner {
namespace fs = std::filesystem;
namespace {

std::string read_whole(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError(fmt::format("cannot read {}", file.string()));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A folder of its own for the files the check runs, removed whatever happens.
class ScratchFolder {
 public:
  ScratchFolder() {
    static std::atomic<unsigned> counter{0};
    path_ = fs::temp_directory_path() / fmt::format("runner-diff-{}-{}", static_cast<long>(::getpid()), ++counter);
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  // No RemoveOnSignal: the command's signal watcher stops the run, and unwinding removes it (and
  // the shadows) before the process ends.
  fs::path path_;
};

// One migration made of `up` (and `down`) files, for a shadow to run.
Migration migration_of(std::uint64_t version, const std::string& name, const fs::path& up,
                       const std::optional<fs::path>& down) {
  Migration m;
  m.version = version;
  m.version_text = std::to_string(version);
  m.name = name;
  m.up = up;
  m.down = down;
  m.set_checksum(sha256_hex(read_whole(up)));
  return m;
}

}  // namespace

SchemaDiffResult diff_schemas(const Dialect& dialect, const MigrationSet& files, const SchemaDiffOptions& options) {
  std::error_code ec;
  if (!fs::exists(options.to, ec)) throw UsageError(fmt::format("--to {}: no such file", options.to.string()));
  if (fs::is_directory(options.to, ec))
    throw UsageError(fmt::format("--to {}: a folder, not the SQL of a schema", options.to.string()));
  if (options.from_db && options.live == nullptr) throw UsageError("--from-db needs a database (-d URL)");
  check_shadow_place(dialect, options.shadow_url);
  const std::string live_url = options.live != nullptr && dialect.makes_scratch() ? options.live->connect : "";
  const ShadowPlace place{live_url, options.shadow_url, "", options.live != nullptr ? options.live->display : ""};
  ScratchFolder folder;
  SchemaDiffResult r;

  // The desired schema, built from FILE in a shadow of its own.
  MigrationSet desired_set;
  // A pipe (--to /dev/stdin) reads once: its text is kept in the scratch folder. A file is read where
  // it is, so that messages name it.
  fs::path to = options.to;
  if (!fs::is_regular_file(to, ec)) {
    to = folder.path() / "desired.sql";
    std::ofstream(to, std::ios::binary) << read_whole(options.to);
  }
  desired_set.migrations.push_back(migration_of(1, "desired", to, std::nullopt));
  Schema desired;
  {
    Shadow b(dialect, place, options.lock_timeout);
    b.apply(desired_set, {{&desired_set.migrations[0], 1, Direction::up}}, options.placeholders, options.cancel);
    desired = b.read();
  }
  // An empty file (a failed dump piped in, say) would generate the dropping of everything.
  if (desired.objects.empty())
    throw UsageError(
        fmt::format("--to {}: it builds an empty schema, so every table would be dropped; refused "
                    "(a schema with nothing in it is written by hand, not generated)",
                    options.to.string()));

  // The starting schema in a shadow, where the generated statements are checked: the files at
  // head, or the live database's own dump loaded as one migration.
  MigrationSet start_set;
  std::vector<Step> start_steps;
  std::uint64_t next = 1;
  if (options.from_db) {
    const fs::path dumped = folder.path() / "live.sql";
    {
      std::ofstream out(dumped, std::ios::binary);
      out << dump_database(dialect, *options.live, options.lock_timeout);
    }
    start_set.migrations.push_back(migration_of(1, "live", dumped, std::nullopt));
    start_steps.push_back({&start_set.migrations[0], 1, Direction::up});
    r.from = "the database " + options.live->display;
    next = 2;
  } else {
    for (const auto& m : files.migrations) {
      start_steps.push_back({&m, m.version, Direction::up});
      next = m.version + 1;
    }
    r.from = "the schema the migrations build at " +
             (files.migrations.empty() ? std::string("base") : files.migrations.back().label());
  }
  const MigrationSet& set = options.from_db ? start_set : files;
  Shadow a(dialect, place, options.lock_timeout);
  a.apply(set, start_steps, options.placeholders, options.cancel);
  Schema start = a.read();
  if (options.from_db) {
    // The live database itself is the truth; its dump loaded is only where the check runs.
    Database live(dialect, *options.live, AccessMode::read, options.lock_timeout, options.cancel);
    if (!live.connected())
      throw UsageError(fmt::format("{}: no such database (the file does not exist)", options.live->display));
    if (options.require_head) {
      // The pair goes after the newest file: a database behind it would get what the pending
      // migrations do a second time.
      const History history = live.load_history();
      std::size_t pending = 0;
      for (const auto& m : files.migrations)
        pending += std::none_of(history.begin(), history.end(),
                                [&](const AppliedMigration& row) { return row.version == m.version; });
      if (pending > 0)
        throw UsageError(
            fmt::format("{} is at {} with {} migration{} pending: the migration --from-db writes goes "
                        "after the newest file, so upgrade the database first",
                        options.live->display, describe_position(history, files), pending, pending == 1 ? "" : "s"));
    }
    start = read_schema(dialect, live.connection(), live.info().schema);
  }

  r.differences = compare_schemas(desired, start);
  if (r.differences.empty()) return r;
  r.up = write_changes(start, desired);
  r.down = write_changes(desired, start);

  // The check: up then down on the starting schema's shadow.
  const fs::path up = folder.path() / "generated.up.sql", down = folder.path() / "generated.down.sql";
  {
    std::ofstream(up, std::ios::binary) << change_file_text(r.up, {});
    std::ofstream(down, std::ios::binary) << change_file_text(r.down, {});
  }
  MigrationSet generated = set;
  generated.migrations.push_back(migration_of(next, "generated", up, down));
  const Migration& g = generated.migrations.back();
  try {
    a.apply(generated, {{&g, g.version, Direction::up}}, options.placeholders, options.cancel);
    r.up_left = compare_schemas(desired, a.read());
    a.apply(generated, {{&g, g.version, Direction::down}}, options.placeholders, options.cancel);
    r.down_left = compare_schemas(start, a.read());
  } catch (const MigrationError& e) {
    if (e.exit_code() > 128) throw;  // stopped by a signal
    r.check_error = e.what();
  }
  return r;
}

}  // namespace runner
