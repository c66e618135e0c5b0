// SPDX-License-Identifier: MIT
#include "plugins/loader/dialect.hpp"

#include "plugins/dialect_abi.h"
#include "runner/base/errors.hpp"
#include "runner/base/log.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdlib>
#include <map>
#include <new>
#include <utility>

namespace runner {
namespace {

// Collects what one plugin call pushes through its runner_sink. The callbacks are noexcept: an
// allocation failure is remembered and reported after the call, never thrown through plugin frames.
struct Collector {
  std::vector<SplitStatement> statements;
  std::multimap<std::string, std::string> fields;
  int error_status = RUNNER_OK;
  std::uint32_t error_line = 0;
  std::string error_message;
  struct Finding {
    int level;
    std::uint32_t line;
    std::string rule;
    std::string message;
    std::map<std::string, std::string> fields;  // lint: the fields sent after it (fix, table, rows...)
  };
  std::vector<Finding> findings;
  bool fields_describe_findings = false;  // lint(): a field describes the finding before it
  // describe_schema(): every field in the order sent, "object" starting each record.
  bool keep_records = false;
  std::vector<SchemaRecord> records;
  bool out_of_memory = false;

  runner_sink sink() {
    runner_sink s{};
    s.ctx = this;
    s.statement = &on_statement;
    s.field = &on_field;
    s.error = &on_error;
    s.diagnostic = &on_diagnostic;
    return s;
  }

  std::string first(const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
  }
  std::vector<std::string> all(const std::string& key) const {
    std::vector<std::string> values;
    auto range = fields.equal_range(key);
    for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
    return values;
  }

  static void on_statement(void* ctx, const char* sql, size_t len, uint32_t line, uint32_t flags) noexcept {
    auto* self = static_cast<Collector*>(ctx);
    try {
      self->statements.push_back({std::string(sql, len), line, flags, 0, {}});
    } catch (...) {
      self->out_of_memory = true;
    }
  }
  static void on_field(void* ctx, const char* key, const char* value, size_t len) noexcept {
    auto* self = static_cast<Collector*>(ctx);
    try {
      if (self->keep_records) {
        if (std::string_view(key) == "object")
          self->records.push_back({std::string(value, len), {}});
        else if (!self->records.empty())
          self->records.back().fields.emplace_back(key, std::string(value, len));
      } else if (self->fields_describe_findings && !self->findings.empty())
        self->findings.back().fields[key] = std::string(value, len);
      else
        self->fields.emplace(key, std::string(value, len));  // multimap keeps insertion order per key
    } catch (...) {
      self->out_of_memory = true;
    }
  }
  static void on_error(void* ctx, int status, uint32_t line, const char* message) noexcept {
    auto* self = static_cast<Collector*>(ctx);
    try {
      self->error_status = status;
      self->error_line = line;
      self->error_message = message != nullptr ? message : "";
    } catch (...) {
      self->out_of_memory = true;
    }
  }
  static void on_diagnostic(void* ctx, int level, uint32_t line, const char* rule, const char* message) noexcept {
    auto* self = static_cast<Collector*>(ctx);
    try {
      self->findings.push_back({level, line, rule != nullptr ? rule : "", message != nullptr ? message : "", {}});
    } catch (...) {
      self->out_of_memory = true;
    }
  }
};

// Whether the plugin's table reaches `field` and sets it (optional entries; fields a minor revision
// appends after 2.0).
#define RUNNER_HAS_FIELD(table, field) \
  ((table)->struct_size >= offsetof(runner_dialect, field) + sizeof((table)->field) && (table)->field != nullptr)

// The runner_query a plugin calls back through, over a SqlReader.
struct QueryBridge {
  SqlReader* reader;
  std::string last_error;

  runner_query query() {
    runner_query q{};
    q.ctx = this;
    q.run = &on_run;
    q.error = &on_error;
    return q;
  }
  static int on_run(void* ctx, const char* sql, runner_row_fn row, void* row_ctx) noexcept {
    auto* self = static_cast<QueryBridge*>(ctx);
    try {
      std::string error;
      bool ok = self->reader->query(
          sql, [&](std::uint32_t n, const char* const* values) { row(row_ctx, n, values); }, &error);
      self->last_error = ok ? "" : error;
      return ok ? RUNNER_OK : RUNNER_ERR_USAGE;
    } catch (...) {
      self->last_error = "out of memory";
      return RUNNER_ERR_USAGE;
    }
  }
  static const char* on_error(void* ctx) noexcept { return static_cast<QueryBridge*>(ctx)->last_error.c_str(); }
};

}  // namespace

Dialect::Dialect(const runner_dialect* table, std::string file)
    : table_(table),
      file_(std::move(file)),
      name_(table->name),
      version_(table->version != nullptr ? table->version : "?"),
      url_forms_(table->url_forms != nullptr ? table->url_forms : ""),
      shadow_url_(RUNNER_HAS_FIELD(table, shadow_url) ? table->shadow_url : "") {
  const std::string aliases = table->aliases != nullptr ? table->aliases : "";
  for (std::size_t start = 0; start < aliases.size();) {
    std::size_t end = aliases.find(' ', start);
    if (end == std::string::npos) end = aliases.size();
    if (end > start) aliases_.push_back(aliases.substr(start, end - start));
    start = end + 1;
  }
}

std::unique_ptr<DriverConnection> Dialect::connect(const std::string& connect, StatementFailure* failure) const {
  return DriverConnection::open(*table_->driver, connect, failure);
}

Translation Dialect::translate(const SplitStatement& statement, SqlReader* db) const {
  if (!RUNNER_HAS_FIELD(table_, translate))
    throw DialectError(fmt::format("{} dialect marked a statement for translation but cannot translate", name_));
  Collector c;
  runner_sink sink = c.sink();
  QueryBridge bridge{db, {}};
  runner_query query = bridge.query();
  int status = table_->translate(statement.sql.data(), statement.sql.size(), statement.line,
                                 db != nullptr ? &query : nullptr, &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status == RUNNER_ERR_INTERNAL)
    throw DialectError(fmt::format("{} dialect failed to translate a statement: {}", name_, c.error_message));
  Translation t;
  t.ok = status == RUNNER_OK;
  t.error = c.error_message;
  t.statements = std::move(c.statements);
  for (auto& s : t.statements) s.line = statement.line;
  return t;
}

void Dialect::review(std::string_view sql, bool in_transaction, SqlReader* db, const std::string& source_name) const {
  if (!RUNNER_HAS_FIELD(table_, review)) return;
  Collector c;
  runner_sink sink = c.sink();
  QueryBridge bridge{db, {}};
  runner_query query = bridge.query();
  int status = table_->review(sql.data(), sql.size(),
                              in_transaction ? static_cast<std::uint32_t>(RUNNER_REVIEW_IN_TRANSACTION) : 0u,
                              db != nullptr ? &query : nullptr, &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status == RUNNER_ERR_INTERNAL)
    throw DialectError(fmt::format("{}: {} dialect failed to review: {}", source_name, name_, c.error_message));
  if (status != RUNNER_OK) throw SourceError(source_name, c.error_line, c.error_message);
  const Collector::Finding* first_error = nullptr;
  std::string others;
  for (const auto& f : c.findings) {
    const std::string where = f.line > 0 ? fmt::format("{}:{}", source_name, f.line) : source_name;
    if (f.level >= RUNNER_DIAG_ERROR) {
      if (first_error == nullptr)
        first_error = &f;
      else
        others += fmt::format("\n{}: {} [{}]", where, f.message, f.rule);
    } else if (f.level == RUNNER_DIAG_WARNING) {
      log().warn("{}: warning: {} [{}]", where, f.message, f.rule);
    } else {
      log().debug("{}: note: {} [{}]", where, f.message, f.rule);
    }
  }
  if (first_error != nullptr) throw SourceError(source_name, first_error->line, first_error->message + others);
}

bool Dialect::lints() const { return RUNNER_HAS_FIELD(table_, lint); }

std::vector<LintDiagnostic> Dialect::lint(std::string_view sql, std::uint32_t options, SqlReader* db,
                                          const std::string& source_name) const {
  if (!lints()) return {};
  Collector c;
  c.fields_describe_findings = true;
  runner_sink sink = c.sink();
  QueryBridge bridge{db, {}};
  runner_query query = bridge.query();
  const int status = table_->lint(sql.data(), sql.size(), options, db != nullptr ? &query : nullptr, &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status == RUNNER_ERR_INTERNAL)
    throw DialectError(fmt::format("{}: {} dialect failed to lint: {}", source_name, name_, c.error_message));
  if (status != RUNNER_OK) throw SourceError(source_name, c.error_line, c.error_message);
  std::vector<LintDiagnostic> found;
  found.reserve(c.findings.size());
  for (auto& f : c.findings) {
    LintDiagnostic d;
    d.level = f.level;
    d.line = f.line;
    d.rule = std::move(f.rule);
    d.message = std::move(f.message);
    d.fields = std::move(f.fields);
    found.push_back(std::move(d));
  }
  return found;
}

bool Dialect::describes_schema() const { return RUNNER_HAS_FIELD(table_, describe_schema); }

void Dialect::require_describes_schema() const {
  if (!describes_schema())
    throw UsageError(
        fmt::format("the {} dialect plugin ({}) does not read a schema from the catalog: dump, drift, "
                    "diff and test are not available for it",
                    name_, version_));
}

std::vector<SchemaRecord> Dialect::describe_schema(const std::string& schema, SqlReader& db) const {
  require_describes_schema();
  Collector c;
  c.keep_records = true;
  runner_sink sink = c.sink();
  QueryBridge bridge{&db, {}};
  runner_query query = bridge.query();
  const int status = table_->describe_schema(schema.c_str(), &query, &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status == RUNNER_ERR_USAGE) throw UsageError(c.error_message);
  if (status != RUNNER_OK)
    throw DialectError(fmt::format("the {} dialect failed to read the schema: {}", name_, c.error_message));
  return std::move(c.records);
}

bool Dialect::makes_scratch() const { return RUNNER_HAS_FIELD(table_, scratch); }

ScratchDatabase Dialect::scratch(const std::string& url, const std::string& name, bool in_place) const {
  if (!makes_scratch()) throw DialectError(fmt::format("the {} dialect makes no scratch databases", name_));
  Collector c;
  runner_sink sink = c.sink();
  const int status = table_->scratch(url.c_str(), name.c_str(), in_place ? 1u : 0u, &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status != RUNNER_OK) throw UsageError(c.error_message);
  return {c.first("url"), c.all("create"), c.all("drop")};
}

bool Dialect::reads_statements() const { return RUNNER_HAS_FIELD(table_, statement_target); }

bool Dialect::backs_up() const { return RUNNER_HAS_FIELD(table_, backup); }
bool Dialect::restores() const { return RUNNER_HAS_FIELD(table_, restore); }

namespace {

using FileEntry = int (*)(const char* connect, const char* schema, const char* file, const runner_sink* out);

// backup() and restore(): one file against the target's database. Returns the plugin's `format`.
std::string call_file_entry(FileEntry entry, const std::string& dialect, const DatabaseInfo& target,
                            const std::string& file, const char* doing) {
  Collector c;
  runner_sink sink = c.sink();
  const int status = entry(target.connect.c_str(), target.schema.c_str(), file.c_str(), &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status == RUNNER_ERR_INTERNAL)
    throw DialectError(fmt::format("{} dialect failed {} {}: {}", dialect, doing, target.display, c.error_message));
  if (status != RUNNER_OK) throw UsageError(fmt::format("{} {}: {}", doing, target.display, c.error_message));
  return c.first("format");
}

}  // namespace

std::string Dialect::backup(const DatabaseInfo& target, const std::string& dest) const {
  if (!backs_up()) throw UsageError(fmt::format("the {} dialect makes no backups", name_));
  return call_file_entry(table_->backup, name_, target, dest, "backing up");
}

void Dialect::restore(const DatabaseInfo& target, const std::string& src) const {
  if (!restores()) throw UsageError(fmt::format("the {} dialect cannot restore a backup", name_));
  call_file_entry(table_->restore, name_, target, src, "restoring");
}

StatementTarget Dialect::statement_target(std::string_view sql) const {
  if (!reads_statements())
    throw DialectError(
        fmt::format("the {} dialect plugin ({}) cannot read statements for import: it predates "
                    "ABI revision 2.1",
                    name_, file_));
  Collector c;
  runner_sink sink = c.sink();
  int status = table_->statement_target(sql.data(), sql.size(), &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status != RUNNER_OK)
    throw DialectError(fmt::format("{} dialect failed to read a statement: {}", name_, c.error_message));
  StatementTarget t{c.first("kind"),
                    c.first("table"),
                    c.first("schema"),
                    c.all("names_schema"),
                    c.first("database_wide") == "1",
                    c.first("search_path") == "1",
                    c.first("dynamic") == "1"};
  if (t.kind.empty()) t.kind = "other";
  return t;
}

DatabaseInfo Dialect::describe_database(const std::string& url, std::uint32_t lock_timeout_s,
                                        const std::string& base_dir) const {
  Collector c;
  runner_sink sink = c.sink();
  int status = table_->describe_database(url.c_str(), base_dir.c_str(), lock_timeout_s, &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status != RUNNER_OK) {
    if (status == RUNNER_ERR_INTERNAL)
      throw DialectError(fmt::format("{} dialect failed on the database URL: {}", name_, c.error_message));
    throw UsageError(fmt::format("invalid database URL for the {} dialect: {}", name_, c.error_message));
  }
  DatabaseInfo t;
  t.connect = c.first("connect");
  t.display = c.first("display");
  t.secrets = c.all("secret");
  t.schema = c.first("schema");
  t.file = c.first("file");
  t.session_sql = c.all("session_sql");
  t.reset_sql = c.all("reset_sql");
  t.discard_sql = c.all("discard_sql");
  t.prepare_sql = c.all("prepare_sql");
  t.default_schema_query = c.first("default_schema");
  t.default_schema_unknown = c.first("default_schema_unknown");
  t.session_id_query = c.first("session_id");
  t.keep_open = c.first("keep_open") == "1";
  t.one_statement = c.first("one_statement") == "1";
  t.server = c.first("server");
  t.read_only_query = c.first("read_only");
  t.write_position_query = c.first("write_position");
  t.replica_lag_query = c.first("replica_lag");
  return t;
}

std::vector<SplitStatement> Dialect::split(std::string_view sql, const std::string& source_name,
                                           bool as_written) const {
  Collector c;
  runner_sink sink = c.sink();
  const bool own_splitter = as_written && RUNNER_HAS_FIELD(table_, split_as_written) && table_->split_as_written;
  int status = (own_splitter ? table_->split_as_written : table_->split)(sql.data(), sql.size(), &sink);
  if (c.out_of_memory) throw std::bad_alloc();
  if (status == RUNNER_ERR_INTERNAL)
    throw DialectError(fmt::format("{}: {} dialect failed to split: {}", source_name, name_, c.error_message));
  if (status != RUNNER_OK) throw SourceError(source_name, c.error_line, c.error_message);
  if (as_written)
    for (auto& st : c.statements) st.flags &= ~std::uint32_t{RUNNER_STMT_TRANSLATE | RUNNER_STMT_READS_SCHEMA};
  return std::move(c.statements);
}

RunnerSql Dialect::runner_sql(const std::string& schema) const {
  Collector c;
  runner_sink sink = c.sink();
  if (table_->runner_sql(schema.c_str(), &sink) != RUNNER_OK || c.out_of_memory)
    throw DialectError(fmt::format("{} dialect failed to describe runner_history: {}", name_, c.error_message));
  RunnerSql h;
  h.exists = c.first("exists");
  h.create = c.all("create");
  h.meta_select = c.first("meta_select");
  h.select_with_layout = c.first("select_with_layout");
  h.meta_set = c.first("meta_set");
  h.meta_init_literal = c.first("meta_init_literal");
  const std::string tables_version = c.first("tables_version");
  h.tables_version = std::strtoll(tables_version.c_str(), nullptr, 10);
  for (const auto& step : c.all("upgrade")) {
    const std::size_t colon = step.find(':');
    const long long to = colon == std::string::npos ? 0 : std::strtoll(step.substr(0, colon).c_str(), nullptr, 10);
    if (to <= 0 || to > h.tables_version)
      throw DialectError(
          fmt::format("{} dialect gives an upgrade step that is not 'N:SQL' with 1 <= N <= "
                      "tables_version ({}): {}",
                      name_, tables_version, step.substr(0, 60)));
    h.upgrade.emplace_back(to, step.substr(colon + 1));
  }
  h.select = c.first("select");
  h.insert = c.first("insert");
  h.remove = c.first("delete");
  h.lock_file = c.first("lock_file") == "1";
  h.lock_try = c.first("lock_try");
  h.lock_release = c.first("lock_release");
  h.lock_check = c.first("lock_check");
  h.lock_holder = c.first("lock_holder");
  h.schema_dump = c.all("schema_dump");
  h.script_usage = c.first("script_usage");
  h.script_header = c.all("script_header");
  h.script_block = c.first("script_block");
  h.script_prelude = c.all("script_prelude");
  h.script_reset = c.all("script_reset");
  h.insert_literal = c.first("insert_literal");
  h.delete_literal = c.first("delete_literal");
  h.lock_wait_sql = c.first("lock_wait_sql");
  h.statement_timeout_sql = c.first("statement_timeout_sql");
  h.lock_blockers_sql = c.first("lock_blockers_sql");
  h.select_with_progress = c.first("select_with_progress");
  h.progress_select = c.first("progress_select");
  h.progress_start = c.first("progress_start");
  h.progress_step = c.first("progress_step");
  h.progress_fail = c.first("progress_fail");
  h.progress_delete = c.first("progress_delete");
  return h;
}

std::string Dialect::missing_runner_sql() {
  RunnerSql h;
  try {
    h = runner_sql("");
  } catch (const DialectError& e) {
    return e.what();
  }
  std::string missing;
  auto need = [&](const std::string& value, const char* key) {
    if (value.empty()) missing += std::string(missing.empty() ? "" : ", ") + key;
  };
  need(h.exists, "exists");
  need(h.create.empty() ? std::string() : h.create.front(), "create");
  need(h.select, "select");
  need(h.insert, "insert");
  need(h.remove, "delete");
  need(h.insert_literal, "insert_literal");
  need(h.delete_literal, "delete_literal");
  need(h.script_usage, "script_usage");
  need(h.meta_select, "meta_select");
  need(h.select_with_layout, "select_with_layout");
  need(h.meta_set, "meta_set");
  need(h.meta_init_literal, "meta_init_literal");
  if (h.tables_version <= 0) need("", "tables_version (a positive number)");
  if (!missing.empty()) return fmt::format("runner_sql lacks {}", missing);
  const int progress = !h.select_with_progress.empty() + !h.progress_select.empty() + !h.progress_start.empty() +
                       !h.progress_step.empty() + !h.progress_fail.empty() + !h.progress_delete.empty();
  if (progress != 0 && progress != 6)
    return "runner_sql gives some of select_with_progress, progress_select, progress_start, progress_step, "
           "progress_fail and progress_delete; it must give all six or none";
  const bool sql_lock = !h.lock_try.empty();
  if (h.lock_file && sql_lock) return "runner_sql gives two run locks (lock_file and lock_try); it must give one";
  if (!h.lock_file && !sql_lock)
    return "runner_sql gives no run lock (lock_file or lock_try): concurrent runs would apply migrations twice";
  if (sql_lock && h.lock_release.empty()) return "runner_sql gives lock_try without lock_release";
  file_lock_ = h.lock_file;
  return "";
}

std::string Dialect::projects_query(const std::string& pattern) const {
  Collector c;
  runner_sink sink = c.sink();
  if (table_->projects_sql(pattern.c_str(), &sink) != RUNNER_OK || c.out_of_memory)
    throw UsageError(fmt::format("{} dialect cannot list projects for '{}': {}", name_, pattern, c.error_message));
  return c.first("query");
}

std::string Dialect::project_url(const std::string& url, const std::string& name) const {
  Collector c;
  runner_sink sink = c.sink();
  if (table_->project_url(url.c_str(), name.c_str(), &sink) != RUNNER_OK || c.out_of_memory)
    throw UsageError(fmt::format("{} dialect cannot address project '{}': {}", name_, name, c.error_message));
  return c.first("url");
}

}  // namespace runner
