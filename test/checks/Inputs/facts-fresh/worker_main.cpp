// Calls the helpers of worker.h, defined in another file.
#include "worker.h"

bool failed();

int run() {
  std::thread T = makeWorker();
  if (failed())
    return 1;
  T.join();
  return 0;
}

struct Service {
  Service() : W([] {}) {}
  ~Service() { joinWorker(W); }
  void restart() { W = std::thread([] {}); }
  std::thread W;
};
