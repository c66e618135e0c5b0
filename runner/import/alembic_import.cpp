// SPDX-License-Identifier: MIT
#include "runner/import/alembic_import.hpp"

#include "plugins/loader/dialect.hpp"
#include "runner/base/errors.hpp"
#include "runner/base/interrupt_cleanup.hpp"
#include "runner/base/log.hpp"
#include "runner/base/subprocess.hpp"
#include "runner/base/text.hpp"
#include "runner/import/alembic_graph.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>
#include <fstream>
#include <memory>
#include <sstream>

namespace fs = std::filesystem;

namespace runner {

std::string offline_url(const std::string& dialect) {
  return dialect == "sqlite" ? "sqlite:///runner-offline.db" : dialect + "://runner-offline/import";
}

namespace {

// A copy of the project's alembic.ini beside it (so that %(here)s and relative paths still
// resolve) whose sqlalchemy.url names the dialect to render for; removed when done.
class OfflineIni {
 public:
  OfflineIni(const fs::path& ini, const std::string& url) {
    std::ifstream in(ini);
    if (!in)
      throw UsageError(
          fmt::format("cannot read {}: give the Alembic project's folder with --from, or its "
                      "ini file with --alembic-config",
                      ini.generic_string()));
    std::string text, line;
    bool in_main = false, done = false;
    while (std::getline(in, line)) {
      const std::size_t a = line.find_first_not_of(" \t");
      const bool section = a != std::string::npos && line[a] == '[';
      if (section) {
        if (in_main && !done) {
          text += "sqlalchemy.url = " + url + "\n";
          done = true;
        }
        in_main = line.compare(a, 9, "[alembic]") == 0;
      } else if (in_main && a != std::string::npos && line.compare(a, 14, "sqlalchemy.url") == 0 &&
                 line.find_first_of("=:", a + 14) != std::string::npos) {
        line = "sqlalchemy.url = " + url;
        done = true;
      }
      text += line + "\n";
    }
    if (!done) text += (in_main ? "" : "[alembic]\n") + std::string("sqlalchemy.url = ") + url + "\n";
    // Absolute: Alembic runs in the project's folder, not in ours.
    path_ = fs::absolute(ini).parent_path() / fmt::format(".runner-import-{}.ini", ::getpid());
    // A Ctrl-C while Alembic renders must not leave the copy beside the user's ini.
    remove_on_signal_ = std::make_unique<RemoveOnSignal>(path_);
    std::ofstream out(path_, std::ios::trunc);
    out << text;
    if (!out) throw UsageError(fmt::format("cannot write {}", path_.generic_string()));
  }
  ~OfflineIni() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  std::unique_ptr<RemoveOnSignal> remove_on_signal_;
};

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t pos = text.size();
  while (pos > 0 && (text[pos - 1] == '\n')) --pos;
  std::size_t cut = pos;
  for (std::size_t n = 0; n < lines && cut > 0; ++n) {
    cut = text.rfind('\n', cut - 1);
    if (cut == std::string::npos) {
      cut = 0;
      break;
    }
  }
  return text.substr(cut == 0 ? 0 : cut + 1, pos - (cut == 0 ? 0 : cut + 1));
}

class Alembic {
 public:
  Alembic(const AlembicSource& source, const std::string& dialect)
      : source_(source), ini_(source.ini, offline_url(dialect)) {
    for (const auto& v : source.url_variables) env_.emplace_back(v, offline_url(dialect));
  }
  // Alembic's stdout; UsageError with the command and its stderr when it cannot run or fails.
  std::string run(const std::vector<std::string>& args, std::string* failure = nullptr) {
    std::vector<std::string> argv = source_.command;
    argv.insert(argv.end(), {"-c", ini_.path().string()});
    argv.insert(argv.end(), args.begin(), args.end());
    log().debug("running {} in {}", command_line(argv), source_.dir.generic_string());
    ProcessResult r = run_process(argv, source_.dir, env_);
    if (!r.started)
      throw UsageError(
          fmt::format("cannot run {}: {}\ninstall Alembic (Debian: apt install alembic) or say how to "
                      "run it with --alembic CMD",
                      command_line(source_.command), r.start_error));
    if (r.exit_code != 0) {
      const std::string message =
          fmt::format("{} failed (exit {}):\n{}", command_line(argv), r.exit_code,
                      tail(r.err.find_first_not_of(" \n") == std::string::npos ? r.out : r.err, 12));
      if (failure == nullptr) throw UsageError(message);
      *failure = message;
      return {};
    }
    return r.out;
  }

 private:
  const AlembicSource& source_;
  OfflineIni ini_;
  std::vector<std::pair<std::string, std::string>> env_;
};

// Alembic's offline output, cut where it announces each revision ("-- Running upgrade A -> B").
struct Rendered {
  std::string preamble;  // before the first revision: the version table's creation, BEGIN
  std::string section;   // the revision asked for
  bool found = false;
};

Rendered cut(const std::string& output, const std::string& id, bool up) {
  Rendered r;
  std::stringstream in(output);
  std::string line;
  bool before_first = true, inside = false;
  while (std::getline(in, line)) {
    if (starts_with(line, "-- Running upgrade ") || starts_with(line, "-- Running downgrade ")) {
      before_first = false;
      inside = up ? (starts_with(line, "-- Running upgrade ") && ends_with(line, "-> " + id))
                  : starts_with(line, "-- Running downgrade " + id + " -> ");
      r.found = r.found || inside;
      continue;
    }
    if (before_first) r.preamble += line + "\n";
    if (inside) r.section += line + "\n";
  }
  return r;
}

bool same_name(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// The statements of `section` that are the migration's own: Alembic's transaction control and
// every statement on its version table dropped, the rest kept as written.
std::string strip_bookkeeping(const std::string& section, const Dialect& dialect, const std::string& version_table,
                              const std::string& source_name) {
  std::string body;
  for (const auto& s : dialect.split(section, source_name)) {
    const StatementTarget t = dialect.statement_target(s.sql);
    if (t.kind == "begin" || t.kind == "commit" || t.kind == "rollback") continue;
    if (t.kind != "other" && same_name(t.table, version_table)) continue;
    if (!body.empty()) body += "\n";
    body += s.sql;
    // Some splitters keep the ';' (SQLite's), some do not; one ending in a -- comment gets its ';'
    // on a line of its own.
    const std::size_t last_line = s.sql.rfind('\n');
    if (!s.sql.empty() && s.sql.back() == ';')
      body += "\n";
    else
      body += s.sql.find("--", last_line == std::string::npos ? 0 : last_line) != std::string::npos ? "\n;\n" : ";\n";
  }
  return body;
}

// The table Alembic keeps its version in: what the first script creates before any revision.
std::string version_table_of(const std::string& preamble, const Dialect& dialect) {
  for (const auto& s : dialect.split(preamble, "alembic's offline output")) {
    const StatementTarget t = dialect.statement_target(s.sql);
    if (t.kind == "create_table") return t.table;
  }
  return "alembic_version";
}

struct Rendering {
  std::string up;
  std::optional<std::string> down;
};

// Each revision's upgrade and downgrade for one dialect.
std::vector<Rendering> render_all(const AlembicSource& source, const Dialect& dialect,
                                  const std::vector<AlembicRevision>& order) {
  Alembic alembic(source, dialect.name());
  std::vector<Rendering> out;
  std::string version_table;
  for (const auto& rev : order) {
    const std::string parent = rev.parents.empty() ? "base" : rev.parents.front();
    const std::string origin = fmt::format("alembic revision {} ({})", rev.id, rev.message);
    std::string failure;
    const std::string up = alembic.run({"upgrade", parent + ":" + rev.id, "--sql"}, &failure);
    if (!failure.empty())
      throw SourceError(rev.path, 0,
                        fmt::format("{} cannot be rendered as SQL offline (does it need a connection?): {}\n"
                                    "nothing was written",
                                    origin, failure));
    Rendered u = cut(up, rev.id, true);
    if (version_table.empty()) version_table = version_table_of(u.preamble, dialect);
    if (!u.found)
      throw SourceError(rev.path, 0,
                        fmt::format("{}: alembic's output for {}:{} holds no upgrade of it", origin, parent, rev.id));
    Rendering r;
    r.up = strip_bookkeeping(u.section, dialect, version_table, rev.path + " (upgrade, as rendered)");
    const std::string down = alembic.run({"downgrade", rev.id + ":" + parent, "--sql"}, &failure);
    if (!failure.empty())
      throw SourceError(
          rev.path, 0,
          fmt::format("{}: its downgrade cannot be rendered as SQL offline: {}\nnothing was written", origin, failure));
    Rendered d = cut(down, rev.id, false);
    if (d.found) r.down = strip_bookkeeping(d.section, dialect, version_table, rev.path + " (downgrade, as rendered)");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::vector<AlembicRevision> alembic_revisions(const AlembicSource& source) {
  Alembic alembic(source, "postgresql");
  return linearise(parse_alembic_history(alembic.run({"history", "--verbose"})));
}

ImportedSet import_alembic(const AlembicSource& source, const Dialect& render, const Dialect* variant) {
  if (!render.reads_statements()) render.statement_target("");  // throws: says which plugin is too old
  std::vector<AlembicRevision> order = alembic_revisions(source);
  ImportedSet set;
  set.format = "alembic";
  std::vector<Rendering> main = render_all(source, render, order);
  std::vector<Rendering> variants;
  if (variant != nullptr) variants = render_all(source, *variant, order);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const AlembicRevision& rev = order[i];
    ImportedMigration m;
    m.key = rev.id;
    m.parents = rev.parents;
    m.parents.insert(m.parents.end(), rev.depends_on.begin(), rev.depends_on.end());
    m.origin = rev.message.empty() ? fmt::format("Alembic revision {}", rev.id)
                                   : fmt::format("Alembic revision {} \"{}\"", rev.id, rev.message);
    m.source_file = rev.path;
    m.name = rev.message.empty() ? name_from_text(rev.id) : name_from_text(rev.message);
    m.up = main[i].up;
    m.down = main[i].down;
    if (variant != nullptr) m.variants[variant->name()] = {variants[i].up, variants[i].down};
    set.migrations.push_back(std::move(m));
  }
  return set;
}

}  // namespace runner
