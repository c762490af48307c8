// RUN: %check_leak %s leak-timer-in-loop,leak-unstopped-ticker -- -std=c++20 -DASIO_HAS_CO_AWAIT=1
// RUN: %check_leak %s leak-timer-in-loop,leak-unstopped-ticker -- -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT=1 -DUSE_BOOST
// REQUIRES: asio, boost-asio
//
// Both timer checks in C++20 coroutines (Asio awaitables). Clang does not
// define __cpp_coroutines, so neither Debian 12's standalone Asio 1.22 nor
// its Boost 1.74 enables co_await on its own: the RUN lines ask for it.
// Boost 1.74's awaitable.hpp also uses std::exchange without <utility>.

#ifdef USE_BOOST
#include <utility>
#include <boost/asio.hpp>
namespace asio = boost::asio;
using error_code = boost::system::error_code;
#else
#include <asio.hpp>
using error_code = asio::error_code;
#endif
#include <chrono>
#include <memory>
#include <sys/timerfd.h>
#include <unistd.h>

void work();

// ---- leak-timer-in-loop: a coroutine's loop piles up like any other ----

asio::awaitable<void> pileUp(asio::io_context &io) {
  for (;;) { // NOTE: the loop has no small constant
    auto t = std::make_shared<asio::steady_timer>(io, std::chrono::minutes(5)); // WARN: Asio timer created on every iteration of this loop outlives the iteration: its own wait handler keeps it alive, so one timer piles up per iteration, each living 5 minutes
    t->async_wait([t](const error_code &) { work(); }); // NOTE: the handler capturing the timer is installed here
    co_await asio::post(io, asio::use_awaitable);
  }
}

// Silent: one timer, re-armed and awaited on every turn (the canonical
// awaitable ticker: it ends when the io_context stops).
asio::awaitable<void> heartbeat() {
  asio::steady_timer t(co_await asio::this_coro::executor);
  for (;;) {
    t.expires_after(std::chrono::seconds(1));
    co_await t.async_wait(asio::use_awaitable);
    work();
  }
}

// Silent: a stack timer per turn, awaited before the next.
asio::awaitable<void> perTurn(asio::io_context &io) {
  for (;;) {
    asio::steady_timer t(io, std::chrono::seconds(1));
    co_await t.async_wait(asio::use_awaitable);
    work();
  }
}

// ---- leak-unstopped-ticker: a ticker created in a coroutine ----

asio::awaitable<void> sampleOnce(asio::io_context &io) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0); // NOTE: timerfd created here
  struct itimerspec its = {{1, 0}, {1, 0}};
  timerfd_settime(fd, 0, &its, nullptr); // WARN: periodic timerfd 'fd' is never stopped
                                         // NOTE@-1: close() the timerfd
  co_await asio::post(io, asio::use_awaitable);
  work();
}

// Silent: the coroutine loops for as long as it runs, reading the ticks.
asio::awaitable<void> sampleForever(asio::io_context &io) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timerfd_settime(fd, 0, &its, nullptr);
  for (;;) {
    co_await asio::post(io, asio::use_awaitable);
    work();
  }
}

// Silent: closed before the coroutine ends.
asio::awaitable<void> sampleAndClose(asio::io_context &io) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timerfd_settime(fd, 0, &its, nullptr);
  co_await asio::post(io, asio::use_awaitable);
  close(fd);
}
