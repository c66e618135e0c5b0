// SPDX-License-Identifier: MIT
#include "runner/core/checksum.hpp"

#include "runner/base/errors.hpp"

#include <openssl/evp.h>

#include <memory>

namespace runner {
namespace {

// The algorithm is fetched from OpenSSL's providers once, and each thread keeps one context:
// looking SHA-256 up on every call (as EVP_Digest and SHA256() do) costs more than hashing a
// migration file, and a no-op run hashes every applied file.
const EVP_MD* sha256() {
  static const EVP_MD* const k_md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (k_md == nullptr) throw Error("SHA-256 is not available from OpenSSL");
  return k_md;
}

struct ContextFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* thread_context() {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> ctx(EVP_MD_CTX_new());
  if (!ctx) throw Error("SHA-256 failed (OpenSSL: out of memory)");
  return ctx.get();
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = thread_context();
  if (EVP_DigestInit_ex2(ctx, sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &len) != 1)
    throw Error("SHA-256 failed (OpenSSL)");
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
