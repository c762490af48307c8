// REQUIRES: asio
// RUN: %check_leak %s leak-channel-without-reader -- -std=c++20 -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE

// Form 4 with an Asio experimental channel held as a member (standalone
// Asio 1.22, the real headers): a coroutine consumer that stops on a flag
// leaves every pending async_send (and its handler) pending forever.
#include <asio.hpp>
#include <asio/experimental/channel.hpp>

using Chan = asio::experimental::channel<void(asio::error_code, int)>;
void handle(int);

class Session {
public:
  explicit Session(asio::any_io_executor ex) : ch_(ex, 16) {}
  asio::awaitable<void> consume() {
    while (!closing_) { // NOTE: the consumer stops reading here
      int v = co_await ch_.async_receive(asio::use_awaitable);
      handle(v);
    }
  }
  void deliver(int v) {
    ch_.async_send(asio::error_code{}, v, [](asio::error_code) {}); // NOTE: a producer sends here
  }
  void stop() { closing_ = true; }

private:
  bool closing_ = false;
  Chan ch_; // WARN: the consumer of channel 'ch_' can stop reading without closing it NOTE: 'ch_' is never closed NOTE: close 'ch_' when the consumer stops
};

// Silent: stop() closes the channel, pending sends complete with an error.
class ClosingSession {
public:
  explicit ClosingSession(asio::any_io_executor ex) : ch_(ex, 16) {}
  asio::awaitable<void> consume() {
    while (!closing_) {
      int v = co_await ch_.async_receive(asio::use_awaitable);
      handle(v);
    }
  }
  void deliver(int v) {
    ch_.async_send(asio::error_code{}, v, [](asio::error_code) {});
  }
  void stop() {
    closing_ = true;
    ch_.close();
  }

private:
  bool closing_ = false;
  Chan ch_;
};
