// SPDX-License-Identifier: MIT
#include "runner/core/checksum.hpp"
#include "runner/core/migration_text.hpp"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(checksum)

BOOST_AUTO_TEST_CASE(sha256_matches_the_standard_vectors) {
  BOOST_TEST(runner::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(runner::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(line_endings_and_bom_do_not_change_the_checksum) {
  const std::string lf = runner::sha256_hex(runner::normalize_text("CREATE TABLE a (x int);\nSELECT 1;\n"));
  BOOST_TEST(runner::sha256_hex(runner::normalize_text("CREATE TABLE a (x int);\r\nSELECT 1;\r\n")) == lf);
  BOOST_TEST(runner::sha256_hex(runner::normalize_text("\xEF\xBB\xBF"
                                                       "CREATE TABLE a (x int);\nSELECT 1;\n")) == lf);
  BOOST_TEST(runner::sha256_hex(runner::normalize_text("CREATE TABLE a (x int);\nSELECT 2;\n")) != lf);
}

BOOST_AUTO_TEST_SUITE_END()
