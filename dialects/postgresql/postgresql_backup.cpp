// SPDX-License-Identifier: MIT
#include "postgresql_backup.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

extern char** environ;

namespace runner::postgresql {
namespace {

// The connection string without its password, and the password (for PGPASSWORD): another user's
// `ps` sees a command line, not an environment.
void split_password(const std::string& connect, std::string* without, std::string* password) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(connect.c_str(), &error);
  if (options == nullptr) {
    const std::string why = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    throw sdk::Failure(RUNNER_ERR_INTERNAL, 0, "cannot read the connection string: " + why);
  }
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> owned(options, &PQconninfoFree);
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    if (std::strcmp(o->keyword, "password") == 0) {
      *password = o->val;
      continue;
    }
    std::string value;
    for (const char* c = o->val; *c != '\0'; ++c)
      value += (*c == '\'' || *c == '\\') ? std::string("\\") + *c : std::string(1, *c);
    *without += (without->empty() ? "" : " ") + std::string(o->keyword) + "='" + value + "'";
  }
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = dirs.substr(start, end - start);
    if (::access(((dir.empty() ? "." : dir) + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

void backup(const std::string& connect, const std::string& schema, const std::string& dest, const sdk::Sink& out) {
  if (!on_path("pg_dump"))
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       "--backup on PostgreSQL runs pg_dump, which is not installed (Debian: apt-get install "
                       "postgresql-client)");
  std::string conninfo, password;
  split_password(connect, &conninfo, &password);
  std::vector<std::string> args = {"pg_dump", "--format=custom", "--no-password", "--file=" + dest,
                                   "--dbname=" + conninfo};
  if (!schema.empty()) args.push_back("--schema=" + schema);
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "PGPASSWORD=", 11) != 0) env.emplace_back(*e);
  if (!password.empty()) env.push_back("PGPASSWORD=" + password);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int err[2];
  if (::pipe2(err, O_CLOEXEC) != 0) throw sdk::Failure(RUNNER_ERR_INTERNAL, 0, std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, "pg_dump", &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(err[1]);
  std::string said;
  if (spawned == 0) {
    char buf[4096];
    for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      if (said.size() < 16384) said.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(err[0]);
  if (spawned != 0)
    throw sdk::Failure(RUNNER_ERR_USAGE, 0, std::string("cannot run pg_dump: ") + std::strerror(spawned));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
    throw sdk::Failure(RUNNER_ERR_USAGE, 0,
                       "pg_dump failed (" +
                           (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                              : "signal " + std::to_string(WTERMSIG(status))) +
                           ")" + (said.empty() ? std::string() : ": " + said));
  }
  out.field("format", "pg_dump-custom");
}

}  // namespace runner::postgresql
