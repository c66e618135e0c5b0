// SPDX-License-Identifier: MIT
#include "runner/fleet/inventory.hpp"

#include "runner/base/errors.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace runner {
namespace {

bool is_name_char(char c, bool first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

// `${NAME}` replaced by its value; a '$' not followed by '{' stays as written.
std::string expand(const std::string& word, const std::string& where, const EnvironmentLookup& lookup) {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] != '$' || i + 1 >= word.size() || word[i + 1] != '{') {
      out += word[i];
      continue;
    }
    const std::size_t close = word.find('}', i + 2);
    if (close == std::string::npos) throw UsageError(where + ": '${' without its closing '}'");
    const std::string name = word.substr(i + 2, close - i - 2);
    bool valid = !name.empty();
    for (std::size_t k = 0; k < name.size() && valid; ++k) valid = is_name_char(name[k], k == 0);
    if (!valid)
      throw UsageError(where + ": '${" + name + "}' is no variable name (letters, digits and '_', not first a digit)");
    const std::optional<std::string> value = lookup(name);
    if (!value)
      throw UsageError(where + ": ${" + name + "} is not set in the environment (export it, or write the value)");
    out += *value;
    i = close;
  }
  return out;
}

}  // namespace

Inventory parse_inventory(const std::string& text, const std::string& file, const EnvironmentLookup& lookup) {
  Inventory inventory;
  inventory.file = file;
  inventory.base_dir = std::filesystem::path(file).parent_path().string();
  std::map<std::pair<std::string, std::string>, int> seen;  // (URL as written, pattern) -> line
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    std::istringstream words(line);
    std::vector<std::string> parts;
    for (std::string w; words >> w;) parts.push_back(w);
    if (parts.empty() || parts[0][0] == '#') continue;
    const std::string where = file + ":" + std::to_string(n);
    // A comment after the URL would read as a pattern, and a '#' inside a password would cut it.
    for (std::size_t i = 1; i < parts.size(); ++i)
      if (parts[i][0] == '#') throw UsageError(where + ": a comment takes a line of its own ('#' starts the line)");
    if (parts.size() > 2)
      throw UsageError(where + ": expected a database URL and, optionally, its schema pattern; found " +
                       std::to_string(parts.size()) + " words (percent-encode a blank in a URL as %20)");
    const std::string pattern = parts.size() > 1 ? parts[1] : "";
    const auto key = std::make_pair(parts[0], pattern);
    if (auto it = seen.find(key); it != seen.end())
      throw UsageError(where + ": the same database and pattern as line " + std::to_string(it->second) +
                       " (each project would be run twice)");
    seen.emplace(key, n);
    inventory.entries.push_back({expand(parts[0], where, lookup), expand(pattern, where, lookup), n});
  }
  if (inventory.entries.empty())
    throw UsageError(file + ": lists no database (one URL per line, optionally followed by a schema pattern)");
  return inventory;
}

Inventory read_inventory(const std::string& file, const EnvironmentLookup& lookup) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw UsageError("--databases " + file + ": " +
                     (std::filesystem::exists(file, ec) ? "not a regular file" : "no such file"));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw UsageError("--databases " + file + ": cannot be read");
  return parse_inventory(text.str(), file, lookup);
}

}  // namespace runner
