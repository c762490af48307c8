// The same function after the fix: joined, so no diagnostic.
#include <thread>

void f() {
  std::thread t([] {});
  t.join();
}
