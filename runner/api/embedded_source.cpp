// SPDX-License-Identifier: MIT
#include "runner/api/embedded_source.hpp"

#include "runner/base/errors.hpp"
#include "runner/base/text.hpp"
#include "runner/core/migration.hpp"
#include "runner/core/migration_source.hpp"

#include <map>
#include <mutex>

namespace fs = std::filesystem;

namespace runner {
namespace {

class EmbeddedRegistry final : public MigrationSource {
 public:
  fs::path add(const EmbeddedMigrations& set, const fs::path& name) {
    const fs::path dir = "embedded:" + name.generic_string();
    std::lock_guard<std::mutex> lock(mutex_);
    // Sets are found by this name: a second set under it would be read in place of the first,
    // and its migrations applied to the first one's database.
    auto [it, added] = sets_.emplace(dir.generic_string(), &set);
    if (!added && it->second != &set)
      throw UsageError("two embedded migration sets are both named '" + name.generic_string() +
                       "': give each its own MigratorOptions::sql_dir");
    return dir;
  }
  bool is_folder(const fs::path& dir) override {
    const Folder f = find(dir);
    if (f.set == nullptr) return disk_->is_folder(dir);
    if (f.prefix.empty()) return true;
    for (std::size_t i = 0; i < f.set->count; ++i)
      if (starts_with(f.set->files[i].name, f.prefix)) return true;
    return false;
  }
  std::vector<Entry> list(const fs::path& dir) override {
    const Folder f = find(dir);
    if (f.set == nullptr) return disk_->list(dir);
    std::vector<Entry> out;
    for (std::size_t i = 0; i < f.set->count; ++i) {
      const std::string name = f.set->files[i].name;
      if (starts_with(name, f.prefix) && name.find('/', f.prefix.size()) == std::string::npos)
        out.push_back({name.substr(f.prefix.size()), ""});
    }
    return out;
  }
  bool stamp(const fs::path& file, FileStamp* out) override {
    return find(file.parent_path()).set == nullptr && disk_->stamp(file, out);
  }
  std::string read(const fs::path& file, FileStamp* stamp) override {
    const Folder f = find(file.parent_path());
    if (f.set == nullptr) return disk_->read(file, stamp);
    if (stamp != nullptr) *stamp = FileStamp{};  // compiled in: never changes under a run
    const std::string name = f.prefix + file.filename().string();
    for (std::size_t i = 0; i < f.set->count; ++i)
      if (name == f.set->files[i].name)
        return std::string(reinterpret_cast<const char*>(f.set->files[i].data), f.set->files[i].size);
    throw SourceError(file.generic_string(), 0, "is not among the embedded migrations");
  }

 private:
  // An embedded set's folder, or its callbacks/ subfolder (names "callbacks/..." in the set).
  struct Folder {
    const EmbeddedMigrations* set = nullptr;
    std::string prefix;
  };
  Folder find(const fs::path& dir) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = sets_.find(dir.generic_string()); it != sets_.end()) return {it->second, ""};
    if (dir.filename() == "callbacks")
      if (auto it = sets_.find(dir.parent_path().generic_string()); it != sets_.end())
        return {it->second, "callbacks/"};
    return {};
  }
  std::mutex mutex_;
  std::map<std::string, const EmbeddedMigrations*> sets_;
  std::shared_ptr<MigrationSource> disk_ = disk_migration_source();
};

}  // namespace

fs::path register_embedded(const EmbeddedMigrations& set, const fs::path& name) {
  static std::once_flag once;
  static std::shared_ptr<EmbeddedRegistry> registry = std::make_shared<EmbeddedRegistry>();
  std::call_once(once, [] { set_migration_source(registry); });
  return registry->add(set, name);
}

}  // namespace runner
