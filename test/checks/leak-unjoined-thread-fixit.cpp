// The std::thread -> std::jthread fix-it: only in C++20, only for a local
// thread that is only ever joined, whose callable cannot receive a
// std::stop_token and whose body is visible and finishes on its own (no
// unbounded loop, no waiting: joining at scope end must not turn a crash
// into a hang); everywhere else the warning comes with a note only.
// RUN: %check_leak --allow-extra-notes --prefixes=,CXX20 %s leak-unjoined-thread -- -std=c++20
// RUN: cp %s %t.cpp
// RUN: %clang_tidy_plugin --checks='-*,leak-unjoined-thread' --fix --quiet %t.cpp -- -std=c++20 > %t.out 2>&1
// RUN: %FileCheck --check-prefix=FIXED --input-file=%t.cpp %s
// In C++17 there is no std::jthread: nothing changes.
// RUN: cp %s %t17.cpp
// RUN: %clang_tidy_plugin --checks='-*,leak-unjoined-thread' --fix --quiet %t17.cpp -- -std=c++17 > %t17.out 2>&1
// RUN: %FileCheck --check-prefix=CXX17 --input-file=%t17.cpp %s

#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

int counter;
void work() { ++counter; }
void work_with(int n) { counter += n; }
void unknown_work();
std::mutex m;
std::condition_variable cv;
bool go;
bool ready() noexcept;
void keep(std::thread &&);

void fixable() {
  std::thread t(work); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  std::jthread t(work);
  // CXX17: {{^}}  std::thread t(work);
  if (!ready())
    return;
  t.join();
}

void fixable_lambda_with_argument() {
  std::thread t([](int n) { work_with(n); }, 3); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  std::jthread t([](int n) { work_with(n); }, 3);
  if (!ready())
    return;
  if (t.joinable())
    t.join();
}

void not_fixable_detached_elsewhere() {
  std::thread t(work); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  std::thread t(work); // WARN
  if (!ready())
    return;
  t.detach();
}

void not_fixable_moved() {
  std::thread t(work); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  std::thread t(work); // WARN
  if (!ready())
    return;
  keep(std::move(t));
}

void not_fixable_generic_lambda() {
  // A generic lambda could be handed a std::stop_token by std::jthread.
  std::thread t([](auto... xs) { work(); }); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  std::thread t([](auto... xs) { work(); }); // WARN
  if (!ready())
    return;
  t.join();
}

void not_fixable_body_not_visible() {
  std::thread t(unknown_work); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  std::thread t(unknown_work); // WARN
  if (!ready())
    return;
  t.join();
}

void not_fixable_body_waits() {
  // Joining at the early return would wait for a notification that never
  // comes: a hang instead of a crash.
  std::thread t([] { // WARN: thread 't' is still joinable
    std::unique_lock<std::mutex> l(m);
    cv.wait(l, [] { return go; });
  });
  // FIXED: {{^}}  std::thread t([] { // WARN
  if (!ready())
    return;
  { std::lock_guard<std::mutex> g(m); go = true; }
  cv.notify_one();
  t.join();
}

using std::thread;
void not_fixable_spelling() {
  thread t(work); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  thread t(work); // WARN
  if (!ready())
    return;
  t.join();
}
