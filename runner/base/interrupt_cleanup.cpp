// SPDX-License-Identifier: MIT
#include "runner/base/interrupt_cleanup.hpp"

#include <signal.h>
#include <unistd.h>
#include <atomic>
#include <climits>
#include <cstring>
#include <mutex>

namespace runner {
namespace {

constexpr int k_slots = 8;
constexpr int k_signals[] = {SIGINT, SIGTERM, SIGHUP};

// Read by the handler: each path is written before its slot is published, and the handler only
// reads published slots, with async-signal-safe calls (unlink, signal, raise).
char g_paths[k_slots][PATH_MAX];
std::atomic<bool> g_used[k_slots];
std::mutex g_mutex;
bool g_installed = false;

extern "C" void remove_and_reraise(int sig) {
  for (int i = 0; i < k_slots; ++i)
    if (g_used[i].load()) ::unlink(g_paths[i]);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

RemoveOnSignal::RemoveOnSignal(const std::filesystem::path& path) {
  const std::string text = std::filesystem::absolute(path).string();
  if (text.size() >= PATH_MAX) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  for (int i = 0; i < k_slots; ++i)
    if (!g_used[i].load()) {
      std::memcpy(g_paths[i], text.c_str(), text.size() + 1);
      g_used[i].store(true);
      slot_ = i;
      break;
    }
  if (slot_ >= 0 && !g_installed) {
    struct sigaction sa {};
    sa.sa_handler = &remove_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (int sig : k_signals) sigaction(sig, &sa, nullptr);
    g_installed = true;
  }
}

RemoveOnSignal::~RemoveOnSignal() {
  if (slot_ >= 0) g_used[slot_].store(false);
}

SignalsHeld::SignalsHeld() {
  sigset_t held;
  sigemptyset(&held);
  for (int sig : k_signals) sigaddset(&held, sig);
  pthread_sigmask(SIG_BLOCK, &held, &saved_);
}

SignalsHeld::~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

}  // namespace runner
