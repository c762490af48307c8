// RUN: %check_leak --prefixes=,DEF %s leak-timer-in-loop -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-timer-in-loop.MaxConstantTripCount: '2', leak-timer-in-loop.MinDelayMs: '10', leak-timer-in-loop.TimerTypes: 'my::Timer'}}" --prefixes=,OPT %s leak-timer-in-loop -- -std=c++17 -DOPTIONS
// RUN: %check_leak --config="{CheckOptions: {leak.MaxConstantTripCount: '2', leak.MinDelayMs: '10', leak.TimerTypes: 'my::Timer'}}" --prefixes=,OPT %s leak-timer-in-loop -- -std=c++17 -DOPTIONS
// RUN: %check_leak --config="{CheckOptions: {leak.MaxConstantTripCount: '1000', leak-timer-in-loop.MaxConstantTripCount: '2', leak.MinDelayMs: '10', leak.TimerTypes: 'no::Such', leak-timer-in-loop.TimerTypes: 'my::Timer'}}" --prefixes=,OPT %s leak-timer-in-loop -- -std=c++17 -DOPTIONS
// RUN: %check_leak --allow-errors --allow-extra-notes %S/Inputs/leak-timer-broken.cpp leak-timer-in-loop,leak-unstopped-ticker -- -std=c++17
// REQUIRES: boost-asio
//
// leak-timer-in-loop on Boost.Asio and standalone Asio timers: heap timers
// kept alive by their own handler or stored in containers, per iteration.

#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

using namespace std::chrono_literals;
namespace ba = boost::asio;

bool running();
void handle(int);
int next();

// ---- must warn: heap timer captured by its own handler, per iteration ----

void pollLoop(ba::io_context &io) {
  while (running()) { // NOTE: the loop has no small constant trip count; create the timer once before the loop and re-arm it inside with expires_after() and async_wait()
    auto t = std::make_shared<ba::steady_timer>(io, std::chrono::minutes(3)); // WARN: Asio timer created on every iteration of this loop outlives the iteration: its own wait handler keeps it alive, so one timer piles up per iteration, each living 3 minutes
    t->async_wait([t](const boost::system::error_code &) { handle(1); }); // NOTE: the handler capturing the timer is installed here
    handle(next());
  }
}

void endlessLoop(ba::io_context &io) {
  for (;;) { // NOTE: the loop has no small constant trip count
    auto t = std::make_shared<ba::system_timer>(io); // WARN: its own wait handler keeps it alive, so one timer piles up per iteration, each living 30 seconds
    t->expires_after(30s);
    t->async_wait([t](boost::system::error_code) {}); // NOTE: the handler capturing
  }
}

// Raw new, captured by the handler that deletes it when it fires.
void rawNew(ba::io_context &io, int n) {
  for (int i = 0; i < n; ++i) { // NOTE: the loop has no small constant
    auto *t = new ba::steady_timer(io, 2h); // WARN: each living 2 hours
    t->async_wait([t](const boost::system::error_code &) { delete t; }); // NOTE: the handler capturing
  }
}

// Unknown duration: still a pile-up (no "each living").
void unknownDuration(ba::io_context &io, std::chrono::seconds d) {
  while (running()) { // NOTE: the loop has no small constant
    auto t = std::make_shared<ba::steady_timer>(io, d); // WARN: so one timer piles up per iteration, each until it fires
    t->async_wait([t](const boost::system::error_code &) {}); // NOTE: the handler capturing
  }
}

// Stored in a container that nothing cleans up.
struct Scheduler {
  ba::io_context io;
  std::vector<std::unique_ptr<ba::steady_timer>> timers;
  void addAll() {
    while (running()) { // NOTE: the loop has no small constant
      auto t = std::make_unique<ba::steady_timer>(io, 1min); // WARN: it is stored in a container that is never cleaned up
      timers.push_back(std::move(t)); // NOTE: stored here
    }
  }
};

// A local container that is never touched after the loop either.
void localContainer(ba::io_context &io) {
  std::vector<std::shared_ptr<ba::steady_timer>> all;
  while (running()) { // NOTE: the loop has no small constant
    all.push_back(std::make_shared<ba::steady_timer>(io, 5s)); // WARN: it is stored in a container that is never cleaned up
                                                               // NOTE@-1: stored here
  }
}

// A helper defined in this file, called from the loop (one level deep).
void armTimeout(ba::io_context &io) {
  auto t = std::make_shared<ba::steady_timer>(io, 10min); // NOTE: Asio timer created here
  t->async_wait([t](const boost::system::error_code &) { handle(2); }); // NOTE: the handler capturing
}

void helperLoop(ba::io_context &io) {
  while (running()) { // NOTE: the loop has no small constant
    armTimeout(io); // WARN: call to 'armTimeout' creates an Asio timer on every iteration of this loop that outlives the call: its own wait handler keeps it alive, so one timer piles up per iteration, each living 10 minutes
  }
}

// Loops in lambdas and templates.
template <typename Timer> void templ(ba::io_context &io) {
  while (running()) { // NOTE: the loop has no small constant
    auto t = std::make_shared<Timer>(io, 3min); // WARN: each living 3 minutes
    t->async_wait([t](const boost::system::error_code &) {}); // NOTE: the handler capturing
  }
}
template void templ<ba::steady_timer>(ba::io_context &);

void inLambda(ba::io_context &io) {
  auto run = [&io] {
    while (running()) { // NOTE: the loop has no small constant
      auto t = std::make_shared<ba::steady_timer>(io, 1h); // WARN: each living 1 hour
      t->async_wait([t](const boost::system::error_code &) {}); // NOTE: the handler capturing
    }
  };
  run();
}

// A small constant trip count nested in an endless loop: the outer loop
// makes it pile up.
void nested(ba::io_context &io) {
  for (;;) { // DEF-NOTE: the loop has no small constant
    for (int i = 0; i < 3; ++i) { // OPT-NOTE: the loop has no small constant
      auto t = std::make_shared<ba::steady_timer>(io, 1min); // WARN: each living 1 minute
      t->async_wait([t](const boost::system::error_code &) {}); // NOTE: the handler capturing
    }
  }
}

// ---- must stay silent ----

// A stack timer: destroyed (and so cancelled) every turn.
void stackTimer(ba::io_context &io) {
  while (running()) {
    ba::steady_timer t(io, 3min);
    t.async_wait([](const boost::system::error_code &) {});
    io.run_one();
  }
}

// One timer created before the loop and re-armed inside.
void rearmed(ba::io_context &io) {
  auto t = std::make_shared<ba::steady_timer>(io);
  while (running()) {
    t->expires_after(3min);
    t->async_wait([t](const boost::system::error_code &) {});
    io.run_one();
  }
}

// A small constant trip count: a fixed set of timers.
void fixedSet(ba::io_context &io) {
  for (int i = 0; i < 4; ++i) { // OPT-WARN@+1: created on every iteration
    auto t = std::make_shared<ba::steady_timer>(io, 1min); // OPT-NOTE@-1: the loop has no small constant
    t->async_wait([t](const boost::system::error_code &) {}); // OPT-NOTE: the handler capturing
  }
  for (auto d : {1, 2, 3}) {
    auto t = std::make_shared<ba::steady_timer>(io, std::chrono::seconds(d * 60)); // OPT-WARN: created on every iteration
    t->async_wait([t](const boost::system::error_code &) {}); // OPT-NOTE: the handler capturing
  } // OPT-NOTE@-3: the loop has no small constant
}

// Timers collected in the loop and all cancelled after it.
void cancelledAfter(ba::io_context &io) {
  std::vector<std::shared_ptr<ba::steady_timer>> all;
  while (running())
    all.push_back(std::make_shared<ba::steady_timer>(io, 5min));
  for (auto &t : all)
    t->cancel();
}

// A member container cleaned in the destructor.
struct Pool {
  ba::io_context io;
  std::map<int, std::unique_ptr<ba::steady_timer>> timers;
  void fill() {
    while (running())
      timers.emplace(next(), std::make_unique<ba::steady_timer>(io, 1min));
  }
  ~Pool() { timers.clear(); }
};

// Short one-shot delays do not pile up meaningfully (MinDelayMs).
void shortDelay(ba::io_context &io) {
  while (running()) { // OPT-NOTE: the loop has no small constant
    auto t = std::make_shared<ba::steady_timer>(io, 100ms); // OPT-WARN: each living 100 ms
    t->async_wait([t](const boost::system::error_code &) {}); // OPT-NOTE: the handler capturing
  }
}

// A unique_ptr timer that dies with the iteration.
void scopedUnique(ba::io_context &io) {
  while (running()) {
    auto t = std::make_unique<ba::steady_timer>(io, 1min);
    t->async_wait([](const boost::system::error_code &) {});
    io.run_one();
  }
}

// Heap timer not captured by its handler: owned by the shared_ptr, which
// dies with the iteration (cancelling the wait).
void notCaptured(ba::io_context &io) {
  while (running()) {
    auto t = std::make_shared<ba::steady_timer>(io, 1min);
    t->async_wait([](const boost::system::error_code &) {});
  }
}

// Handed to code we do not see: not ours to judge.
void keep(std::shared_ptr<ba::steady_timer>);
void handedOff(ba::io_context &io) {
  while (running()) {
    auto t = std::make_shared<ba::steady_timer>(io, 1min);
    keep(t);
    t->async_wait([t](const boost::system::error_code &) {});
  }
}

// A helper that stores its timer in a member: not a fire-and-forget timer.
struct Conn {
  ba::io_context io;
  std::shared_ptr<ba::steady_timer> timeout;
  void arm() {
    timeout = std::make_shared<ba::steady_timer>(io, 1min);
  }
  void loop() {
    while (running())
      arm();
  }
};

// Macros.
#define START_TIMER(io)                                                        \
  do {                                                                         \
    ba::steady_timer tm(io, 1min);                                             \
    tm.async_wait([](const boost::system::error_code &) {});                   \
  } while (0)
void macro(ba::io_context &io) {
  while (running())
    START_TIMER(io);
}


// A configured timer class (TimerTypes: 'my::Timer').
namespace my {
struct Timer {
  void async_wait(std::function<void(int)>);
};
} // namespace my
void userTimers() {
  while (running()) { // OPT-NOTE: the loop has no small constant
    auto t = std::make_shared<my::Timer>(); // OPT-WARN: timer created on every iteration of this loop outlives the iteration: its own wait handler keeps it alive
    t->async_wait([t](int) {}); // OPT-NOTE: the handler capturing
  }
}

// One deferred action per element of a container, once (i2pd's SAM bridge
// keeps each closed session alive 5 s with a self-owned timer): at most one
// timer per element, each until it fires. Silent; see docs, Limits.
struct Session {};
void closeLater(ba::io_context &io, std::shared_ptr<Session> s) {
  auto t = std::make_shared<ba::steady_timer>(io, 5s); // NOTE: Asio timer created here
  t->async_wait([t, s](const boost::system::error_code &) {}); // NOTE: the handler capturing the timer is installed here
}
void closeAll(ba::io_context &io, std::vector<std::shared_ptr<Session>> &all) {
  for (auto &s : all)
    closeLater(io, s);
  for (auto &s : all) {
    auto t = std::make_shared<ba::steady_timer>(io, 5s);
    t->async_wait([t, s](const boost::system::error_code &) {});
  }
}
// ...but a range-for that another loop repeats makes timers at its rate.
void closeAllForever(ba::io_context &io, std::vector<std::shared_ptr<Session>> &all) {
  while (running())
    for (auto &s : all) // NOTE: the loop has no small constant
      closeLater(io, s); // WARN: call to 'closeLater' creates an Asio timer on every iteration of this loop that outlives the call: its own wait handler keeps it alive, so one timer piles up per iteration, each living 5 seconds
}
// ...and timers that never die pile up in a range-for too.
struct Keeper {
  std::vector<std::unique_ptr<ba::steady_timer>> timers;
  void armAll(ba::io_context &io, const std::vector<int> &ids) {
    for (int id : ids) { // NOTE: the loop has no small constant
      (void)id;
      timers.push_back(std::make_unique<ba::steady_timer>(io, 1h)); // WARN: it is stored in a container that is never cleaned up NOTE: stored here
    }
  }
};
