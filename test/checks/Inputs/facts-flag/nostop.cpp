#include "worker.h"

void Worker::start() {
  running_ = true;
  quit_ = false;
  t_ = std::thread([this] { loop(); });
  f_ = std::thread([this] { flushLoop(); });
}

void Worker::stop() {
  t_.join();
  f_.join();
}
