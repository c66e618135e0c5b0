// SPDX-License-Identifier: MIT
#include "runner/core/progress.hpp"

#include "runner/core/checksum.hpp"

#include <sstream>

namespace runner {

std::string describe_progress(const PartialMigration& p) {
  return std::to_string(p.applied) + " of " + std::to_string(p.statements) + " statement" +
         (p.statements == 1 ? "" : "s") + " applied";
}

void StatementHashes::add(std::string_view sql) {
  const std::string full = sha256_hex(sql);
  // 32 bits name the statement; the chained SHA-256 over all of them is the proof.
  each_.push_back(full.substr(0, 8));
  prefix_ = sha256_hex(prefix_ + full);
}

std::string StatementHashes::each_text() const {
  std::string out;
  for (const auto& h : each_) out += (out.empty() ? "" : " ") + h;
  return out;
}

std::vector<std::string> StatementHashes::parse_each(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string h; in >> h;) out.push_back(h);
  return out;
}

}  // namespace runner
