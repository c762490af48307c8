// C++20: leak-unjoined-thread offers std::jthread (which joins in its
// destructor) as a fix-it; the editor must show it as a quick-fix.
#include <thread>

void f() {
  std::thread t([] {}); // LSP-DIAG: leak-unjoined-thread 't' (?i)^thread 't' .*std::terminate
  // LSP-FIX@-1: leak-unjoined-thread 'std::thread' -> 'std::jthread'
}
