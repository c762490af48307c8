// RUN: %check_leak %s leak-unstopped-ticker -- -std=c++17
// REQUIRES: boost-thread
//
// boost::this_thread sleeps are interruption points: thread.interrupt()
// throws boost::thread_interrupted out of them, so the loop can be stopped.

#include <boost/thread.hpp>
#include <chrono>
#include <thread>

void work();

class Interruptible {
  boost::thread t_;

public:
  void start() {
    t_ = boost::thread([] {
      for (;;) {
        boost::this_thread::sleep_for(boost::chrono::seconds(1));
        work();
      }
    });
  }
  void stop() {
    t_.interrupt();
    t_.join();
  }
};

// std::this_thread::sleep_for is no interruption point: this one warns.
class NotInterruptible {
  boost::thread t_;

public:
  void start() {
    t_ = boost::thread([] {
      for (;;) { // WARN: endless loop waits on every turn and has no exit
                 // NOTE@-1: leave the loop when
        std::this_thread::sleep_for(std::chrono::seconds(1)); // NOTE: waits here
        work();
      }
    });
  }
  void stop() {
    t_.interrupt();
    t_.join();
  }
};
