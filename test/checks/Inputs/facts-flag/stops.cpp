#include "worker.h"

void Worker::start() {
  running_ = true;
  t_ = std::thread([this] { loop(); });
  f_ = std::thread([this] { flushLoop(); });
}

void Worker::stop() {
  running_ = false;
  quit_.store(true);
  t_.join();
  f_.join();
}
