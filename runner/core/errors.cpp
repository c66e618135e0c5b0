// SPDX-License-Identifier: MIT
#include "runner/core/errors.hpp"

namespace runner {

namespace {
std::string located(const std::string& file, std::uint32_t line, const std::string& message) {
  if (file.empty()) return message;
  return line > 0 ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
}
}  // namespace

SourceError::SourceError(const std::string& file, std::uint32_t line, const std::string& message)
    : Error(located(file, line, message)) {}

}  // namespace runner
