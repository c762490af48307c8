// RUN: %check_leak %s leak-timer-in-loop -- -std=c++17
// REQUIRES: asio
//
// leak-timer-in-loop asks the program model (lib/program) what a called
// helper does: returns a fresh timer (FunctionSummaries::returnsFresh) --
// the caller holds it and is judged like a creation; releases what it is
// given (FunctionSummaries::releasesParam) -- the call is a release.

#include <asio.hpp>
#include <chrono>
#include <memory>
#include <sys/timerfd.h>
#include <unistd.h>

bool running();
bool rare();

// ---- a helper returns a fresh timer: the loop that calls it piles up ----

std::shared_ptr<asio::steady_timer> makeTimer(asio::io_context &io) {
  return std::make_shared<asio::steady_timer>(io, std::chrono::seconds(90)); // NOTE: Asio timer created here, by a function that returns it to its caller
}

asio::steady_timer *makeRawTimer(asio::io_context &io) {
  auto *t = new asio::steady_timer(io); // NOTE: Asio timer created here, by a function
  return t;
}

void fresh(asio::io_context &io) {
  while (running()) { // NOTE: the loop has no small constant
    auto t = makeTimer(io); // WARN: Asio timer created on every iteration of this loop outlives the iteration: its own wait handler keeps it alive, so one timer piles up per iteration, each until it fires
    t->async_wait([t](const asio::error_code &) {}); // NOTE: the handler capturing the timer is installed here
  }
}

void freshRaw(asio::io_context &io) {
  for (;;) { // NOTE: the loop has no small constant
    asio::steady_timer *t = makeRawTimer(io); // WARN: its own wait handler keeps it alive
    t->expires_after(std::chrono::minutes(2));
    t->async_wait([t](const asio::error_code &) { delete t; }); // NOTE: the handler capturing
  }
}

// Silent: a helper that hands out one long-lived timer, not a fresh one.
asio::steady_timer *theTimer;
asio::steady_timer *sharedTimer() { return theTimer; }

void notFresh() {
  while (running()) {
    asio::steady_timer *t = sharedTimer();
    t->async_wait([t](const asio::error_code &) {});
  }
}

// Silent: the fresh timer is waited on without capturing it.
void freshNotCaptured(asio::io_context &io) {
  while (running()) {
    auto t = makeTimer(io);
    t->async_wait([](const asio::error_code &) {});
    io.run_one();
  }
}

// ---- a helper that releases what it is given ----

void closeTimer(const int &fd) { close(fd); }
void dropTimer(int fd) { closeTimer(fd); }

// closeTimer() closes the timerfd on every turn: nothing piles up.
void closedByHelper() {
  while (running()) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {1, 0}};
    timerfd_settime(fd, 0, &its, nullptr);
    closeTimer(fd);
  }
}

// dropTimer() releases it too (through closeTimer), but only on some turns.
void closedSometimes() {
  while (running()) { // NOTE: the loop has no small constant
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // WARN: timerfd created on every iteration of this loop outlives the iteration: it is never released
    struct itimerspec its = {{0, 0}, {1, 0}};
    timerfd_settime(fd, 0, &its, nullptr);
    if (rare())
      dropTimer(fd);
  }
}
