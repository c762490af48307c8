// NOLINT and NOLINTNEXTLINE silence every leak check: each check's leak is
// reported once without a NOLINT comment and suppressed once with one.
// RUN: %check_leak --allow-extra-notes %s 'leak-*' -- -std=c++17
// RUN: %clang_tidy_plugin --checks='-*,leak-*' %s -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=SUPPRESSED
// SUPPRESSED: Suppressed 7 warnings (7 NOLINT)
#include <chrono>
#include <ctime>
#include <csignal>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

bool more();

void threadLeak() { std::thread t([] {}); } // WARN: thread 't' is still joinable
void threadNolint() { std::thread t([] {}); } // NOLINT(leak-unjoined-thread)
void threadNolintNext() {
  // NOLINTNEXTLINE(leak-unjoined-thread)
  std::thread t([] {});
}

static std::map<std::string, int> Cache; // WARN: 'Cache' only grows
static std::map<std::string, int> CacheNolint; // NOLINT(leak-unbounded-global-cache)
void remember(const std::string &K) {
  Cache[K] = 1;
  CacheNolint[K] = 1;
}

void tickerLeak() {
  std::thread([] {
    for (;;) // WARN: periodic worker can never be stopped
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }).detach();
}
void tickerNolint() {
  std::thread([] {
    for (;;) // NOLINT(leak-unstopped-ticker)
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }).detach();
}

void timers() {
  while (more()) {
    timer_t T;
    timer_create(CLOCK_MONOTONIC, nullptr, &T); // WARN: POSIX timer created on every iteration
  }
  while (more()) {
    timer_t T;
    timer_create(CLOCK_MONOTONIC, nullptr, &T); // NOLINT(leak-timer-in-loop)
  }
}

static std::shared_ptr<char> Head;
static std::shared_ptr<char> HeadNolint;
void keepHead(std::shared_ptr<std::vector<char>> Buf) {
  Head = std::shared_ptr<char>(Buf, Buf->data() + 16); // WARN: slice stored in 'Head' keeps the whole buffer alive
  HeadNolint = std::shared_ptr<char>(Buf, Buf->data() + 16); // NOLINT(leak-retained-slice)
}

void promises() {
  std::promise<int> P; // WARN: promise 'P' is never read
  std::thread W([&P] { P.set_value(1); });
  W.join();
  std::promise<int> Q; // NOLINT(leak-channel-without-reader)
  std::thread V([&Q] { Q.set_value(1); });
  V.join();
}
