// RUN: %check_leak %s leak-timer-in-loop -- -std=c++17
// REQUIRES: boost-asio
//
// The once-per-element exemption (one self-freeing one-shot per element of a
// range-for is a deferred action) holds only for a batch that is not handed
// in again on every event: a range-for over the batch a callback receives
// (a lambda's parameter) runs on every event, and a range-for in a helper
// that a receive loop calls on every turn runs at the loop's rate (that
// second form was already reported before; it guards the first).

#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ba = boost::asio;
using namespace std::chrono_literals;

struct Conn {
  void onMessages(std::function<void(const std::vector<std::string> &)> cb);
  bool receive(std::vector<std::string> &batch);
};
void expire(const std::string &);

// ---- must warn ----

void watch(ba::io_context &io, Conn &c) {
  c.onMessages([&io](const std::vector<std::string> &msgs) {
    for (const std::string &m : msgs) { // NOTE: the loop has no small constant
      auto t = std::make_shared<ba::steady_timer>(io, 10min); // WARN: Asio timer created on every iteration of this loop outlives the iteration: its own wait handler keeps it alive, so one timer piles up per iteration, each living 10 minutes
      t->async_wait([t, m](const boost::system::error_code &) { expire(m); }); // NOTE: the handler capturing the timer is installed here
    }
  });
}

void armAll(ba::io_context &io, const std::vector<std::string> &batch) {
  for (const std::string &m : batch) {
    auto t = std::make_shared<ba::steady_timer>(io, 10min); // NOTE: Asio timer created here
    t->async_wait([t, m](const boost::system::error_code &) { expire(m); }); // NOTE: the handler capturing the timer is installed here
  }
}
void receiveLoop(ba::io_context &io, Conn &c) {
  std::vector<std::string> batch;
  while (c.receive(batch)) // NOTE: the loop has no small constant
    armAll(io, batch); // WARN: call to 'armAll' creates an Asio timer on every iteration of this loop that outlives the call
}

// ---- must stay silent ----

// The same range-for run once, on a container the function is given: a
// deferred action per element (see docs, Limits).
void closeAllOnce(ba::io_context &io, const std::vector<std::string> &all) {
  for (const std::string &m : all) {
    auto t = std::make_shared<ba::steady_timer>(io, 10min);
    t->async_wait([t, m](const boost::system::error_code &) { expire(m); });
  }
}

// A lambda iterating over a captured container (not a batch it is handed).
void postOnce(ba::io_context &io, std::vector<std::string> all) {
  ba::post(io, [&io, all] {
    for (const std::string &m : all) {
      auto t = std::make_shared<ba::steady_timer>(io, 10min);
      t->async_wait([t, m](const boost::system::error_code &) { expire(m); });
    }
  });
}
