// SPDX-License-Identifier: MIT
// PostgreSQL's scanner (libpg_query's pg_query_scan) for what its grammar cannot say: recognising
// `ALTER TYPE name DROP VALUE 'label'`, which down migrations of ADD VALUE need and PostgreSQL lacks,
// and finding string literals. For dialects that read PostgreSQL's DDL; include only where
// libpg_query is linked.
#pragma once

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runner::sdk {

struct DropEnumValue {
  std::string schema;  // "" when the type name is not qualified
  std::string type;
  std::string value;
};

namespace detail {

struct ScanToken {
  std::string_view text;
  int kind;  // PgQuery__Token
  bool keyword;
};

inline bool word_is(const ScanToken& t, const char* word) {
  if (!t.keyword && t.kind != PG_QUERY__TOKEN__IDENT) return false;
  std::size_t n = std::char_traits<char>::length(word);
  if (t.text.size() != n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
  return true;
}

// An identifier token as PostgreSQL reads it: quoted names verbatim, others lower-cased.
inline std::optional<std::string> identifier(const ScanToken& t) {
  if (t.kind == PG_QUERY__TOKEN__IDENT && !t.text.empty() && t.text.front() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < t.text.size(); ++i) {
      out.push_back(t.text[i]);
      if (t.text[i] == '"') ++i;  // "" inside a quoted name
    }
    return out;
  }
  if (t.kind != PG_QUERY__TOKEN__IDENT && !t.keyword) return std::nullopt;
  std::string out(t.text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A plain '...' literal's value; nullopt for E'', U&'', $$ and other forms.
inline std::optional<std::string> string_literal(const ScanToken& t) {
  if (t.kind != PG_QUERY__TOKEN__SCONST || t.text.size() < 2 || t.text.front() != '\'') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < t.text.size(); ++i) {
    out.push_back(t.text[i]);
    if (t.text[i] == '\'') ++i;
  }
  return out;
}

// The tokens of `sql` without comments; empty when the scanner rejects it.
inline std::vector<ScanToken> scan(std::string_view sql, std::vector<std::size_t>* offsets = nullptr) {
  std::string text(sql);
  PgQueryScanResult scan_result = pg_query_scan(text.c_str());
  std::vector<ScanToken> tokens;
  if (scan_result.error == nullptr) {
    PgQuery__ScanResult* result = pg_query__scan_result__unpack(
        nullptr, scan_result.pbuf.len, reinterpret_cast<const uint8_t*>(scan_result.pbuf.data));  // NOLINT
    if (result != nullptr) {
      for (std::size_t i = 0; i < result->n_tokens; ++i) {
        const PgQuery__ScanToken* t = result->tokens[i];
        if (t->token == PG_QUERY__TOKEN__SQL_COMMENT || t->token == PG_QUERY__TOKEN__C_COMMENT) continue;
        tokens.push_back({sql.substr(static_cast<std::size_t>(t->start), static_cast<std::size_t>(t->end - t->start)),
                          static_cast<int>(t->token), t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD});
        if (offsets != nullptr) offsets->push_back(static_cast<std::size_t>(t->start));
      }
      pg_query__scan_result__free_unpacked(result, nullptr);
    }
  }
  pg_query_free_scan_result(scan_result);
  return tokens;
}

}  // namespace detail

// Each plain '...' string literal of `sql`, with its byte offset.
inline std::vector<std::pair<std::size_t, std::string>> string_literals(std::string_view sql) {
  std::vector<std::size_t> offsets;
  std::vector<detail::ScanToken> tokens = detail::scan(sql, &offsets);
  std::vector<std::pair<std::size_t, std::string>> out;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (auto v = detail::string_literal(tokens[i])) out.emplace_back(offsets[i], *v);
  return out;
}

// The statement's parts when `sql` is exactly ALTER TYPE [schema.]name DROP VALUE 'label' [;].
inline std::optional<DropEnumValue> parse_drop_enum_value(std::string_view sql) {
  // Most statements are not this one: the scanner (and its protobuf round trip) runs only on text
  // that holds "value" at all.
  static constexpr std::string_view k_value = "value";
  auto same = [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; };
  if (std::search(sql.begin(), sql.end(), k_value.begin(), k_value.end(), same) == sql.end()) return std::nullopt;
  std::vector<detail::ScanToken> tokens = detail::scan(sql);
  while (!tokens.empty() && tokens.back().kind == PG_QUERY__TOKEN__ASCII_59) tokens.pop_back();  // ';'

  using detail::word_is;
  if (tokens.size() != 6 && tokens.size() != 8) return std::nullopt;
  if (!word_is(tokens[0], "ALTER") || !word_is(tokens[1], "TYPE")) return std::nullopt;
  DropEnumValue out;
  std::size_t at = 2;
  auto first = detail::identifier(tokens[at++]);
  if (!first) return std::nullopt;
  out.type = *first;
  if (tokens.size() == 8) {
    if (tokens[at++].kind != PG_QUERY__TOKEN__ASCII_46) return std::nullopt;  // '.'
    auto second = detail::identifier(tokens[at++]);
    if (!second) return std::nullopt;
    out.schema = out.type;
    out.type = *second;
  }
  if (!word_is(tokens[at], "DROP") || !word_is(tokens[at + 1], "VALUE")) return std::nullopt;
  auto value = detail::string_literal(tokens[at + 2]);
  if (!value) return std::nullopt;
  out.value = *value;
  return out;
}

}  // namespace runner::sdk
