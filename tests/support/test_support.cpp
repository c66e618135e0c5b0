// SPDX-License-Identifier: MIT
#include "tests/support/test_support.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace runner::test {

TempDir::TempDir() {
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    fs::path candidate = fs::temp_directory_path() / ("runner-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_file(const fs::path& path, const std::string& text) {
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string runner_binary() {
  const char* bin = std::getenv("RUNNER_TEST_RUNNER_BIN");
  return bin != nullptr && *bin != '\0' ? bin : RUNNER_TEST_BIN;
}

std::string dialect_dir() {
  const char* dir = std::getenv("RUNNER_TEST_DIALECT_DIR");
  return dir != nullptr && *dir != '\0' ? dir : RUNNER_TEST_DIALECT_DIR;
}

RunnerProcess::RunnerProcess(const std::vector<std::string>& args, const fs::path& cwd,
                             const std::map<std::string, std::string>& env, long max_file_bytes) {
  static std::atomic<int> counter{0};
  const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  out_ = fs::temp_directory_path() / ("runner-out-" + tag);
  err_ = fs::temp_directory_path() / ("runner-err-" + tag);
  std::vector<std::string> argv_store{runner_binary()};
  const char* plugin_dir = std::getenv("RUNNER_TEST_DIALECT_DIR");
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(in, 0);
    ::unsetenv("RUNNER_DATABASE_URL");
    ::unsetenv("DATABASE_URL");
    ::unsetenv("RUNNER_PLUGIN_PATH");
    if (plugin_dir != nullptr && *plugin_dir != '\0') ::setenv("RUNNER_PLUGIN_PATH", plugin_dir, 1);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    if (max_file_bytes >= 0) {
      ::signal(SIGXFSZ, SIG_IGN);
      struct rlimit limit {};
      limit.rlim_cur = limit.rlim_max = static_cast<rlim_t>(max_file_bytes);
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(127);
    }
    std::vector<char*> argv;
    for (auto& a : argv_store) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
}

RunResult RunnerProcess::wait() {
  RunResult r;
  int status = ended_status_;
  if (status < 0) ::waitpid(pid_, &status, 0);
  waited_ = true;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_);
  r.err = read_file(err_);
  std::error_code ec;
  fs::remove(out_, ec);
  fs::remove(err_, ec);
  return r;
}

void RunnerProcess::send(int signal) {
  if (!waited_ && pid_ > 0) ::kill(pid_, signal);
}

bool RunnerProcess::wait_for_stderr(const std::string& text, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (read_file(err_).find(text) != std::string::npos) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      // Ended: keep its status for wait().
      ended_status_ = status;
      return read_file(err_).find(text) != std::string::npos;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

RunnerProcess::~RunnerProcess() {
  if (!waited_ && pid_ > 0) {
    int status = 0;
    if (ended_status_ < 0) ::waitpid(pid_, &status, 0);
    std::error_code ec;
    fs::remove(out_, ec);
    fs::remove(err_, ec);
  }
}

RunResult run_runner(const std::vector<std::string>& args, const fs::path& cwd,
                     const std::map<std::string, std::string>& env, long max_file_bytes) {
  RunnerProcess p(args, cwd, env, max_file_bytes);
  RunResult r = p.wait();
  BOOST_TEST_MESSAGE("runner exit " << r.exit_code << "\nstdout:\n" << r.out << "stderr:\n" << r.err);
  return r;
}

std::string pg_url() {
  const char* url = std::getenv("RUNNER_TEST_PG_URL");
  if (url == nullptr || *url == '\0')
    BOOST_FAIL("RUNNER_TEST_PG_URL is not set: run the tests with scripts/test.sh, which starts PostgreSQL");
  return url;
}

std::string pgbouncer_url() {
  const char* url = std::getenv("RUNNER_TEST_PGBOUNCER_URL");
  if (url == nullptr || *url == '\0')
    BOOST_FAIL("RUNNER_TEST_PGBOUNCER_URL is not set: run the tests with scripts/test.sh, which starts PgBouncer");
  return url;
}

std::string pg_replica_url() {
  const char* url = std::getenv("RUNNER_TEST_PG_REPLICA_URL");
  if (url == nullptr || *url == '\0')
    BOOST_FAIL("RUNNER_TEST_PG_REPLICA_URL is not set: run the tests with scripts/test.sh, which starts a replica");
  return url;
}

std::string mysql_url() {
  const char* url = std::getenv("RUNNER_TEST_MYSQL_URL");
  if (url == nullptr || *url == '\0')
    BOOST_FAIL("RUNNER_TEST_MYSQL_URL is not set: run the tests with scripts/test.sh, which starts MariaDB");
  return url;
}

std::string unique_name(const std::string& prefix) {
  // The pid alone repeats across runs in containers, and a long-lived server keeps old schemas.
  static const unsigned run = std::random_device{}() % 1000000;
  static std::atomic<int> counter{0};
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(run) + "_" + std::to_string(counter++);
}

fs::path sample_sql_dir() { return fs::path(RUNNER_TEST_SOURCE_DIR) / "sql"; }

std::string file_sha256(const fs::path& path) {
  std::string data = read_file(path);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char k_hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(k_hex[digest[i] >> 4]);
    out.push_back(k_hex[digest[i] & 0xF]);
  }
  return out;
}

fs::path corpus_dir() {
  if (const char* env = std::getenv("RUNNER_CORPUS_DIR"); env != nullptr && *env != '\0')
    return fs::exists(env) ? fs::path(env) : fs::path();
  fs::path beside = fs::path(RUNNER_TEST_SOURCE_DIR).parent_path() / "shared" / "corpus";
  return fs::exists(beside) ? beside : fs::path();
}

}  // namespace runner::test
