// RUN: %check_leak --config="{CheckOptions: {leak-timer-in-loop.TimerIdFunctions: 'net::TimerQueue::after=net::TimerQueue::cancel', leak-timer-in-loop.PeriodicTimerIdFunctions: 'net::TimerQueue::every=net::TimerQueue::cancel'}}" %s leak-timer-in-loop -- -std=c++17
// RUN: %check_leak --prefixes=NONE %s leak-timer-in-loop -- -std=c++17
//
// An in-house timer queue (TimerIdFunctions / PeriodicTimerIdFunctions:
// "Arm=Cancel" pairs of member functions): an id armed on every turn of a
// loop and not cancelled in that turn piles up. Without the options nothing
// here is a timer (NONE: silent).

#include <chrono>
#include <cstdint>
#include <functional>

namespace net {
using TimerId = std::uint64_t;
class TimerQueue {
public:
  TimerId every(int ms, std::function<void()> fn);
  TimerId after(std::chrono::milliseconds delay, std::function<void()> fn);
  void cancel(TimerId id);
};
} // namespace net

bool readOne();
void onTimeout();

// ---- must warn (with the options) ----

void serve(net::TimerQueue &q) {
  while (readOne()) { // NOTE: the loop has no small constant trip count
    q.after(std::chrono::minutes(3), [] { onTimeout(); }); // WARN: timer created on every iteration of this loop outlives the iteration: one pending timer piles up per iteration, each living 3 minutes until it fires

  }
}

void poll(net::TimerQueue &q) {
  while (readOne()) { // NOTE: the loop has no small constant trip count
    net::TimerId id = q.every(1000, [] { onTimeout(); }); // WARN: timer created on every iteration of this loop outlives the iteration: it is never released, so one timer piles up per iteration and none is ever freed
    if (readOne())
      q.cancel(id);
  }
}

// ---- must stay silent ----

void serveGood(net::TimerQueue &q) {
  while (readOne()) {
    net::TimerId id = q.after(std::chrono::minutes(3), [] { onTimeout(); });
    onTimeout();
    q.cancel(id);
  }
}

// Shorter than MinDelayMs (one second).
void shortOnes(net::TimerQueue &q) {
  while (readOne())
    q.after(std::chrono::milliseconds(200), [] { onTimeout(); });
}
