// RUN: %check_leak %s leak-unstopped-ticker -- -std=c++17
//
// A periodic worker loop whose wait is inside a helper called on every turn
// (FunctionSummaries::waitsOnEveryCall): the loop is a ticker as if it
// slept itself.

#include <atomic>
#include <chrono>
#include <thread>

void work();
bool poll();

void pause() { std::this_thread::sleep_for(std::chrono::seconds(1)); }
void pauseTwice() {
  work();
  pause();
}

class Worker {
public:
  void start() {
    t_ = std::thread([] {
      for (;;) { // WARN: endless loop waits on every turn and has no exit: this periodic worker can never be stopped
                 // NOTE@-1: leave the loop
        work();
        pause(); // NOTE: waits here on every turn
      }
    });
  }
  void startDeep() {
    t_ = std::thread([] {
      while (true) { // WARN: endless loop waits on every turn and has no exit
                     // NOTE@-1: leave the loop
        pauseTwice(); // NOTE: waits here on every turn
      }
    });
  }
  // ---- silent ----
  void startGood() {
    t_ = std::thread([this] {
      while (!stop_) {
        pause();
        work();
      }
    });
  }
  void startExit() {
    t_ = std::thread([] {
      for (;;) {
        pause();
        if (!poll())
          return;
      }
    });
  }
  void stop() {
    stop_ = true;
    t_.join();
  }

private:
  std::atomic<bool> stop_{false};
  std::thread t_;
};
