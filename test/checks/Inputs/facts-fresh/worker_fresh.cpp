// makeWorker() returns a thread it started; joinWorker() joins its argument.
#include "worker.h"

std::thread makeWorker() { return std::thread([] {}); }

void joinWorker(std::thread &T) {
  if (T.joinable())
    T.join();
}
