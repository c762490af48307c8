// The std::thread -> std::jthread fix-it: only in C++20, only for a local
// thread that is only ever joined, whose callable cannot receive a
// std::stop_token; everywhere else the warning comes with a note only.
// RUN: %check_leak --allow-extra-notes --prefixes=,CXX20 %s leak-unjoined-thread -- -std=c++20
// RUN: cp %s %t.cpp
// RUN: %clang_tidy_plugin --checks='-*,leak-unjoined-thread' --fix --quiet %t.cpp -- -std=c++20 > %t.out 2>&1
// RUN: %FileCheck --check-prefix=FIXED --input-file=%t.cpp %s
// In C++17 there is no std::jthread: nothing changes.
// RUN: cp %s %t17.cpp
// RUN: %clang_tidy_plugin --checks='-*,leak-unjoined-thread' --fix --quiet %t17.cpp -- -std=c++17 > %t17.out 2>&1
// RUN: %FileCheck --check-prefix=CXX17 --input-file=%t17.cpp %s

#include <thread>
#include <utility>

void work();
void work_with(int);
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

using std::thread;
void not_fixable_spelling() {
  thread t(work); // WARN: thread 't' is still joinable
  // FIXED: {{^}}  thread t(work); // WARN
  if (!ready())
    return;
  t.join();
}
