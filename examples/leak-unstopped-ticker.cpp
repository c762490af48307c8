// leak-tidy-flags: -std=c++17
//
// A metrics flusher with the production bug of the Go article (seed 001):
// stop() stops the owner, but the worker thread ticks forever because its
// loop has no way out. Next to it, the same ticker written with Boost.Asio,
// whose handler re-arms the timer even after cancel(), and a POSIX interval
// timer that the class starts and never deletes. FixedFlusher shows the fix.
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <thread>

void flushMetrics() { std::puts("flush"); }

class Flusher {
public:
  void start() {
    Worker = std::thread([] {
      for (;;) { // ticks forever: nothing can make this loop exit
        std::this_thread::sleep_for(std::chrono::seconds(10));
        flushMetrics();
      }
    });
  }
  void stop() { Worker.detach(); } // "stops" the flusher; the thread runs on

private:
  std::thread Worker;
};

class AsioFlusher {
public:
  explicit AsioFlusher(boost::asio::io_context &Io) : Timer(Io) {}
  void start() {
    Timer.expires_after(std::chrono::seconds(10));
    Timer.async_wait([this](const boost::system::error_code &) {
      flushMetrics();
      start(); // re-armed even when cancel() aborted the wait
    });
  }
  void stop() { Timer.cancel(); }

private:
  boost::asio::steady_timer Timer;
};

class SignalSampler {
public:
  void start() {
    timer_create(CLOCK_MONOTONIC, nullptr, &Tid);
    struct itimerspec Spec = {{1, 0}, {1, 0}}; // every second
    timer_settime(Tid, 0, &Spec, nullptr);     // never timer_delete()d
  }

private:
  timer_t Tid;
};

// The fix: the loop reads a flag that stop() sets.
class FixedFlusher {
public:
  void start() {
    Worker = std::thread([this] {
      while (!Stopping) {
        std::this_thread::sleep_for(std::chrono::seconds(10));
        flushMetrics();
      }
    });
  }
  void stop() {
    Stopping = true;
    Worker.join();
  }

private:
  std::atomic<bool> Stopping{false};
  std::thread Worker;
};

int main() {
  Flusher F;
  F.start();
  F.stop();
  boost::asio::io_context Io;
  AsioFlusher A(Io);
  A.start();
  SignalSampler S;
  S.start();
  FixedFlusher G;
  G.start();
  G.stop();
}
