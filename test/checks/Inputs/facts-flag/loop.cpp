#include "worker.h"
#include <chrono>

void tick();

void Worker::loop() {
  while (running_) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    tick();
  }
}

void Worker::flushLoop() {
  while (!quit_.load(std::memory_order_acquire)) {
    std::this_thread::sleep_for(std::chrono::seconds(10));
    tick();
  }
}

#ifdef LOCAL_STOP
void Worker::stop() {
  running_ = false;
  quit_.store(true);
}
#endif
