// SPDX-License-Identifier: MIT
#include "plugins/loader/dialect_loader.hpp"

#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdint>

#include <algorithm>
#include <cstddef>
#include <set>
#include <system_error>

namespace runner {
namespace fs = std::filesystem;

namespace {

// Plugin files are named k_plugin_prefix + NAME + ".so".
constexpr const char* k_plugin_prefix = "runner_dialect_";

// The oldest dialect ABI this host still speaks: plugins serve it anything from here to
// RUNNER_DIALECT_ABI_VERSION.
constexpr std::uint32_t k_abi_min_version = 2;

void host_log(void* /*ctx*/, int level, const char* message) noexcept {
  try {
    if (level >= RUNNER_LOG_WARN)
      log().warn("{}", message);
    else if (level == RUNNER_LOG_INFO)
      log().info("{}", message);
    else
      log().debug("{}", message);
  } catch (...) {
    // Logging must never unwind into a plugin.
  }
}

const runner_host k_host = {RUNNER_DIALECT_ABI_VERSION, sizeof(runner_host), k_abi_min_version, nullptr, &host_log};

std::string abi_range() {
  return k_abi_min_version == RUNNER_DIALECT_ABI_VERSION
             ? fmt::format("ABI {}", RUNNER_DIALECT_ABI_VERSION)
             : fmt::format("ABI {} to {}", k_abi_min_version, RUNNER_DIALECT_ABI_VERSION);
}

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

fs::path executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

}  // namespace

std::string dialect_name_from_url(const std::string& url) {
  std::size_t colon = url.find(':');
  std::string scheme = colon == std::string::npos ? std::string() : url.substr(0, colon);
  // The scheme names the plugin file; other schemes of a dialect are links to it (its aliases).
  if (scheme.empty() || scheme.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos)
    return "";
  return scheme;
}

std::string dialect_file_name(const std::string& name) { return fmt::format("{}{}.so", k_plugin_prefix, name); }

DialectLoader::DialectLoader(std::vector<fs::path> search_dirs) : dirs_(std::move(search_dirs)) {}

std::vector<fs::path> DialectLoader::search_path(const std::vector<std::string>& explicit_dirs,
                                                 const std::string& env_path, bool beside_executable) {
  std::vector<fs::path> dirs;
  auto add_list = [&](const std::string& list) {
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t colon = list.find(':', start);
      std::string part = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!part.empty()) dirs.emplace_back(part);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  };
  for (const auto& d : explicit_dirs) add_list(d);
  add_list(env_path);
  fs::path exe_dir = beside_executable ? executable_dir() : fs::path();
  if (!exe_dir.empty()) dirs.push_back((exe_dir / ".." / "lib" / "runner" / "dialects").lexically_normal());
  return dirs;
}

const Dialect& DialectLoader::load(const std::string& name) {
  if (!valid_name(name))
    throw DialectLoadError(fmt::format("invalid dialect name '{}' (lower-case letters, digits and _ only)", name));
  std::string tried;
  for (const auto& dir : dirs_) {
    fs::path candidate = dir / dialect_file_name(name);
    std::error_code ec;
    if (!fs::exists(candidate, ec)) {
      tried += fmt::format("\n  {}", candidate.string());
      continue;
    }
    const Dialect& d = load_file(candidate);
    const auto& aliases = d.aliases();
    if (d.name() != name && std::find(aliases.begin(), aliases.end(), name) == aliases.end())
      throw DialectLoadError(
          fmt::format("{}: plugin calls itself '{}', expected '{}'", candidate.string(), d.name(), name));
    return d;
  }
  throw DialectLoadError("no plugin for dialect '" + name + "'; looked for:" + tried +
                         "\n(set --plugin-dir or RUNNER_PLUGIN_PATH)");
}

const Dialect& DialectLoader::load_file(const fs::path& file) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(file, ec);
  const std::string key = (ec ? file : canonical).string();
  if (auto it = by_file_.find(key); it != by_file_.end()) return *it->second;

  // RTLD_NOW: a missing symbol fails here, not at the first call. RTLD_LOCAL: the plugin's
  // symbols cannot interpose on the host's or another plugin's.
  void* handle = dlopen(key.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw DialectLoadError(fmt::format("{}: not a loadable plugin: {}", key, why != nullptr ? why : "dlopen failed"));
  }
  dlerror();
  void* symbol = dlsym(handle, RUNNER_DIALECT_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    dlclose(handle);
    throw DialectLoadError(
        fmt::format("{}: not a runner dialect plugin (no {} symbol)", key, RUNNER_DIALECT_ENTRY_SYMBOL));
  }
  auto entry = reinterpret_cast<runner_dialect_entry_fn>(symbol);
  const runner_dialect* table = entry(&k_host);
  if (table == nullptr) {
    dlclose(handle);
    throw DialectLoadError(
        fmt::format("{}: plugin refused to load: it does not serve dialect {}, which this runner "
                    "speaks; rebuild it against this runner's plugins/dialect_abi.h",
                    key, abi_range()));
  }
  // abi_version and struct_size are read before anything else, and nothing else is read when they
  // do not match: a plugin from another ABI may lay the rest out differently.
  if (table->abi_version < k_abi_min_version || table->abi_version > RUNNER_DIALECT_ABI_VERSION) {
    std::string msg = fmt::format(
        "{}: plugin was built for dialect ABI {}, this runner speaks {}; rebuild the plugin "
        "against this runner's plugins/dialect_abi.h",
        key, table->abi_version, abi_range());
    dlclose(handle);
    throw DialectLoadError(msg);
  }
  // Revision 2.0 ends with review; fields appended later are read only when struct_size covers them.
  constexpr std::size_t k_min_size = offsetof(runner_dialect, review) + sizeof(runner_dialect::review);
  if (table->struct_size < k_min_size) {
    dlclose(handle);
    throw DialectLoadError(fmt::format("{}: plugin's dialect table is too small ({} bytes, expected at least {})", key,
                                       table->struct_size, k_min_size));
  }
  const runner_driver* driver = table->driver;
  if (table->name == nullptr || table->describe_database == nullptr || table->split == nullptr ||
      table->runner_sql == nullptr || table->projects_sql == nullptr || table->project_url == nullptr ||
      driver == nullptr || driver->connect == nullptr || driver->close == nullptr || driver->run == nullptr ||
      driver->transaction == nullptr || driver->in_transaction == nullptr || driver->ports == nullptr ||
      driver->cancel == nullptr) {
    dlclose(handle);
    throw DialectLoadError(fmt::format("{}: plugin's dialect table has empty entries", key));
  }
  auto dialect = std::make_unique<Dialect>(table, key);
  // What a run depends on is checked now, not found missing half-way through one.
  if (std::string missing = dialect->missing_runner_sql(); !missing.empty()) {
    dialect.reset();
    dlclose(handle);
    throw DialectLoadError(fmt::format("{}: plugin is unusable: {}", key, missing));
  }
  const Dialect& ref = *dialect;
  by_file_.emplace(key, std::move(dialect));
  return ref;
}

std::vector<std::string> DialectLoader::available_names() const {
  std::set<std::string> names;
  const std::string prefix = k_plugin_prefix;
  for (const auto& dir : dirs_) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string fname = it->path().filename().string();
      if (fname.rfind(prefix, 0) != 0 || it->path().extension() != ".so") continue;
      // A link to another plugin of this folder is an alias: another URL scheme, not a dialect
      // migration file variants could name.
      std::error_code link_ec;
      if (it->is_symlink(link_ec)) {
        const fs::path to = fs::read_symlink(it->path(), link_ec);
        if (!link_ec && to.parent_path().empty() && to.filename().string().rfind(prefix, 0) == 0) continue;
      }
      names.insert(fname.substr(prefix.size(), fname.size() - prefix.size() - 3));
    }
  }
  return {names.begin(), names.end()};
}

std::vector<DialectLoader::Found> DialectLoader::load_all() {
  std::vector<Found> found;
  std::set<std::string> seen_names;
  for (const auto& dir : dirs_) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string fname = it->path().filename().string();
      if (fname.rfind(k_plugin_prefix, 0) == 0 && it->path().extension() == ".so") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string name = f.stem().string().substr(std::char_traits<char>::length(k_plugin_prefix));
      if (!seen_names.insert(name).second) continue;  // shadowed by an earlier directory
      Found item;
      item.file = f;
      try {
        item.dialect = &load_file(f);
        if (item.dialect->name() != name) continue;  // another name of a dialect (an alias's link)
      } catch (const DialectLoadError& e) {
        item.error = e.what();
      }
      found.push_back(std::move(item));
    }
  }
  return found;
}

}  // namespace runner
