// REQUIRES: asio
// RUN: %check_leak %s leak-channel-without-reader -- -std=c++20 -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE

// Asio's experimental channels (standalone Asio 1.22, the real headers; Boost
// 1.74 has none). A channel holds max_buffer_size values (default 0); a send
// beyond that stays pending until someone receives: a coroutine that
// co_awaits it never resumes, a handler never runs.
#include <asio.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <memory>

using Chan = asio::experimental::channel<void(asio::error_code, int)>;
using CChan = asio::experimental::concurrent_channel<void(asio::error_code, int)>;
int compute(int);

// Form 1 with coroutines: three senders, one receive, no buffer.
asio::awaitable<int> firstResult() {
  auto ex = co_await asio::this_coro::executor;
  auto ch = std::make_shared<Chan>(ex); // WARN: 3 senders send 3 values to channel 'ch' but only 1 is received before returning and it buffers 0: 2 senders block forever NOTE: close 'ch'
  for (int i = 0; i < 3; ++i)
    asio::co_spawn( // NOTE: 3 senders started here
        ex,
        [ch, i]() -> asio::awaitable<void> {
          co_await ch->async_send(asio::error_code{}, compute(i),
                                  asio::use_awaitable);
        },
        asio::detached);
  int v = co_await ch->async_receive(asio::use_awaitable);
  co_return v; // NOTE: returns here after receiving 1 value
}

// Form 1 with handlers on a thread pool: a buffer of 1.
int poolFirst(asio::thread_pool &pool) {
  auto ch = std::make_shared<CChan>(pool.get_executor(), 1); // WARN: 3 senders send 3 values to channel 'ch' but only 1 is received before returning and it buffers 1: 1 sender blocks forever NOTE: close 'ch'
  for (int i = 0; i < 3; ++i) // NOTE@+1: 3 senders started here
    asio::post(pool, [ch, i] {
      ch->async_send(asio::error_code{}, compute(i), [](asio::error_code) {});
    });
  int v = 0;
  ch->async_receive([&v](asio::error_code, int x) { v = x; });
  return v; // NOTE: returns here after receiving 1 value
}

// Silent: the buffer holds the two values nobody receives.
int roomForTheRest(asio::thread_pool &pool) {
  auto ch = std::make_shared<CChan>(pool.get_executor(), 2);
  for (int i = 0; i < 3; ++i)
    asio::post(pool, [ch, i] {
      ch->async_send(asio::error_code{}, compute(i), [](asio::error_code) {});
    });
  int v = 0;
  ch->async_receive([&v](asio::error_code, int x) { v = x; });
  return v;
}

// Silent: closed (pending sends complete with an error).
asio::awaitable<int> firstThenClose() {
  auto ex = co_await asio::this_coro::executor;
  auto ch = std::make_shared<Chan>(ex);
  for (int i = 0; i < 3; ++i)
    asio::co_spawn(
        ex,
        [ch, i]() -> asio::awaitable<void> {
          co_await ch->async_send(asio::error_code{}, compute(i),
                                  asio::use_awaitable);
        },
        asio::detached);
  int v = co_await ch->async_receive(asio::use_awaitable);
  ch->close();
  co_return v;
}

// Silent: try_send never waits.
int trySenders(asio::thread_pool &pool) {
  auto ch = std::make_shared<CChan>(pool.get_executor());
  for (int i = 0; i < 3; ++i)
    asio::post(pool, [ch, i] { ch->try_send(asio::error_code{}, compute(i)); });
  int v = 0;
  ch->async_receive([&v](asio::error_code, int x) { v = x; });
  return v;
}

// Form 3: a member channel that is only ever sent to.
class Notifier {
public:
  explicit Notifier(asio::any_io_executor ex) : events_(ex, 8) {}
  void notify(int e) {
    events_.async_send(asio::error_code{}, e, [](asio::error_code) {}); // NOTE: sent here
  }

private:
  CChan events_; // WARN: 'events_' is sent to but never received from in this translation unit: once it is full every sender blocks forever NOTE: receive from 'events_'
};

// Senders posted once per element of a run-time container (seed 002 over
// servers): one receive, a buffer of 2 -- every sender past the first 3
// stays pending.
#include <vector>
int poolPerServer(asio::thread_pool &pool, const std::vector<int> &servers) {
  auto ch = std::make_shared<CChan>(pool.get_executor(), 2); // WARN: senders started once per element of 'servers' send to channel 'ch' but only 1 value is received before returning and it buffers 2: every sender past the first 3 blocks forever NOTE: close 'ch'
  for (int s : servers) // NOTE@+1: senders started here, once per element of 'servers'
    asio::post(pool, [ch, s] {
      ch->async_send(asio::error_code{}, compute(s), [](asio::error_code) {});
    });
  int v = 0;
  ch->async_receive([&v](asio::error_code, int x) { v = x; });
  return v; // NOTE: returns here after receiving 1 value
}

// Silent: closed before returning.
int poolPerServerClosed(asio::thread_pool &pool, const std::vector<int> &servers) {
  auto ch = std::make_shared<CChan>(pool.get_executor(), 2);
  for (int s : servers)
    asio::post(pool, [ch, s] {
      ch->async_send(asio::error_code{}, compute(s), [](asio::error_code) {});
    });
  int v = 0;
  ch->async_receive([&v](asio::error_code, int x) { v = x; });
  ch->close();
  return v;
}
