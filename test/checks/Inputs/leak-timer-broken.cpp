// Broken code for leak-timer-in-loop and leak-unstopped-ticker: cut off
// mid-function, undeclared names, a bad template. Must not crash.
#include <boost/asio.hpp>
#include <chrono>
#include <memory>
#include <thread>

bool running();

void ok(boost::asio::io_context &io) {
  while (running()) {
    auto t = std::make_shared<boost::asio::steady_timer>(io, std::chrono::minutes(3)); // WARN: created on every iteration
    t->async_wait([t](const boost::system::error_code &) { undefined_call(); });
  }
}

template <typename T> void tpl(T &io) {
  for (;;) {
    auto t = std::make_shared<UnknownTimer>(io);
    t->async_wait([t](auto) { t->async_wait(nothing); });
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

struct S {
  boost::asio::steady_timer timer_;
  void start() {
    timer_.async_wait([this](const boost::system::error_code &) { start();
  }
  void loop() {
    while (true) {
      std::this_thread::sleep_for(std::chrono::seconds(1)
    }
