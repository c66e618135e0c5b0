// SPDX-License-Identifier: MIT
// A -- runner:no-transaction migration's progress, statement by statement, as runner_progress
// keeps it: what `resume` starts from and `repair` resolves, and how a statement that already ran
// is recognised in the file as it is now.
#pragma once

#include "runner/core/migration.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace runner {

struct PartialMigration {
  std::uint64_t version = 0;
  std::string name;
  Direction direction = Direction::up;
  std::string checksum;                       // of the up file when it started
  std::size_t statements = 0;                 // in the migration as it ran (callbacks' statements included)
  std::size_t applied = 0;                    // statements 1..applied completed and stay applied
  std::string prefix_hash;                    // over statements 1..applied (StatementHashes)
  std::vector<std::string> statement_hashes;  // one short hash per applied statement
  std::string error;                          // why it stopped ("" while it runs, or when a run was killed)
  std::string error_file;                     // the file and line to look at
  std::uint32_t error_line = 0;
  std::string started_at;  // UTC, ISO 8601
  std::string updated_at;
};

// "2 of 4 statements applied"
std::string describe_progress(const PartialMigration& p);

// The hashes of statements as they run: a short one per statement, to name the one that changed,
// and one over all of them so far, to be sure none did.
class StatementHashes {
 public:
  StatementHashes() = default;
  // Continues from a recorded prefix.
  StatementHashes(std::string prefix, std::vector<std::string> each)
      : prefix_(std::move(prefix)), each_(std::move(each)) {}
  void add(std::string_view sql);
  const std::string& prefix() const { return prefix_; }
  const std::vector<std::string>& each() const { return each_; }
  // As runner_progress stores them: space-separated.
  std::string each_text() const;
  static std::vector<std::string> parse_each(const std::string& text);

 private:
  std::string prefix_;
  std::vector<std::string> each_;
};

}  // namespace runner
