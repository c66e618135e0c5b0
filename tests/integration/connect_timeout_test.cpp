// SPDX-License-Identifier: MIT
// A PostgreSQL server that takes the connection and never answers must not hold a deploy (or an
// application's start-up) for ever: connecting gives up after 10 seconds unless the URL says.
#include "tests/integration/integration_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

using namespace runner::test;

BOOST_AUTO_TEST_SUITE(connect_timeout)

BOOST_AUTO_TEST_CASE(a_server_that_never_answers_fails_the_run_instead_of_hanging) {
  // Listening, never accepting: the kernel completes the handshake, then nothing answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_TEST_REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_TEST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  BOOST_TEST_REQUIRE(::listen(fd, 8) == 0);
  socklen_t len = sizeof addr;
  BOOST_TEST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const std::string url = "postgresql://postgres@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/db";
  TempDir dir;
  // Under timeout(1): a hang is a failure of this test, not of the whole suite.
  const std::string cmd = "timeout 40 '" + runner_binary() + "' current -d '" + url + "' >'" + (dir / "out").string() +
                          "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(cmd.c_str());
  ::close(fd);
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 1, "exit " << WEXITSTATUS(status) << ": " << read_file(dir / "err"));
  BOOST_TEST(read_file(dir / "err").find("timeout") != std::string::npos, read_file(dir / "err"));
}

BOOST_AUTO_TEST_SUITE_END()
