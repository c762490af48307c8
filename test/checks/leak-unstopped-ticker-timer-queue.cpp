// RUN: %check_leak --config="{CheckOptions: {leak.PeriodicTimerIdFunctions: 'net::TimerQueue::every=net::TimerQueue::cancel;net::every_ms=net::cancel_timer', leak.TimerIdFunctions: 'net::TimerQueue::after=net::TimerQueue::cancel'}}" %s leak-unstopped-ticker -- -std=c++17
// RUN: %check_leak --prefixes=NONE %s leak-unstopped-ticker -- -std=c++17
// RUN: %clang_tidy_plugin --checks='-*,leak-unstopped-ticker' --config="{CheckOptions: {leak-unstopped-ticker.PeriodicTimerIdFunctions: 'net::TimerQueue::every;a=b=c;net::TimerQueue::every=9bad', leak-unstopped-ticker.TimerIdFunctions: '=net::TimerQueue::cancel'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=BAD %s
// BAD-DAG: invalid value in option 'leak-unstopped-ticker.PeriodicTimerIdFunctions': 'net::TimerQueue::every' is not of the form Arm=Cancel (e.g. 'TimerQueue::schedule=TimerQueue::cancel'); the entry is ignored
// BAD-DAG: invalid value in option 'leak-unstopped-ticker.PeriodicTimerIdFunctions': 'a=b=c' is not of the form Arm=Cancel
// BAD-DAG: invalid value in option 'leak-unstopped-ticker.PeriodicTimerIdFunctions': 'net::TimerQueue::every=9bad':
// BAD-DAG: invalid value in option 'leak-unstopped-ticker.TimerIdFunctions': '=net::TimerQueue::cancel':
//
// An in-house timer queue whose member function arms a timer and returns an
// id, and whose cancel(id) stops it: PeriodicTimerIdFunctions names the
// "Arm=Cancel" pairs. A periodic id overwritten or thrown away can never be
// cancelled. Without the option (NONE) nothing here is a timer: silent.

#include <cstdint>
#include <functional>

namespace net {
using TimerId = std::uint64_t;
class TimerQueue {
public:
  TimerId every(int ms, std::function<void()> fn); // periodic
  TimerId after(int ms, std::function<void()> fn); // one-shot
  void cancel(TimerId id);
};
TimerId every_ms(TimerQueue &q, int ms, std::function<void()> fn);
void cancel_timer(TimerQueue &q, TimerId id);
} // namespace net

void flush();

// ---- must warn (with the option) ----

class Flusher {
public:
  explicit Flusher(net::TimerQueue &q) : q_(q) {}
  void start() { id_ = q_.every(1000, [] { flush(); }); } // NOTE: 'id_' is first set here
  void setPeriod(int ms) {
    id_ = q_.every(ms, [] { flush(); }); // WARN: a new periodic timer id is stored in 'id_' while the timer it holds may still run; with its id lost nothing can cancel that timer
                                         // NOTE@-1: overwritten here while the old timer may still run
                                         // NOTE@-2: cancel the old id (the TimerIdFunctions cancel function) before starting a new timer
  }
  void stop() { q_.cancel(id_); }

private:
  net::TimerQueue &q_;
  net::TimerId id_ = 0;
};

void fireAndForget(net::TimerQueue &q) {
  q.every(5000, [] { flush(); }); // WARN: periodic timer whose id is discarded is never cancelled: it fires for the rest of the process
                                  // NOTE@-1: keep the id and cancel it (the TimerIdFunctions cancel function) when its owner is done
}

void freeFunction(net::TimerQueue &q) {
  net::TimerId id = net::every_ms(q, 100, [] { flush(); }); // WARN: periodic timer stored in 'id' is never cancelled
                                                            // NOTE@-1: keep the id and cancel it (the TimerIdFunctions cancel function) when its owner is done
  (void)id;
}

// ---- must stay silent ----

class GoodFlusher {
public:
  explicit GoodFlusher(net::TimerQueue &q) : q_(q) {}
  void start() { id_ = q_.every(1000, [] { flush(); }); }
  void setPeriod(int ms) {
    q_.cancel(id_);
    id_ = q_.every(ms, [] { flush(); });
  }
  void stop() { q_.cancel(id_); }

private:
  net::TimerQueue &q_;
  net::TimerId id_ = 0;
};

// A one-shot (TimerIdFunctions, not periodic) fires once: no ticker.
void oneShot(net::TimerQueue &q) { q.after(5000, [] { flush(); }); }

// Cancelled through the free cancel function.
void cancelled(net::TimerQueue &q) {
  net::TimerId id = net::every_ms(q, 100, [] { flush(); });
  flush();
  net::cancel_timer(q, id);
}
