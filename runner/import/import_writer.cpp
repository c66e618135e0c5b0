// SPDX-License-Identifier: MIT
#include "runner/import/import_writer.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/interrupt_cleanup.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/migration_name.hpp"
#include "runner/core/migration_scanner.hpp"
#include "runner/core/migration_source.hpp"
#include "runner/engine/offline_translation.hpp"
#include "runner/engine/round_trip.hpp"

#include <fmt/format.h>

#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace runner {

std::string name_from_text(const std::string& text) {
  std::string name;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum)
      name.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    else if (!name.empty() && name.back() != '_')
      name.push_back('_');
    if (name.size() >= 60) break;
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name.empty() ? "migration" : name;
}

namespace {

// The versions already in `dir`, with the digits of the widest.
struct Existing {
  std::set<std::uint64_t> versions;
  std::size_t width = 0;
};

Existing existing_versions(const fs::path& dir) {
  Existing e;
  MigrationSource& source = migration_source();
  if (!source.is_folder(dir)) return e;
  for (const auto& entry : source.list(dir)) {
    MigrationFileName f;
    std::string why;
    if (!parse_migration_file_name(entry.name, &f, &why)) continue;
    e.versions.insert(f.version);
    e.width = std::max(e.width, f.version_text.size());
  }
  return e;
}

std::string header(const ImportedMigration& m, bool up, const std::string& format) {
  const std::string down_file = m.down_source_file.empty() || m.down_source_file == m.source_file
                                    ? std::string()
                                    : ", " + std::filesystem::path(m.down_source_file).filename().string();
  std::string h = "-- Imported by runner from " + m.origin + (up ? "" : " (down" + down_file + ")") + ".\n";
  if (up) {
    h += "-- runner:imported-from " + format + " " + m.key;
    if (!m.parents.empty()) {
      h += " parents=";
      for (std::size_t i = 0; i < m.parents.size(); ++i) h += (i ? "," : "") + m.parents[i];
    }
    h += "\n";
  }
  if (up ? m.no_transaction : m.down_no_transaction) h += "-- runner:no-transaction\n";
  if (m.as_written) h += "-- runner:as-written\n";
  if (m.placeholders) h += "-- runner:placeholders\n";
  return h + "\n";
}

std::string with_newline(std::string text) {
  if (!text.empty() && text.back() != '\n') text.push_back('\n');
  return text;
}

// The folder as it will be: the disk, with the planned files added.
class PlannedSource final : public MigrationSource {
 public:
  PlannedSource(const ImportPlan& plan, std::shared_ptr<MigrationSource> disk) : plan_(plan), disk_(std::move(disk)) {}
  bool is_folder(const fs::path& dir) override { return dir == plan_.dir || disk_->is_folder(dir); }
  std::vector<Entry> list(const fs::path& dir) override {
    std::vector<Entry> entries;
    if (disk_->is_folder(dir)) entries = disk_->list(dir);
    if (dir == plan_.dir)
      for (const auto& f : plan_.files) entries.push_back({f.path.filename().string(), ""});
    return entries;
  }
  std::string read(const fs::path& file, FileStamp* stamp) override {
    for (const auto& f : plan_.files)
      if (f.path == file) {
        if (stamp != nullptr) *stamp = FileStamp{};
        return f.text;
      }
    return disk_->read(file, stamp);
  }

 private:
  const ImportPlan& plan_;
  std::shared_ptr<MigrationSource> disk_;
};

// Restores the disk as the migration source when the check ends, however it ends.
struct SourceOverlay {
  explicit SourceOverlay(std::shared_ptr<MigrationSource> s) { set_migration_source(std::move(s)); }
  ~SourceOverlay() { set_migration_source(nullptr); }
};

// A problem found in a planned file (which exists only in the plan), named where the user can look:
// the source's own file and line for files read as written, else the migration it came from.
SourceError at_source(const ImportPlan& plan, const Dialect& dialect, const SourceError& e) {
  const PlannedFile* file = nullptr;
  for (const auto& f : plan.files)
    if (!e.file().empty() && f.path.generic_string() == e.file()) file = &f;
  if (file == nullptr) return e;
  const ImportedMigration& m = *file->source;
  // The message without the planned file's "path:line: " in front.
  std::string said = e.what();
  const std::string prefix = e.file() + ":";
  if (said.rfind(prefix, 0) == 0) {
    const std::size_t colon = said.find(": ", prefix.size());
    if (colon != std::string::npos) said = said.substr(colon + 2);
  }
  const std::uint32_t start = file->up ? m.up_line : m.down_line;
  const std::string& source = file->up ? m.source_file : m.down_source_file;
  if (start > 0 && e.line() > file->header_lines)
    return SourceError(source, e.line() - file->header_lines + start - 1,
                       fmt::format("{} (imported as {}): does not run on {}: {}\nnothing was written", m.origin,
                                   file->path.filename().string(), dialect.name(), said));
  return SourceError(fmt::format("{} does not run on {}: {}\nnothing was written", m.origin, dialect.name(), e.what()));
}

}  // namespace

ImportPlan plan_import(const ImportedSet& set, const fs::path& dir) {
  ImportPlan plan;
  plan.dir = dir;
  const Existing existing = existing_versions(dir);
  std::uint64_t next = existing.versions.empty() ? 1 : *existing.versions.rbegin() + 1;
  for (const auto& m : set.migrations)
    if (m.version) next = std::max(next, *m.version + 1);
  const std::size_t width = std::max<std::size_t>(existing.width, 4);
  std::map<std::uint64_t, const ImportedMigration*> taken;
  std::uint64_t numbered = existing.versions.empty() ? 1 : *existing.versions.rbegin() + 1;
  for (const auto& m : set.migrations) {
    std::uint64_t version;
    std::string text;
    if (m.version) {
      version = *m.version;
      text = m.version_text;
      if (existing.versions.count(version))
        throw SourceError(m.source_file, 0,
                          fmt::format("version {} is already taken in {}: import into an empty folder, or renumber "
                                      "the folder's own migrations first",
                                      text, dir.generic_string()));
    } else {
      // Numbered after the folder's last migration and after any version the set keeps.
      version = std::max(numbered, next);
      numbered = version + 1;
      next = std::max(next, numbered);
      text = fmt::format("{:0{}}", version, width);
    }
    if (auto [it, fresh] = taken.emplace(version, &m); !fresh)
      throw SourceError(m.source_file, 0,
                        fmt::format("version {} is also the version of {}: two migrations cannot share one", text,
                                    it->second->source_file));
    const std::string label = m.name.empty() ? text : text + "_" + m.name;
    plan.entries.push_back({&m, version, label});
    const auto add = [&](const std::string& suffix, bool up, const std::string& body) {
      const std::string h = header(m, up, set.format);
      plan.files.push_back({dir / (label + suffix), h + with_newline(body), &m, up,
                            static_cast<std::uint32_t>(std::count(h.begin(), h.end(), '\n'))});
    };
    add(".up.sql", true, m.up);
    if (m.down) add(".down.sql", false, *m.down);
    for (const auto& [dialect, texts] : m.variants) {
      add(".up." + dialect + ".sql", true, texts.first);
      if (texts.second) add(".down." + dialect + ".sql", false, *texts.second);
    }
  }
  for (const auto& f : plan.files) {
    std::error_code ec;
    if (fs::exists(f.path, ec))
      throw SourceError(f.path.generic_string(), 0, "already exists: import never overwrites a file");
  }
  return plan;
}

void check_import(const ImportPlan& plan, const std::vector<const Dialect*>& dialects,
                  const std::vector<std::string>& known_dialects, const Placeholders& placeholders) {
  SourceOverlay overlay(std::make_shared<PlannedSource>(plan, disk_migration_source()));
  for (const Dialect* dialect : dialects) {
    try {
      MigrationSet files = scan_migrations(plan.dir, dialect->name(), known_dialects);
      RoundTrip round_trip = prepare_round_trip(*dialect, files, placeholders);
      check_translation(*dialect, files, {}, round_trip.steps, placeholders);
    } catch (const SourceError& e) {
      throw at_source(plan, *dialect, e);
    }
  }
}

std::string imported_text(const ImportedMigration& m, bool up, const std::string& format) {
  return header(m, up, format) + with_newline(up ? m.up : m.down.value_or(""));
}

void write_import(const ImportPlan& plan) {
  // Moments, all or nothing: a signal waits until every file is in place or none is.
  SignalsHeld held;
  std::error_code ec;
  const bool made = !fs::exists(plan.dir, ec);
  fs::create_directories(plan.dir, ec);
  if (ec) throw UsageError(fmt::format("cannot create {}: {}", plan.dir.generic_string(), ec.message()));
  std::vector<fs::path> staged, placed;
  auto undo = [&] {
    for (const auto& p : staged) fs::remove(p, ec);
    for (const auto& p : placed) fs::remove(p, ec);
    if (made) fs::remove(plan.dir, ec);  // only when empty: what this import made
  };
  for (const auto& f : plan.files) {
    fs::path tmp = f.path;
    tmp += ".runner-import-" + std::to_string(::getpid());
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) staged.push_back(tmp);
    out << f.text;
    out.close();
    if (!out) {
      const std::string why = std::strerror(errno);
      undo();
      throw UsageError(fmt::format("cannot write {}: {}; nothing was written", f.path.generic_string(), why));
    }
  }
  for (std::size_t i = 0; i < plan.files.size(); ++i) {
    // link() refuses to replace a file that appeared since the plan; rename() would not.
    if (::link(staged[i].c_str(), plan.files[i].path.c_str()) != 0) {
      const std::string why = std::strerror(errno);
      undo();
      throw UsageError(
          fmt::format("cannot write {}: {}; nothing was written", plan.files[i].path.generic_string(), why));
    }
    placed.push_back(plan.files[i].path);
  }
  for (const auto& p : staged) fs::remove(p, ec);
}

}  // namespace runner
