// SPDX-License-Identifier: MIT
#include "runner/core/checksum.hpp"

#include "runner/core/errors.hpp"

// SHA256() is marked deprecated in OpenSSL 3 in favour of EVP, which is slower for small inputs.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace runner {

std::string sha256_hex(std::string_view data) {
  // The one-shot SHA256() skips OpenSSL 3's provider dispatch, which costs more than hashing a
  // migration file; a no-op run hashes every applied file.
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest) == nullptr)
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
