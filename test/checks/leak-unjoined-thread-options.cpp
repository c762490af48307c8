// leak-unjoined-thread's WaitFunctions option (form 5): a loop in a detached
// thread that calls a wait function on every turn is a periodic loop
// (leak-unstopped-ticker's pattern), not one that can never finish.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.WaitFunctions: '+acme::pause'}}" --prefixes=WAIT %s leak-unjoined-thread -- -std=c++17
// Replacing the list drops the defaults: sleep_for no longer makes a loop periodic.
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.WaitFunctions: 'acme::pause'}}" --prefixes=ONLY %s leak-unjoined-thread -- -std=c++17
#include <chrono>
#include <thread>

namespace acme {
void pause(int ms);
}
void work();

void detached_custom_pause() {
  std::thread([] { // WARN: detached thread runs a loop that nothing can stop
    while (true) {
      work();
      acme::pause(10);
    }
  }).detach();
}

void detached_sleep_for() {
  std::thread([] { // ONLY-WARN: detached thread runs a loop that nothing can stop
    while (true) {
      work();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }).detach();
}
