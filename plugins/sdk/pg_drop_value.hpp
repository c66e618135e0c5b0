// SPDX-License-Identifier: MIT
// Recognises `ALTER TYPE name DROP VALUE 'label'`, the statement a down migration of ADD VALUE
// needs and PostgreSQL's grammar lacks, from libpg_query's scanner tokens (pg_query_scan). For
// dialects that read PostgreSQL's DDL; include only where libpg_query is linked.
#pragma once

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
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

}  // namespace detail

// The statement's parts when `sql` is exactly ALTER TYPE [schema.]name DROP VALUE 'label' [;].
inline std::optional<DropEnumValue> parse_drop_enum_value(std::string_view sql) {
  std::string text(sql);
  PgQueryScanResult scan = pg_query_scan(text.c_str());
  std::vector<detail::ScanToken> tokens;
  if (scan.error == nullptr) {
    PgQuery__ScanResult* result = pg_query__scan_result__unpack(
        nullptr, scan.pbuf.len, reinterpret_cast<const uint8_t*>(scan.pbuf.data));  // NOLINT
    if (result != nullptr) {
      for (std::size_t i = 0; i < result->n_tokens; ++i) {
        const PgQuery__ScanToken* t = result->tokens[i];
        if (t->token == PG_QUERY__TOKEN__SQL_COMMENT || t->token == PG_QUERY__TOKEN__C_COMMENT) continue;
        tokens.push_back({std::string_view(sql).substr(static_cast<std::size_t>(t->start),
                                                       static_cast<std::size_t>(t->end - t->start)),
                          static_cast<int>(t->token), t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD});
      }
      pg_query__scan_result__free_unpacked(result, nullptr);
    }
  }
  pg_query_free_scan_result(scan);
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
