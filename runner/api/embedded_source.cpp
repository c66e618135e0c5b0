// SPDX-License-Identifier: MIT
#include "runner/api/embedded_source.hpp"

#include "runner/base/errors.hpp"
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
    sets_[dir.generic_string()] = &set;
    return dir;
  }
  bool is_folder(const fs::path& dir) override { return find(dir) != nullptr || disk_->is_folder(dir); }
  std::vector<Entry> list(const fs::path& dir) override {
    const EmbeddedMigrations* set = find(dir);
    if (set == nullptr) return disk_->list(dir);
    std::vector<Entry> out;
    for (std::size_t i = 0; i < set->count; ++i) out.push_back({set->files[i].name, ""});
    return out;
  }
  std::string read(const fs::path& file, FileStamp* stamp) override {
    const EmbeddedMigrations* set = find(file.parent_path());
    if (set == nullptr) return disk_->read(file, stamp);
    if (stamp != nullptr) *stamp = FileStamp{};  // compiled in: never changes under a run
    const std::string name = file.filename().string();
    for (std::size_t i = 0; i < set->count; ++i)
      if (name == set->files[i].name)
        return std::string(reinterpret_cast<const char*>(set->files[i].data), set->files[i].size);
    throw SourceError(file.generic_string(), 0, "is not among the embedded migrations");
  }

 private:
  const EmbeddedMigrations* find(const fs::path& dir) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sets_.find(dir.generic_string());
    return it == sets_.end() ? nullptr : it->second;
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
