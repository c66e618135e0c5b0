// SPDX-License-Identifier: MIT
#include "runner/engine/migration_test.hpp"

#include "runner/base/errors.hpp"
#include "runner/core/plan.hpp"
#include "runner/engine/shadow.hpp"

#include <fmt/format.h>

#include <chrono>

namespace runner {
namespace {

std::vector<Schema> read_all(Shadow& shadow, const std::vector<std::string>& schemas) {
  std::vector<Schema> out;
  if (schemas.empty()) {
    out.push_back(shadow.read());
  } else {
    for (const auto& s : schemas) out.push_back(shadow.read(s));
  }
  return out;
}

void require_version(const MigrationSet& files, std::uint64_t v, const char* option) {
  if (v != 0 && files.find(v) == nullptr)
    throw UsageError(fmt::format("{} {}: no migration has that version", option, v));
}

}  // namespace

MigrationTestResult test_migrations(const Dialect& dialect, const MigrationSet& files,
                                    const MigrationTestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  require_version(files, options.from, "--from");
  require_version(files, options.to, "--to");
  if (options.from != 0 && options.to != 0 && options.from > options.to)
    throw UsageError(fmt::format("--from {} comes after --to {}", options.from, options.to));
  check_shadow_place(dialect, options.shadow_url);
  Shadow shadow(dialect, {options.live_url, options.shadow_url, "", options.live_display}, options.lock_timeout);
  if (shadow.in_place() && !options.schemas.empty())
    throw UsageError("--schema: a shadow schema holds one schema; give --shadow-url to compare several");
  MigrationTestResult r;
  r.shadow = shadow.where();
  // Every file is read and checked before any runs: one that cannot run here stops the test
  // before an earlier one has.
  std::vector<Step> all;
  for (const auto& m : files.migrations) {
    if (options.to != 0 && m.version > options.to) break;
    all.push_back({&m, m.version, Direction::up});
    if (m.down && m.version >= options.from) all.push_back({&m, m.version, Direction::down});
  }
  shadow.admit(all, options.placeholders);
  for (const auto& m : files.migrations) {
    if (options.to != 0 && m.version > options.to) break;
    const Step up{&m, m.version, Direction::up}, down{&m, m.version, Direction::down};
    if (m.version < options.from) {
      shadow.apply(files, {up}, options.placeholders, options.cancel);
      continue;
    }
    if (!m.down) {
      r.irreversible.push_back(m.label());
      shadow.apply(files, {up}, options.placeholders, options.cancel);
      if (options.on_checked) options.on_checked(m.label(), "irreversible (no down file): applied, not checked");
      continue;
    }
    const std::vector<Schema> before = read_all(shadow, options.schemas);
    shadow.apply(files, {up}, options.placeholders, options.cancel);
    const std::vector<Schema> after = read_all(shadow, options.schemas);
    shadow.apply(files, {down}, options.placeholders, options.cancel);
    std::vector<SchemaDifference> left =
        compare_schema_lists(before, read_all(shadow, options.schemas), options.schemas);
    if (!left.empty()) {
      r.failures.push_back({m.version, m.label(), "down", std::move(left)});
      break;
    }
    shadow.apply(files, {up}, options.placeholders, options.cancel);
    std::vector<SchemaDifference> again =
        compare_schema_lists(after, read_all(shadow, options.schemas), options.schemas);
    if (!again.empty()) {
      r.failures.push_back({m.version, m.label(), "up again", std::move(again)});
      break;
    }
    ++r.checked;
    if (options.on_checked) options.on_checked(m.label(), "ok");
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace runner
