// A std::thread that is never joined: leak-unjoined-thread's simplest case
// (destroying a joinable std::thread calls std::terminate).
#include <thread>

void f() {
  std::thread t([] {}); // LSP-DIAG: leak-unjoined-thread 't' (?i)^thread 't' .*std::terminate
}
