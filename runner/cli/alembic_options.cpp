// SPDX-License-Identifier: MIT
#include "runner/cli/alembic_options.hpp"

#include "runner/base/errors.hpp"
#include "runner/cli/context.hpp"

#include <sstream>

namespace runner::cli {

AlembicSource alembic_source(const Context& ctx) {
  const auto& opt = ctx.settings().import_options;
  AlembicSource source;
  source.dir = opt.at("from");
  source.ini =
      opt.count("alembic-config") ? std::filesystem::path(opt.at("alembic-config")) : source.dir / "alembic.ini";
  std::stringstream cmd(opt.count("alembic") ? opt.at("alembic") : "alembic");
  for (std::string word; cmd >> word;) source.command.push_back(word);
  if (source.command.empty()) throw UsageError("--alembic: give the command that runs Alembic");
  // Alembic runs in the project's folder: a relative path given here means one from here.
  for (auto& word : source.command)
    if (word.find('/') != std::string::npos && std::filesystem::path(word).is_relative() &&
        std::filesystem::exists(word))
      word = std::filesystem::absolute(word).lexically_normal().string();
  source.url_variables = ctx.settings().url_variables;
  return source;
}

}  // namespace runner::cli
