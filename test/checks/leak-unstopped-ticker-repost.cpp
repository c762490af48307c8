// RUN: %check_leak --allow-extra-notes %s leak-unstopped-ticker -- -std=c++17
// REQUIRES: boost-asio
//
// leak-unstopped-ticker: an async chain that re-posts itself. A function
// that posts (asio::post / boost::asio::post / defer / dispatch) a handler
// which calls the function again, with no stop check on either side, runs
// forever on its io_context: no cancel() stops it. Silent when the function
// or the handler checks a stop flag (a return or a condition around the
// post or the call), or when the handler does not call the function again.

#include <boost/asio.hpp>
#include <functional>
#include <memory>

void pollOnce();

//===--- Reported -----------------------------------------------------------===//

class BoostPump : public std::enable_shared_from_this<BoostPump> {
public:
  explicit BoostPump(boost::asio::io_context &io) : strand_(io.get_executor()) {}
  void tick() {
    pollOnce();
    boost::asio::post(strand_, [self = shared_from_this()] { self->tick(); }); // WARN: the handler posted here calls 'tick' again
  }
  void spin() {
    boost::asio::defer(strand_, std::bind(&BoostPump::spin, this)); // WARN: calls 'spin' again
  }

private:
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
};

void pumpFree(boost::asio::io_context &io) {
  pollOnce();
  boost::asio::dispatch(io, [&io] { pumpFree(io); }); // WARN: calls 'pumpFree' again
}

//===--- Silent -------------------------------------------------------------===//

class StoppablePump {
public:
  explicit StoppablePump(boost::asio::io_context &io) : io_(io) {}
  // The function checks the flag first.
  void tick() {
    if (stopped_)
      return;
    pollOnce();
    boost::asio::post(io_, [this] { tick(); });
  }
  // The post is under the check.
  void tickIf() {
    pollOnce();
    if (!stopped_)
      boost::asio::post(io_, [this] { tickIf(); });
  }
  // The handler checks it.
  void tickInHandler() {
    pollOnce();
    boost::asio::post(io_, [this] {
      if (!stopped_)
        tickInHandler();
    });
  }
  // The handler returns early.
  void tickReturn() {
    boost::asio::post(io_, [this] {
      if (stopped_)
        return;
      tickReturn();
    });
  }
  // The handler calls something else: not a chain.
  void once() {
    boost::asio::post(io_, [] { pollOnce(); });
  }
  void stop() { stopped_ = true; }

private:
  boost::asio::io_context &io_;
  bool stopped_ = false;
};

// A weak owner: the chain ends when the owner is gone.
class WeakPump : public std::enable_shared_from_this<WeakPump> {
public:
  explicit WeakPump(boost::asio::io_context &io) : io_(io) {}
  void tick() {
    boost::asio::post(io_, [w = weak_from_this()] {
      if (auto self = w.lock())
        self->tick();
    });
  }

private:
  boost::asio::io_context &io_;
};
