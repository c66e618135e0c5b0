// SPDX-License-Identifier: MIT
#include "runner/import/paired_formats.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/import/tool_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace fs = std::filesystem;

namespace runner {
namespace {

// One file, as its tool reads the name.
struct NamedFile {
  const ToolFile* file = nullptr;
  std::string key;   // what the tool's history records
  std::string name;  // the description part
  bool up = true;
  std::optional<std::uint64_t> version;  // runner's version, when the tool's is a plain number
  std::string version_text;
};

ImportedMigration migration_from(const NamedFile& up, const NamedFile* down, const std::string& origin) {
  ImportedMigration m;
  m.key = up.key;
  m.origin = origin;
  m.source_file = up.file->path.generic_string();
  m.name = up.name.empty() ? std::string() : name_from_text(up.name);
  m.up = up.file->text;
  m.up_line = 1;
  if (down != nullptr) {
    m.down = down->file->text;
    m.down_source_file = down->file->path.generic_string();
    m.down_line = 1;
  }
  return m;
}

// Pairs each down with its up by key (the tools that refuse duplicate versions), in `ups`' order.
ImportedSet pair_by_key(const std::string& format, std::vector<NamedFile> ups, const std::vector<NamedFile>& downs,
                        const std::string& origin_word) {
  ImportedSet set;
  set.format = format;
  std::map<std::string, const NamedFile*> by_key;
  for (const auto& u : ups)
    if (auto [it, fresh] = by_key.emplace(u.key, &u); !fresh)
      throw SourceError(u.file->path.generic_string(), 0,
                        fmt::format("has version {}, as {} has: {} refuses two migrations with one version", u.key,
                                    it->second->file->name, format));
  std::map<std::string, const NamedFile*> down_of;
  for (const auto& d : downs) {
    if (!by_key.count(d.key))
      throw SourceError(d.file->path.generic_string(), 0,
                        fmt::format("is a down file of version {}, which has no up file", d.key));
    if (auto [it, fresh] = down_of.emplace(d.key, &d); !fresh)
      throw SourceError(d.file->path.generic_string(), 0,
                        fmt::format("is a second down file of version {} (with {})", d.key, it->second->file->name));
  }
  std::vector<std::optional<std::uint64_t>> wanted;
  std::vector<std::string> wanted_text;
  for (const auto& u : ups) {
    auto d = down_of.find(u.key);
    set.migrations.push_back(migration_from(u, d == down_of.end() ? nullptr : d->second,
                                            origin_word + " " + u.key + " (" + u.file->name + ")"));
    wanted.push_back(u.version);
    wanted_text.push_back(u.version_text);
  }
  assign_versions(set, wanted, wanted_text);
  return set;
}

[[noreturn]] void not_a_name(const ToolFile& f, const std::string& format, const std::string& layout) {
  throw SourceError(
      f.path.generic_string(), 0,
      fmt::format("is not a {} file name ({}){}", format, layout, other_format_hint(f.path.parent_path(), format)));
}

// Flyway's version: "1", "1.1", "2_0_1" (an underscore is a dot), compared part by part.
std::vector<std::uint64_t> flyway_parts(const std::string& version) {
  std::vector<std::uint64_t> parts;
  std::size_t at = 0;
  while (at <= version.size()) {
    std::size_t dot = version.find('.', at);
    if (dot == std::string::npos) dot = version.size();
    parts.push_back(std::stoull(version.substr(at, dot - at)));
    at = dot + 1;
  }
  while (parts.size() > 1 && parts.back() == 0) parts.pop_back();
  return parts;
}

}  // namespace

ImportedSet read_golang_migrate(const fs::path& dir) {
  const std::vector<ToolFile> files = read_tool_files(dir, ".sql");
  std::vector<NamedFile> ups, downs;
  for (const auto& f : files) {
    NamedFile n;
    n.file = &f;
    std::string digits;
    const auto v = leading_version(f.name, &digits, f.path.generic_string());
    const bool up = ends_with(f.name, ".up.sql"), down = ends_with(f.name, ".down.sql");
    if (!v || f.name.size() <= digits.size() || f.name[digits.size()] != '_' || (!up && !down))
      not_a_name(f, "golang-migrate", "VERSION_title.up.sql / .down.sql");
    n.up = up;
    n.key = std::to_string(*v);
    n.version = v;
    n.version_text = digits;
    n.name = f.name.substr(digits.size() + 1, f.name.size() - digits.size() - 1 - (up ? 7 : 9));
    (up ? ups : downs).push_back(n);
  }
  std::stable_sort(ups.begin(), ups.end(),
                   [](const NamedFile& a, const NamedFile& b) { return *a.version < *b.version; });
  return pair_by_key("golang-migrate", ups, downs, "golang-migrate version");
}

ImportedSet read_flyway(const fs::path& dir) {
  const std::vector<ToolFile> files = read_tool_files(dir, ".sql");
  std::vector<NamedFile> ups, downs;
  for (const auto& f : files) {
    if (starts_with(f.name, "R__"))
      throw SourceError(f.path.generic_string(), 0,
                        "is a Flyway repeatable migration: runner has no repeatable migrations (each runs once, in "
                        "order); turn it into a versioned migration (V...__) or keep it out of the folder");
    const std::size_t sep = f.name.find("__");
    const char kind = f.name.empty() ? 0 : f.name[0];
    std::string version = sep == std::string::npos ? std::string() : f.name.substr(1, sep - 1);
    bool ok = (kind == 'V' || kind == 'U') && !version.empty();
    for (char& c : version) {
      if (c == '_') c = '.';
      ok = ok && ((c >= '0' && c <= '9') || c == '.');
    }
    ok = ok && version.front() != '.' && version.back() != '.' && version.find("..") == std::string::npos;
    if (!ok) not_a_name(f, "flyway", "V<version>__<description>.sql, U<version>__<description>.sql for its undo");
    for (std::size_t at = 0, dot; at <= version.size(); at = dot + 1) {
      dot = std::min(version.find('.', at), version.size());
      if (dot - at > 18)
        throw SourceError(f.path.generic_string(), 0,
                          fmt::format("version {} has a part of more than 18 digits, more than runner reads", version));
    }
    NamedFile n;
    n.file = &f;
    n.up = kind == 'V';
    n.key = version;
    n.name = f.name.substr(sep + 2, f.name.size() - sep - 2 - 4);
    std::string digits;
    if (version.find('.') == std::string::npos && (n.version = leading_version(version, &digits)))
      n.version_text = digits;
    (n.up ? ups : downs).push_back(n);
  }
  std::stable_sort(ups.begin(), ups.end(),
                   [](const NamedFile& a, const NamedFile& b) { return flyway_parts(a.key) < flyway_parts(b.key); });
  for (std::size_t i = 1; i < ups.size(); ++i)
    if (flyway_parts(ups[i - 1].key) == flyway_parts(ups[i].key))
      throw SourceError(ups[i].file->path.generic_string(), 0,
                        fmt::format("has version {}, as {} has: Flyway refuses two migrations with one version",
                                    ups[i].key, ups[i - 1].file->name));
  return pair_by_key("flyway", ups, downs, "Flyway version");
}

ImportedSet read_plain(const fs::path& dir) {
  const std::vector<ToolFile> files = read_tool_files(dir, ".sql");
  std::vector<NamedFile> ups, downs;
  for (const auto& f : files) {
    // [V]digits, then an optional name after _, -, . or __, then an optional direction.
    std::string_view s(f.name);
    s.remove_suffix(4);
    if (!s.empty() && (s[0] == 'V' || s[0] == 'v')) s.remove_prefix(1);
    std::string digits;
    const auto v = leading_version(std::string(s), &digits, f.path.generic_string());
    if (!v) not_a_name(f, "plain", "[V]NNNN[_name][.up|.down].sql");
    s.remove_prefix(digits.size());
    NamedFile n;
    n.file = &f;
    for (const char* dir_suffix : {".up", "_up", ".down", "_down"})
      if (ends_with(s, dir_suffix)) {
        n.up = dir_suffix[1] == 'u';
        s.remove_suffix(std::char_traits<char>::length(dir_suffix));
        break;
      }
    if (!s.empty()) {
      if (starts_with(s, "__"))
        s.remove_prefix(2);
      else if (s[0] == '_' || s[0] == '-' || s[0] == '.')
        s.remove_prefix(1);
      else
        not_a_name(f, "plain", "[V]NNNN[_name][.up|.down].sql");
    }
    n.name = std::string(s);
    n.version = v;
    n.version_text = digits;
    // No history to adopt: the key is the up file's name, for importing again later.
    n.key = f.name;
    (n.up ? ups : downs).push_back(n);
  }
  // By version, as numbers (9 before 10); one version's files by the whole file name, the order
  // the tools these folders come from apply them in.
  std::stable_sort(ups.begin(), ups.end(), [](const NamedFile& a, const NamedFile& b) {
    return *a.version != *b.version ? *a.version < *b.version : a.file->name < b.file->name;
  });
  ImportedSet set;
  set.format = "plain";
  std::vector<const NamedFile*> down_of(ups.size(), nullptr);
  for (const auto& d : downs) {
    // Its up: same version and name; else the one up of that version, with a note.
    std::vector<std::size_t> same_version;
    std::optional<std::size_t> exact;
    for (std::size_t i = 0; i < ups.size(); ++i)
      if (ups[i].version == d.version) {
        same_version.push_back(i);
        if (name_from_text(ups[i].name) == name_from_text(d.name)) exact = i;
      }
    if (!exact && same_version.size() == 1) {
      exact = same_version[0];
      set.report.push_back(fmt::format("{} paired with {} (the only up file of version {}; the names differ)",
                                       d.file->name, ups[*exact].file->name, d.version_text));
    }
    if (!exact)
      throw SourceError(d.file->path.generic_string(), 0,
                        same_version.empty()
                            ? fmt::format("is a down file of version {}, which has no up file", d.version_text)
                            : fmt::format("is a down file whose up file cannot be told: {} up files have version {} "
                                          "and none has its name; rename it after its up file",
                                          same_version.size(), d.version_text));
    if (down_of[*exact] != nullptr)
      throw SourceError(
          d.file->path.generic_string(), 0,
          fmt::format("is a second down file of {} (with {})", ups[*exact].file->name, down_of[*exact]->file->name));
    down_of[*exact] = &d;
  }
  std::vector<std::optional<std::uint64_t>> wanted;
  std::vector<std::string> wanted_text;
  for (std::size_t i = 0; i < ups.size(); ++i) {
    set.migrations.push_back(migration_from(ups[i], down_of[i], "file " + ups[i].file->name));
    wanted.push_back(ups[i].version);
    wanted_text.push_back(ups[i].version_text);
  }
  assign_versions(set, wanted, wanted_text);
  return set;
}

}  // namespace runner
