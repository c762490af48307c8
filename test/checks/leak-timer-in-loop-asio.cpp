// RUN: %check_leak %s leak-timer-in-loop -- -std=c++17
// REQUIRES: asio
//
// leak-timer-in-loop on standalone Asio (asio.hpp cannot be mixed with
// Boost.Asio in one translation unit).

#include <asio.hpp>
#include <chrono>
#include <memory>

bool running();

void standalone(asio::io_context &io) {
  do { // NOTE: the loop has no small constant
    auto t = std::make_shared<asio::steady_timer>(io, std::chrono::seconds(90)); // WARN: Asio timer created on every iteration of this loop outlives the iteration: its own wait handler keeps it alive, so one timer piles up per iteration, each living 1.5 minutes
    t->async_wait([t](const asio::error_code &) {}); // NOTE: the handler capturing
  } while (running());
}

void highRes(asio::io_context &io) {
  while (running()) { // NOTE: the loop has no small constant
    auto *t = new asio::high_resolution_timer(io); // WARN: each living 2 minutes
    t->expires_after(std::chrono::minutes(2));
    t->async_wait([t](const asio::error_code &) { delete t; }); // NOTE: the handler capturing
  }
}

// Silent: stack timer, and one timer re-armed.
void silent(asio::io_context &io) {
  asio::steady_timer once(io);
  while (running()) {
    asio::steady_timer t(io, std::chrono::minutes(1));
    t.async_wait([](const asio::error_code &) {});
    once.expires_after(std::chrono::minutes(1));
    once.async_wait([](const asio::error_code &) {});
    io.run_one();
  }
}
