// SPDX-License-Identifier: MIT
#include "runner/core/checksum.hpp"

#include "runner/base/errors.hpp"

// SHA256_Init & co. are marked deprecated in OpenSSL 3 in favour of EVP, which is slower here.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace runner {

std::string sha256_hex(std::string_view data) {
  // The low-level SHA256_* calls hash directly; SHA256() and EVP_Digest look the algorithm up
  // through OpenSSL 3's providers on every call, which costs more than hashing a migration file.
  // A no-op run hashes every applied file.
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  if (SHA256_Init(&ctx) != 1 || SHA256_Update(&ctx, data.data(), data.size()) != 1 || SHA256_Final(digest, &ctx) != 1)
    throw Error("SHA-256 failed (OpenSSL)");
  const unsigned int len = SHA256_DIGEST_LENGTH;
  static const char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(k_hex[digest[i] >> 4]);
    out.push_back(k_hex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace runner
