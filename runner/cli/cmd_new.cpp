// SPDX-License-Identifier: MIT
// runner new NAME (revision -m NAME): write the next-numbered empty up/down pair.
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/cmd_diff.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/core/migration_name.hpp"
#include "runner/engine/database.hpp"
#include "runner/engine/executor.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <optional>
#include <system_error>

namespace runner::cli {
namespace fs = std::filesystem;

namespace {

// Timestamp versions (YYYYMMDDhhmmss) stay timestamps; sequences stay sequences, same width.
std::string next_version(const fs::path& dir) {
  std::uint64_t max = 0;
  std::size_t width = 4;
  bool any = false;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    MigrationFileName parsed;
    std::string why;
    if (!parse_migration_file_name(it->path().filename().string(), &parsed, &why)) continue;
    if (!any || parsed.version > max) {
      max = parsed.version;
      width = parsed.version_text.size();
    }
    any = true;
  }
  if (any && width >= 12) {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    std::uint64_t stamp = std::stoull(buf);
    return std::to_string(stamp > max ? stamp : max + 1);
  }
  std::string v = std::to_string(any ? max + 1 : 1);
  if (v.size() < width) v.insert(0, width - v.size(), '0');
  return v;
}

void write_new_file(const fs::path& path, const std::string& text) { write_file_whole(path, text, false); }

}  // namespace

int cmd_new(Context& ctx) {
  const Settings& s = ctx.settings();
  std::string name;
  if (s.message) {
    expect_args(ctx, 0, 0, "revision -m NAME");
    name = *s.message;
  } else {
    expect_args(ctx, 1, 1, "new NAME");
    name = s.args[0];
  }
  for (char& c : name)
    if (c == ' ') c = '_';
  if (!valid_migration_name(name))
    throw UsageError("invalid migration name '" + name + "': use letters, digits, '_', '-' and '.'");

  // --to FILE: generated from what differs; nothing differing, nothing written.
  std::optional<SchemaDiffResult> diff;
  const auto to = s.import_options.find("to");
  if (to != s.import_options.end()) {
    diff = run_diff(ctx, true);
    if (!diff->check_error.empty())
      throw MigrationError("the generated statements do not run on a shadow of " + diff->from +
                               ", so no file was written (`runner diff --to " + to->second +
                               "` shows them): " + diff->check_error,
                           {}, "", 0);
    if (diff->differences.empty()) {
      if (s.verbosity != Verbosity::quiet)
        print("nothing to generate: " + diff->from + " is " + to->second + "'s; no file written\n");
      return 0;
    }
  } else if (s.from_db || !s.shadow_url.empty()) {
    throw UsageError("--from-db and --shadow-url go with new --to FILE");
  }

  const fs::path dir = s.sql_dir;
  const std::string label = next_version(dir) + "_" + name;
  const fs::path up = dir / (label + ".up.sql");
  const fs::path down = dir / (label + ".down.sql");
  if (s.dry_run) {
    print("dry run: would write\n" + up.generic_string() + "\n" + down.generic_string() + "\n");
    return 0;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw UsageError("cannot create " + dir.generic_string() + ": " + ec.message());
  const std::string created = utc_now_iso();
  if (diff) {
    const std::string file = to->second;
    std::vector<std::string> header{label + " (up), generated " + created + " by `runner new " + name + " --to " +
                                        file + (s.from_db ? " --from-db`" : "`"),
                                    "from " + diff->from, "to the schema " + file + " builds:"};
    for (const auto& d : diff->differences) header.push_back("  " + d.text());
    const std::vector<std::string> warnings = diff_warnings(*diff, file);
    if (warnings.empty())
      header.push_back("Checked on a shadow: this up gives " + file + "'s schema, the down gives the start back.");
    for (const auto& w : warnings) header.push_back(w);
    write_new_file(up, change_file_text(diff->up, header));
    std::vector<std::string> down_header{label + " (down): undoes " + up.filename().string() + ", generated " +
                                         created + " with it"};
    try {
      write_new_file(down, change_file_text(diff->down, down_header));
    } catch (const Error&) {
      fs::remove(up, ec);
      throw;
    }
    for (const auto& w : warnings) std::fprintf(stderr, "runner: warning: %s\n", w.c_str());
    if (s.json)
      print(nlohmann::json{{"up", up.generic_string()}, {"down", down.generic_string()}}.dump() + "\n");
    else
      print(up.generic_string() + "\n" + down.generic_string() + "\n");
    return 0;
  }
  write_new_file(up, "-- " + label + " (up), created " + created +
                         "\n-- Runs in one transaction with its history row. For statements that cannot run in a\n"
                         "-- transaction (CREATE INDEX CONCURRENTLY, VACUUM), put `-- runner:no-transaction` on the "
                         "first line.\n\n");
  try {
    write_new_file(down, "-- " + label + " (down): undoes " + up.filename().string() +
                             ".\n-- Delete this file if the migration cannot be undone.\n\n");
  } catch (const Error&) {
    fs::remove(up, ec);  // a pair or nothing
    throw;
  }
  if (s.json)
    print(nlohmann::json{{"up", up.generic_string()}, {"down", down.generic_string()}}.dump() + "\n");
  else
    print(up.generic_string() + "\n" + down.generic_string() + "\n");
  return 0;
}

}  // namespace runner::cli
