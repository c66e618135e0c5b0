// SPDX-License-Identifier: MIT
#include "sqlite_statement_target.hpp"

#include "plugins/sdk/sql_text.hpp"

#include <cctype>
#include <string>

namespace runner::sqlite {
namespace {

// Reads the statement's head token by token: keywords, and names in any of SQLite's quotings.
class Head {
 public:
  explicit Head(std::string_view sql) : sql_(sql) {}

  // The next token if it is a keyword (upper-cased), consuming it; "" otherwise (nothing consumed).
  std::string keyword() {
    std::size_t at = sdk::skip_blank(sql_, pos_, false);
    std::string word = sdk::keyword_at(sql_, at);
    if (!word.empty()) pos_ = at + word.size();
    return word;
  }
  bool accept(std::string_view word) {
    const std::size_t saved = pos_;
    if (keyword() == word) return true;
    pos_ = saved;
    return false;
  }
  // A name: bare, "quoted", `quoted` or [quoted]; false when none follows.
  bool name(std::string* out) {
    std::size_t i = sdk::skip_blank(sql_, pos_, false);
    if (i >= sql_.size()) return false;
    const char open = sql_[i];
    const char close = open == '[' ? ']' : open;
    out->clear();
    if (open == '"' || open == '`' || open == '[') {
      for (std::size_t k = i + 1; k < sql_.size(); ++k) {
        if (sql_[k] != close) {
          out->push_back(sql_[k]);
        } else if (close != ']' && k + 1 < sql_.size() && sql_[k + 1] == close) {
          out->push_back(close);
          ++k;
        } else {
          pos_ = k + 1;
          return true;
        }
      }
      return false;
    }
    std::size_t k = i;
    while (k < sql_.size() && (std::isalnum(static_cast<unsigned char>(sql_[k])) || sql_[k] == '_' ||
                               static_cast<unsigned char>(sql_[k]) >= 0x80))
      ++k;
    if (k == i) return false;
    *out = std::string(sql_.substr(i, k - i));
    pos_ = k;
    return true;
  }
  // schema.table or table.
  bool qualified_name(std::string* schema, std::string* table) {
    if (!name(table)) return false;
    std::size_t i = sdk::skip_blank(sql_, pos_, false);
    if (i < sql_.size() && sql_[i] == '.') {
      pos_ = i + 1;
      *schema = *table;
      return name(table);
    }
    return true;
  }

 private:
  std::string_view sql_;
  std::size_t pos_ = 0;
};

}  // namespace

void describe_statement_target(std::string_view sql, const sdk::Sink& out) {
  Head head(sql);
  std::string kind = "other", schema, table;
  const std::string first = head.keyword();
  auto target = [&](const char* k) {
    if (head.qualified_name(&schema, &table)) kind = k;
  };
  if (first == "BEGIN") {
    kind = "begin";
  } else if (first == "COMMIT" || first == "END") {
    kind = "commit";
  } else if (first == "ROLLBACK") {
    head.accept("TRANSACTION");
    if (head.keyword().empty()) kind = "rollback";  // ROLLBACK TO a savepoint ends nothing
  } else if (first == "CREATE") {
    if (!head.accept("TEMP")) head.accept("TEMPORARY");
    if (head.accept("TABLE")) {
      if (head.accept("IF") && !(head.accept("NOT") && head.accept("EXISTS"))) return out.field("kind", kind);
      target("create_table");
    }
  } else if (first == "DROP") {
    if (head.accept("TABLE")) {
      if (head.accept("IF") && !head.accept("EXISTS")) return out.field("kind", kind);
      target("drop_table");
    }
  } else if (first == "INSERT" || first == "REPLACE") {
    if (first == "INSERT" && head.accept("OR")) head.keyword();
    if (head.accept("INTO")) target("insert");
  } else if (first == "UPDATE") {
    if (head.accept("OR")) head.keyword();
    target("update");
  } else if (first == "DELETE") {
    if (head.accept("FROM")) target("delete");
  }
  out.field("kind", kind);
  if (kind != "other" && !table.empty()) out.field("table", table);
  if (kind != "other" && !schema.empty()) out.field("schema", schema);
}

}  // namespace runner::sqlite
