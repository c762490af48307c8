// RUN: %check_leak --allow-extra-notes %s leak-unstopped-ticker -- -std=c++17
// REQUIRES: asio
//
// leak-unstopped-ticker (standalone Asio; Boost.Asio in leak-unstopped-ticker-repost.cpp): an async chain that re-posts itself. A function
// that posts (asio::post / boost::asio::post / defer / dispatch) a handler
// which calls the function again, with no stop check on either side, runs
// forever on its io_context: no cancel() stops it. Silent when the function
// or the handler checks a stop flag (a return or a condition around the
// post or the call), or when the handler does not call the function again.

#include <asio.hpp>
#include <functional>
#include <memory>

void pollOnce();

//===--- Reported -----------------------------------------------------------===//

class Pump {
public:
  explicit Pump(asio::io_context &io) : io_(io) {}
  void tick() {
    pollOnce();
    asio::post(io_, [this] { tick(); }); // WARN: the handler posted here calls 'tick' again, which posts it again, on every run with no stop check: this chain ticks until the io_context stops and no cancel() can end it
                                         // NOTE@-1: re-posted here on every run
                                         // NOTE@-2: check a stop flag (or an owner's weak_ptr) before posting again
  }

private:
  asio::io_context &io_;
};

void pumpFree(asio::io_context &io) {
  pollOnce();
  asio::post(io, [&io] { pumpFree(io); }); // WARN: calls 'pumpFree' again
}

//===--- Silent -------------------------------------------------------------===//

class StoppablePump {
public:
  explicit StoppablePump(asio::io_context &io) : io_(io) {}
  // The function checks the flag first.
  void tick() {
    if (stopped_)
      return;
    pollOnce();
    asio::post(io_, [this] { tick(); });
  }
  // The post is under the check.
  void tickIf() {
    pollOnce();
    if (!stopped_)
      asio::post(io_, [this] { tickIf(); });
  }
  // The handler checks it.
  void tickInHandler() {
    pollOnce();
    asio::post(io_, [this] {
      if (!stopped_)
        tickInHandler();
    });
  }
  // The handler returns early.
  void tickReturn() {
    asio::post(io_, [this] {
      if (stopped_)
        return;
      tickReturn();
    });
  }
  // The handler calls something else: not a chain.
  void once() {
    asio::post(io_, [] { pollOnce(); });
  }
  void stop() { stopped_ = true; }

private:
  asio::io_context &io_;
  bool stopped_ = false;
};

