// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17
// RUN: %check_leak --allow-extra-notes --prefixes=LATE %s leak-unbounded-global-cache -- -std=c++17 -DWITH_WORKER
//
// A program whose main() plainly ends soon (a fixed number of iterations, no
// event loop, nothing it calls or hands to a thread loops without bound)
// keeps its "caches" only until it exits: nothing is reported. With a worker
// thread that loops forever (WITH_WORKER), main() runs until the process
// ends: its global memo table is a process-lifetime cache. The member map of
// its local object lives as long, but only growth this file shows repeating
// counts for it: put() runs 1000 times, from a loop with a constant trip
// count, so the map holds at most 1000 rows (silent).
#include <cstdlib>
#include <map>
#include <string>
#include <thread>

// LATE-WARN@+1: global std::map 'Memo' only grows
static std::map<int, long> Memo;
long cost(int N) { return Memo[N] = N * 3L; } // LATE-NOTE: grows here: 'operator[]' adds a key from parameter 'N'

class Table {
public:
  void put(const std::string &K) { Rows[K] = 1; }
private:
  std::map<std::string, int> Rows;
};

#ifdef WITH_WORKER
static void worker() {
  for (;;)
    std::this_thread::yield();
}
#endif

int main() {
  Table T;
#ifdef WITH_WORKER
  std::thread W(worker);
  W.detach();
#endif
  long Sum = 0;
  for (int I = 0; I < 1000; ++I) {
    Sum += cost(std::rand());
    T.put(std::to_string(std::rand()));
  }
  return Sum > 0 ? 0 : 1;
}
