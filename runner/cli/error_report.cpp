// SPDX-License-Identifier: MIT
#include "runner/cli/error_report.hpp"

#include "runner/base/errors.hpp"
#include "runner/engine/executor.hpp"

#include <nlohmann/json.hpp>

namespace runner::cli {

const char* error_category(int exit_code) {
  return exit_code == k_exit_usage     ? "invalid"
         : exit_code == k_exit_refused ? "refused"
         : exit_code > 128             ? "interrupted"
                                       : "failed";
}

std::string error_json(const Error& error) {
  const int code = error.exit_code();
  nlohmann::json e{{"exit_code", code},
                   {"category", error_category(code)},
                   {"message", error.what()},
                   {"file", error.file().empty() ? nlohmann::json(nullptr) : nlohmann::json(error.file())},
                   {"line", error.line() == 0 ? nlohmann::json(nullptr) : nlohmann::json(error.line())}};
  // What the database said, as fields a program can act on (SQLSTATE 23505: a unique violation).
  const Error::DatabaseSaid& said = error.database_said();
  auto field = [](const std::string& v) { return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v); };
  if (!said.sqlstate.empty() || !said.detail.empty() || !said.hint.empty() || !said.code.empty())
    e["database"] = {{"sqlstate", field(said.sqlstate)},
                     {"detail", field(said.detail)},
                     {"hint", field(said.hint)},
                     {"code", field(said.code)}};
  nlohmann::json doc{{"error", e}};
  if (const auto* failed = dynamic_cast<const MigrationError*>(&error)) {
    nlohmann::json applied = nlohmann::json::array();
    for (const auto& r : failed->completed())
      applied.push_back({{"version", r.version},
                         {"name", r.name},
                         {"direction", r.direction == Direction::up ? "up" : "down"},
                         {"execution_ms", r.execution_ms}});
    doc["applied"] = applied;
  }
  // Messages may hold bytes of a migration file that are not UTF-8 (e.g. a statement's headline
  // cut mid-character): replaced, never a throw from here.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace runner::cli
