// leak-tidy-flags: -std=c++17
//
// A connection poller that arms a fresh three-minute timeout on every turn of
// its loop -- the C++ twin of Go's `case <-time.After(3 * time.Minute)` inside
// `for { select { ... } }`. Each timeout lives three minutes (its handler
// keeps it alive), so a busy loop piles up thousands of pending timers.
// The second poller shows the fix: one timer, re-armed on every turn.
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <memory>

namespace asio = boost::asio;

struct Connection {
  bool readOne() { return ++Reads % 1000 != 0; }
  long Reads = 0;
};

void onTimeout(const boost::system::error_code &Ec) {
  if (!Ec)
    std::puts("connection idle for 3 minutes");
}

// Leaks: a new timer per message.
void pollLeaky(asio::io_context &Io, Connection &Conn) {
  while (Conn.readOne()) {
    auto Timeout = std::make_shared<asio::steady_timer>(Io, std::chrono::minutes(3));
    Timeout->async_wait([Timeout](const boost::system::error_code &Ec) { onTimeout(Ec); });
    Io.poll();
  }
}

// Fixed: one timer created before the loop, re-armed inside. Re-arming
// cancels the previous wait, so at most one timeout is ever pending.
void pollFixed(asio::io_context &Io, Connection &Conn) {
  asio::steady_timer Timeout(Io);
  while (Conn.readOne()) {
    Timeout.expires_after(std::chrono::minutes(3));
    Timeout.async_wait(onTimeout);
    Io.poll();
  }
}

int main() {
  asio::io_context Io;
  Connection Conn;
  pollLeaky(Io, Conn);
  pollFixed(Io, Conn);
}
