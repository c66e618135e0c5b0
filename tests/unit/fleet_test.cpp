// SPDX-License-Identifier: MIT
// The fleet's pieces on their own: the inventory file, shards, and the schedule's caps and waves.
#include "runner/base/errors.hpp"
#include "runner/fleet/inventory.hpp"
#include "runner/fleet/schedule.hpp"
#include "runner/fleet/shard.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <set>
#include <thread>

using namespace runner;

namespace {

EnvironmentLookup variables(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

// The UsageError `f` throws; "" when it throws none.
template <typename F>
std::string usage_error(F f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

bool never_stop() { return false; }

}  // namespace

BOOST_AUTO_TEST_SUITE(fleet)

BOOST_AUTO_TEST_CASE(an_inventory_lists_urls_with_their_patterns_and_expands_variables) {
  const Inventory inv = parse_inventory(
      "\xEF\xBB\xBF# the fleet\n"
      "\n"
      "postgresql://app:${PW_A}@db-a:5432/app   project_*\r\n"
      "   postgresql://db-b/app\n"
      "# sqlite too\n"
      "sqlite:data/project_*.db\n"
      "postgresql://db-c/app?password=$notavariable tenant_${KIND}\n",
      "conf/fleet.txt", variables({{"PW_A", "s3cr${X}t"}, {"KIND", "eu"}}));
  BOOST_TEST(inv.base_dir == "conf");
  BOOST_TEST_REQUIRE(inv.entries.size() == 4u);
  // A value is never expanded again.
  BOOST_TEST(inv.entries[0].url == "postgresql://app:s3cr${X}t@db-a:5432/app");
  BOOST_TEST(inv.entries[0].pattern == "project_*");
  BOOST_TEST(inv.entries[0].line == 3);
  BOOST_TEST(inv.entries[1].url == "postgresql://db-b/app");
  BOOST_TEST(inv.entries[1].pattern == "");
  BOOST_TEST(inv.entries[2].url == "sqlite:data/project_*.db");
  BOOST_TEST(inv.entries[2].line == 6);
  BOOST_TEST(inv.entries[3].url == "postgresql://db-c/app?password=$notavariable");
  BOOST_TEST(inv.entries[3].pattern == "tenant_eu");
}

BOOST_AUTO_TEST_CASE(a_bad_inventory_line_is_refused_naming_its_file_and_line) {
  const auto none = variables({});
  BOOST_TEST(usage_error([&] {
               parse_inventory("postgresql://h/db project_* extra\n", "f.txt", none);
             }).find("f.txt:1: expected a database URL and, optionally, its schema pattern; found 3 words") == 0);
  const std::string unset = usage_error([&] { parse_inventory("\npostgresql://u:${DB_PW}@h/db\n", "f.txt", none); });
  BOOST_TEST(unset.find("f.txt:2: ${DB_PW} is not set in the environment") == 0, unset);
  BOOST_TEST(usage_error([&] {
               parse_inventory("postgresql://u:${DB_PW@h/db\n", "f.txt", none);
             }).find("f.txt:1: '${' without its closing '}'") == 0);
  BOOST_TEST(usage_error([&] {
               parse_inventory("postgresql://u:${1X}@h/db\n", "f.txt", none);
             }).find("f.txt:1: '${1X}' is no variable name") == 0);
  BOOST_TEST(usage_error([&] {
               parse_inventory("postgresql://h/db # the main one\n", "f.txt", none);
             }).find("f.txt:1: a comment takes a line of its own") == 0);
  BOOST_TEST(usage_error([&] {
               parse_inventory("postgresql://h/db\n\npostgresql://h/db\n", "f.txt", none);
             }).find("f.txt:3: the same database and pattern as line 1") == 0);
  BOOST_TEST(usage_error([&] { parse_inventory("# nothing\n\n", "f.txt", none); }).find("f.txt: lists no database") ==
             0);
  BOOST_TEST(usage_error([&] {
               read_inventory("/nonexistent/fleet.txt", none);
             }).find("--databases /nonexistent/fleet.txt: no such file") == 0);
}

BOOST_AUTO_TEST_CASE(shards_are_read_from_the_flag_or_an_indexed_job) {
  const auto env = variables({{"JOB_COMPLETION_INDEX", "2"}, {"RUNNER_SHARD_COUNT", "3"}});
  const Shard given = parse_shard("1/4", env);
  BOOST_TEST(given.index == 1u);
  BOOST_TEST(given.count == 4u);
  const Shard job = parse_shard("auto", env);
  BOOST_TEST(job.index == 2u);
  BOOST_TEST(job.count == 3u);
  BOOST_TEST(parse_shard("auto/5", variables({{"JOB_COMPLETION_INDEX", "2"}})).count == 5u);
  BOOST_TEST(parse_shard("auto/3", env).count == 3u);
  BOOST_TEST(usage_error([&] { parse_shard("auto/5", env); }).find("RUNNER_SHARD_COUNT says 3") != std::string::npos);
  BOOST_TEST(usage_error([&] {
               parse_shard("2/2", env);
             }).find("shard 2 does not exist; shards of 2 count from 0 to 1") != std::string::npos);
  BOOST_TEST(usage_error([&] { parse_shard("auto", variables({})); }).find("RUNNER_SHARD_COUNT is not set") !=
             std::string::npos);
  BOOST_TEST(usage_error([&] { parse_shard("auto/2", variables({})); }).find("JOB_COMPLETION_INDEX is not set") !=
             std::string::npos);
  for (const char* bad : {"", "1", "1/0", "a/2", "-1/2", "1/2/3", "1/"})
    BOOST_TEST(!usage_error([&] { parse_shard(bad, env); }).empty(), bad);
}

BOOST_AUTO_TEST_CASE(every_project_falls_in_exactly_one_shard_and_the_shards_are_even) {
  std::vector<std::size_t> sizes(4, 0);
  for (int i = 0; i < 4000; ++i)
    ++sizes[shard_of("db-" + std::to_string(i % 4) + ":5432/project_" + std::to_string(i), 4)];
  for (std::size_t n : sizes) BOOST_TEST((n > 850 && n < 1150), n);
  // Fixed for good: processes of two runner versions must agree (a changed hash fails here).
  const unsigned pinned[] = {shard_of("a", 7), shard_of("127.0.0.1:5432/project_1", 7),
                             shard_of("data/project_9.db", 7)};
  BOOST_TEST(pinned[0] == 0u);
  BOOST_TEST(pinned[1] == 0u);  // FNV-1a 64 with a murmur finaliser, worked out by hand in Python
  BOOST_TEST(pinned[2] == 2u);
}

BOOST_AUTO_TEST_CASE(the_schedule_never_runs_more_than_the_cap_on_one_server) {
  std::vector<std::string> servers;
  for (int i = 0; i < 60; ++i) servers.push_back(i % 3 == 2 ? "" : i % 3 == 0 ? "a" : "b");
  Schedule schedule(servers, {}, {2, 0});
  std::mutex m;
  std::map<std::string, int> running, peak;
  std::set<std::size_t> ran;
  auto worker = [&] {
    while (auto i = schedule.next(never_stop)) {
      {
        std::lock_guard<std::mutex> lock(m);
        BOOST_TEST(ran.insert(*i).second);  // each once
        peak[servers[*i]] = std::max(peak[servers[*i]], ++running[servers[*i]]);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      {
        std::lock_guard<std::mutex> lock(m);
        --running[servers[*i]];
      }
      schedule.finished(*i, false);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  BOOST_TEST(ran.size() == 60u);
  BOOST_TEST(peak["a"] == 2);
  BOOST_TEST(peak["b"] == 2);
  BOOST_TEST(peak[""] > 2);  // files: no cap
  BOOST_TEST(schedule.stopped_because().empty());
}

BOOST_AUTO_TEST_CASE(the_canary_wave_runs_first_and_a_failed_canary_stops_the_run) {
  std::vector<bool> canary(10, false);
  canary[3] = canary[7] = true;
  {
    Schedule schedule(std::vector<std::string>(10, "s"), canary, {0, 0});
    const auto first = schedule.next(never_stop), second = schedule.next(never_stop);
    BOOST_TEST((first && *first == 3u));
    BOOST_TEST((second && *second == 7u));
    std::atomic<bool> got{false};
    std::thread waiting([&] { got = schedule.next(never_stop).has_value(); });  // waits for the wave
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    BOOST_TEST(!got);
    schedule.finished(3, false);
    schedule.finished(7, false);
    waiting.join();
    BOOST_TEST(got);
  }
  {
    Schedule schedule(std::vector<std::string>(10, "s"), canary, {0, 0});
    const auto first = schedule.next(never_stop);
    schedule.finished(*first, true);
    BOOST_TEST(!schedule.next(never_stop).has_value());
    BOOST_TEST(schedule.stopped_because() == "a canary project failed");
  }
}

BOOST_AUTO_TEST_CASE(no_project_starts_after_max_failures_or_a_stop) {
  Schedule schedule(std::vector<std::string>(10, ""), {}, {0, 2});
  for (int k = 0; k < 2; ++k) schedule.finished(*schedule.next(never_stop), true);
  BOOST_TEST(!schedule.next(never_stop).has_value());
  BOOST_TEST(schedule.stopped_because() == "2 projects failed or refused (limit 2)");
  Schedule stopping(std::vector<std::string>(10, ""), {}, {0, 0});
  BOOST_TEST(!stopping.next([] { return true; }).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
