// SPDX-License-Identifier: MIT
// embed_example URL: what the application's start-up does, its migrations compiled in.
#include "runner/migrator.hpp"

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embed_example DATABASE_URL\n";
    return 2;
  }
  runner::MigratorOptions options;
  options.url = argv[1];
  options.embedded = &runner_embedded_migrations;
  options.on_log = [](runner::LogLevel, const std::string& line) { std::cerr << "runner: " << line << "\n"; };
  try {
    runner::Migrator migrator(std::move(options));
    const runner::RunReport report = migrator.upgrade();
    std::cout << "database at " << report.to << " (" << report.steps.size() << " applied now)\n";
    return 0;
  } catch (const runner::Error& e) {
    std::cerr << "cannot bring the database to head: " << e.what() << "\n";
    return e.exit_code();
  }
}
