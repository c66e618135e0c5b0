// SPDX-License-Identifier: MIT
#include "runner/db/native_backend.hpp"

#include "runner/core/errors.hpp"
#include "runner/core/log.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

namespace runner {

const NativeBackend& sqlite_native_backend();  // sqlite_native.cpp

namespace {

void log_from_module(int level, const char* message) {
  try {
    if (level >= k_native_warn)
      log().warn("{}", message);
    else
      log().debug("{}", message);
  } catch (...) {
  }
}

const NativeBackend& load_postgresql() {
  // Beside the plugins' folder, in the build tree as in an installed tree.
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path module =
      (exe.parent_path() / ".." / "lib" / "runner" / k_postgresql_backend_module).lexically_normal();
  void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw DatabaseError("cannot load the PostgreSQL support module " + module.string() + ": " +
                        (why != nullptr ? why : "dlopen failed"));
  }
  auto entry = reinterpret_cast<NativeBackendEntry>(dlsym(handle, k_postgresql_backend_entry));
  const NativeBackend* backend = entry != nullptr ? entry(&log_from_module) : nullptr;
  if (backend == nullptr) throw DatabaseError(module.string() + " is not runner's PostgreSQL support module");
  return *backend;  // stays loaded for the process: sessions keep pointing into it
}

}  // namespace

const NativeBackend& native_backend(const std::string& soci_backend) {
  if (soci_backend == "sqlite3") return sqlite_native_backend();
  if (soci_backend == "postgresql") {
    static const NativeBackend& k_postgresql = load_postgresql();
    return k_postgresql;
  }
  throw DatabaseError("the dialect asks for SOCI backend '" + soci_backend + "', which this runner lacks");
}

}  // namespace runner
