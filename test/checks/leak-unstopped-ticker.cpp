// RUN: %check_leak --prefixes=,DEF %s leak-unstopped-ticker -- -std=c++20
// RUN: %check_leak --config="{CheckOptions: {leak-unstopped-ticker.WaitFunctions: '+my::nap', leak-unstopped-ticker.StopMethods: 'halt', leak-unstopped-ticker.PeriodicArmFunctions: 'my::tick_every', leak-unstopped-ticker.TimerStopFunctions: 'my::tick_cancel', leak-unstopped-ticker.TimerTypes: 'my::Timer'}}" --prefixes=,OPT %s leak-unstopped-ticker -- -std=c++20
// RUN: %check_leak --config="{CheckOptions: {leak.WaitFunctions: '+my::nap', leak.StopMethods: 'halt', leak.PeriodicArmFunctions: 'my::tick_every', leak.TimerStopFunctions: 'my::tick_cancel', leak.TimerTypes: 'my::Timer'}}" --prefixes=,OPT %s leak-unstopped-ticker -- -std=c++20
// RUN: %check_leak --config="{CheckOptions: {leak.TimerTypes: 'no::Such', leak-unstopped-ticker.TimerTypes: 'my::Timer', leak.WaitFunctions: '+my::nap', leak.StopMethods: 'halt', leak.PeriodicArmFunctions: 'my::tick_every', leak.TimerStopFunctions: 'my::tick_cancel'}}" --prefixes=,OPT %s leak-unstopped-ticker -- -std=c++20
// REQUIRES: boost-asio
//
// leak-unstopped-ticker in C++: periodic worker loops (seed 001's bug), Asio
// handlers that re-arm whatever happens, and POSIX timers kept in members.

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
namespace ba = boost::asio;

void flush();
void pollDevices();

// ---- ticker loops: must warn ----

// The Go original: Stop() stops the ticker, but the goroutine reading it
// waits forever. Here stop() sets nothing the loop reads.
class Flusher {
public:
  void start() {
    worker_ = std::thread([this] {
      while (true) { // WARN: endless loop waits on every turn and has no exit: this periodic worker can never be stopped
                     // NOTE@-1: leave the loop when a std::atomic<bool> or std::stop_token says stop
        std::this_thread::sleep_for(1s); // NOTE: waits here on every turn
        flush();
      }
    });
  }
  void stop() { worker_.detach(); }

private:
  std::thread worker_;
};

class Poller {
public:
  void run() {
    for (;;) { // WARN: endless loop waits on every turn
               // NOTE@-1: leave the loop
      pollDevices();
      usleep(100000); // NOTE: waits here on every turn
    }
  }
};

// A timed wait whose result is ignored is still no exit.
class Waiter {
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;

public:
  void loop() {
    std::unique_lock<std::mutex> lk(m_);
    while (1) { // WARN: endless loop waits on every turn
                // NOTE@-1: leave the loop
      cv_.wait_for(lk, 5s, [this] { return stop_; }); // NOTE: waits here on every turn
      flush();
    }
  }
};

// A free function used as a thread body.
void reporter() {
  for (;;) { // WARN: endless loop waits on every turn
             // NOTE@-1: leave the loop
    std::this_thread::sleep_until(std::chrono::steady_clock::now() + 1min); // NOTE: waits here
    flush();
  }
}
void startReporter() { std::thread(reporter).detach(); }

// ---- ticker loops: must stay silent ----

class Good {
  std::atomic<bool> stop_{false};
  std::mutex m_;
  std::condition_variable cv_;
  bool quit_ = false;

public:
  void atomicFlag() {
    while (!stop_) { // the condition reads an atomic
      std::this_thread::sleep_for(1s);
      flush();
    }
  }
  void breakOnFlag() {
    for (;;) {
      std::this_thread::sleep_for(1s);
      if (stop_.load())
        break;
    }
  }
  void predicate() {
    std::unique_lock<std::mutex> lk(m_);
    while (true) {
      if (cv_.wait_for(lk, 1s, [this] { return quit_; }))
        return; // wait_for reports the stop
      flush();
    }
  }
  void cvStatus() {
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
      if (cv_.wait_for(lk, 1s) == std::cv_status::no_timeout && quit_)
        return;
    }
  }
  void stopToken(std::stop_token st) {
    while (!st.stop_requested()) {
      std::this_thread::sleep_for(1s);
    }
  }
  // No wait on every turn: a busy loop, not a ticker (another check's job).
  void noWait() {
    for (;;) {
      if (quit_)
        std::this_thread::sleep_for(1s);
      flush();
    }
  }
};

void jthreadBody() {
  std::jthread t([](std::stop_token st) {
    while (!st.stop_requested())
      std::this_thread::sleep_for(1s);
  });
}

// A free function that is not a thread body: its caller decides.
void serveForever() {
  for (;;) {
    std::this_thread::sleep_for(1s);
    pollDevices();
  }
}

// main's loop is the program.
int main() {
  for (;;) {
    std::this_thread::sleep_for(1s);
    pollDevices();
  }
}

// A configured wait function (WaitFunctions: '+my::nap').
namespace my {
void nap(int);
void tick_every(int handle, int ms);
void tick_cancel(int handle);
} // namespace my
class Napper {
  void loop() {
    for (;;) { // OPT-WARN: endless loop waits on every turn
               // OPT-NOTE@-1: leave the loop
      my::nap(5); // OPT-NOTE: waits here on every turn
    }
  }
};

// ---- Asio: handler re-arms unconditionally, ignoring the error code ----

class Heartbeat {
public:
  explicit Heartbeat(ba::io_context &io) : timer_(io) {}
  void start() {
    timer_.expires_after(1s);
    timer_.async_wait([this](const boost::system::error_code &) { // WARN: the handler of this async_wait re-arms Asio timer 'timer_' on every run and ignores its error code: cancel() cannot stop this ticker
                                                                  // NOTE@-1: return from the handler when the error code is set
      flush();
      start(); // NOTE: re-armed here even when the wait was cancelled (operation_aborted)
    });
  }
  void stop() { timer_.cancel(); }

private:
  ba::steady_timer timer_;
};

void localTicker(ba::io_context &io) {
  auto t = std::make_shared<ba::steady_timer>(io, 1s);
  std::function<void(boost::system::error_code)> tick;
  t->async_wait([t, &tick](boost::system::error_code) { // WARN: re-arms Asio timer 't' on every run
                                                        // NOTE@-1: return from the handler
    t->expires_after(1s);
    t->async_wait(tick); // NOTE: re-armed here
  });
}

class GoodHeartbeat {
public:
  explicit GoodHeartbeat(ba::io_context &io) : timer_(io) {}
  void start() {
    timer_.expires_after(1s);
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec)
        return; // cancelled: stop
      flush();
      start();
    });
  }
  void startFlag() {
    timer_.expires_after(1s);
    timer_.async_wait([this](const boost::system::error_code &) {
      if (stopped_)
        return;
      startFlag();
    });
  }
  void startIf() {
    timer_.async_wait([this](const boost::system::error_code &) {
      if (!stopped_)
        startIf();
    });
  }
  // One-shot: the handler does not re-arm.
  void once() {
    timer_.async_wait([](const boost::system::error_code &) { flush(); });
  }

private:
  ba::steady_timer timer_;
  bool stopped_ = false;
};

// The same through std::bind to a member function.
class BindHeartbeat {
public:
  explicit BindHeartbeat(ba::io_context &io) : timer_(io) {}
  void start() {
    timer_.expires_after(1s);
    timer_.async_wait(std::bind(&BindHeartbeat::onTick, this, std::placeholders::_1)); // WARN: re-arms Asio timer 'timer_' on every run and ignores its error code
                                                                                        // NOTE@-1: return from the handler
  }
  void onTick(const boost::system::error_code &) {
    flush();
    start(); // NOTE: re-armed here even when the wait was cancelled
  }
  void startGood() {
    timer_.expires_after(1s);
    timer_.async_wait(std::bind(&BindHeartbeat::onTickGood, this, std::placeholders::_1));
  }
  void onTickGood(const boost::system::error_code &ec) {
    if (ec == ba::error::operation_aborted)
      return;
    startGood();
  }

private:
  ba::steady_timer timer_;
};

// A configured timer class (TimerTypes: 'my::Timer') with an Asio-like API.
namespace my {
struct Timer {
  void async_wait(std::function<void(int)>);
  void cancel();
};
} // namespace my
class UserTicker {
  my::Timer t_;

public:
  void start() {
    t_.async_wait([this](int) { // OPT-WARN: the handler of this async_wait re-arms timer 't_' on every run
                                // OPT-NOTE@-1: return from the handler
      start(); // OPT-NOTE: re-armed here
    });
  }
};

// ---- POSIX timers in members: started in one function, stopped in another

static void fill(struct itimerspec &its) {
  its.it_value.tv_sec = 1;
}

class Sampler {
public:
  void start() {
    timer_create(CLOCK_MONOTONIC, nullptr, &tid_); // NOTE: POSIX timer created here
    struct itimerspec its = {};
    its.it_interval.tv_sec = 1;
    its.it_value.tv_sec = 1;
    timer_settime(tid_, 0, &its, nullptr); // WARN: periodic POSIX timer 'tid_' is started here but no function of 'Sampler' stops or deletes it
                                           // NOTE@-1: timer_delete() it when its owner is done
  }

private:
  timer_t tid_;
};

class GoodSampler {
public:
  void start() {
    timer_create(CLOCK_MONOTONIC, nullptr, &tid_);
    struct itimerspec its = {{1, 0}, {1, 0}};
    timer_settime(tid_, 0, &its, nullptr);
  }
  ~GoodSampler() { halt(); }
  void halt() { timer_delete(tid_); }

private:
  timer_t tid_;
};

// The destructor is defined in another file: we cannot see it.
class Elsewhere {
public:
  ~Elsewhere();
  void start() {
    struct itimerspec its = {{1, 0}, {1, 0}};
    timer_settime(tid_, 0, &its, nullptr);
  }

private:
  timer_t tid_;
};

// StopMethods: with 'halt' configured, a declared-but-not-defined halt()
// means we cannot see everything (silent); with the default list it warns.
class HaltElsewhere {
public:
  void halt();
  void start() {
    struct itimerspec its = {{1, 0}, {1, 0}};
    timer_settime(tid_, 0, &its, nullptr); // DEF-WARN: periodic POSIX timer 'tid_' is started here but no function of 'HaltElsewhere' stops
                                           // DEF-NOTE@-1: timer_delete() it
  }

private:
  timer_t tid_;
};

// One-shot (it_interval zero): not a ticker.
void oneShot() {
  timer_t tid;
  timer_create(CLOCK_MONOTONIC, nullptr, &tid);
  struct itimerspec its = {};
  its.it_value.tv_sec = 5;
  timer_settime(tid, 0, &its, nullptr);
}

// A local periodic timer lost when the function returns.
void lostLocal() {
  timer_t tid;
  timer_create(CLOCK_MONOTONIC, nullptr, &tid); // NOTE: POSIX timer created here
  struct itimerspec its = {{0, 500000000}, {1, 0}};
  timer_settime(tid, 0, &its, nullptr); // WARN: periodic POSIX timer 'tid' is never stopped: nothing stops, deletes or hands it off, so it fires for the rest of the process
                                        // NOTE@-1: timer_delete() it
}

// A class template: one warning, not one per instantiation.
template <typename T> class TickerT {
public:
  void start() {
    timer_create(CLOCK_MONOTONIC, nullptr, &tid_); // NOTE: POSIX timer created here
    struct itimerspec its = {{1, 0}, {1, 0}};
    timer_settime(tid_, 0, &its, nullptr); // WARN: periodic POSIX timer 'tid_' is started here but no function of 'TickerT<int>' stops
                                           // NOTE@-1: timer_delete() it
  }

private:
  timer_t tid_;
};
void useTickers() {
  TickerT<int> a;
  a.start();
  TickerT<long> b;
  b.start();
}

// Configured arm/stop functions.
void configured(int h) {
  int local = h;
  my::tick_every(local, 100); // OPT-WARN: periodic timer 'local' is never stopped
                              // OPT-NOTE@-1: stop it when its owner is done
  int other = h;
  my::tick_every(other, 100);
  my::tick_cancel(other);
}
