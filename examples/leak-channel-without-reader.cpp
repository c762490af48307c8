// leak-tidy-flags: -std=c++17
//
// A small DNS-style resolver showing the three shapes of
// leak-channel-without-reader with Boost.Fiber channels and std::promise:
//   1. resolveFastest: asks three servers, keeps the first answer, and leaves
//      the two slower senders blocked forever on an unbuffered channel;
//   2. findRecord: a producer streams records without end into a bounded
//      channel; the reader returns on the first match without closing it;
//   3. Stats: a member channel that is written but never read, and a
//      promise whose future nobody waits on.
#include <boost/fiber/all.hpp>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

static std::string askServer(int server, const std::string &name) {
  std::this_thread::sleep_for(std::chrono::milliseconds(10 * (server + 1)));
  return name + "@ns" + std::to_string(server);
}

// Form 1: three senders, one read, no buffer.
std::string resolveFastest(const std::string &name) {
  auto answers = std::make_shared<unbuffered_channel<std::string>>();
  for (int server = 0; server < 3; ++server)
    std::thread([answers, server, name] {
      answers->push(askServer(server, name));
    }).detach();
  std::string first;
  answers->pop(first);
  return first; // the fix: answers->close() before returning
}

// Form 2: an endless producer, a reader that stops on the first match.
int findRecord(int wanted) {
  auto records = std::make_shared<buffered_channel<int>>(16);
  std::thread([records] {
    for (int id = 0;; ++id)
      records->push(id * 7 % 101);
  }).detach();
  int id;
  while (records->pop(id) == channel_op_status::success) {
    if (id == wanted)
      return id; // the fix: records->close() here, and check push's status
  }
  return -1;
}

// Form 3: written, never read.
class Stats {
public:
  void count(int v) { samples_.try_push(v); }

private:
  buffered_channel<int> samples_{64};
};

void warmUp() {
  std::promise<bool> ready;
  std::future<bool> done = ready.get_future();
  std::thread worker([&ready] { ready.set_value(true); });
  worker.join(); // the fix: done.get() (or drop the promise)
}

int main() {
  Stats stats;
  stats.count(1);
  warmUp();
  std::cout << resolveFastest("example.org") << ' ' << findRecord(42) << '\n';
}
