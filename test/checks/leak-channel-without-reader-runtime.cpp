// REQUIRES: boost-fiber
// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17

// Seed 002 (multiQuery) as real code writes it: one sender per element of a
// run-time container (or per iteration of a loop of run-time trip count)
// against a reader that takes a constant number of values. N senders and
// one receive leave N-1 blocked, unless the channel buffers them all.
#include <boost/fiber/all.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

std::string query(const std::string &server);
bool good(const std::string &answer);

//===-- Warned: senders per element, one read --------------------------===//

// The seed, over a vector of servers: the first answer wins, the other
// senders block forever.
std::string firstAnswer(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>(); // WARN: senders started once per element of 'servers' send to channel 'res' but only 1 value is received before returning and it buffers 0: every sender past the first 1 blocks forever NOTE: close 'res' before returning so that the blocked senders fail instead of waiting, or give it a buffer as large as the number of senders
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach(); // NOTE: senders started here, once per element of 'servers'
  std::string r;
  res->pop(r);
  return r; // NOTE: returns here after receiving 1 value
}

// A buffered channel whose capacity is a constant: buffered_channel(2)
// holds 1, three servers already leave one sender blocked.
std::string smallBuffer(const std::vector<std::string> &servers) {
  buffered_channel<std::string> ch(2); // WARN: senders started once per element of 'servers' send to channel 'ch' but only 1 value is received before returning and it buffers 1: every sender past the first 2 blocks forever NOTE: close 'ch'
  for (size_t i = 0; i < servers.size(); ++i)
    boost::fibers::fiber([&ch, &servers, i] { ch.push(query(servers[i])); }).detach(); // NOTE: senders started here, once per element of 'servers'
  return ch.value_pop(); // NOTE: returns here after receiving 1 value
}

// Per request, up to a run-time count; std::async futures are joined by
// their destructors, which here wait on blocked senders.
int perRequest(int n) {
  unbuffered_channel<int> ch; // WARN: senders started once per iteration of a loop send to channel 'ch' but only 2 values are received {{.*}}every sender past the first 2 blocks forever NOTE: close 'ch'
  for (int i = 0; i < n; ++i)
    boost::fibers::fiber([&ch, i] { ch.push(i); }).detach(); // NOTE: senders started here, once per iteration up to 'n'
  int a = ch.value_pop();
  int b = ch.value_pop();
  return a + b; // NOTE: returns here after receiving 2 values
}

// The reader stops at the first match.
std::string firstGood(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>(); // WARN: senders started once per element of 'servers' {{.*}}only 1 value is received before returning NOTE: close 'res'
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach(); // NOTE: senders started here, once per element of 'servers'
  for (;;) {
    std::string r = res->value_pop();
    if (good(r))
      return r; // NOTE: returns here after receiving 1 value
  }
}

//===-- Silent ---------------------------------------------------------===//

// One receive per sender: drained (a loop of the same run-time count).
std::string drained(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach();
  std::string best;
  for (size_t i = 0; i < servers.size(); ++i) {
    std::string r = res->value_pop();
    if (r < best)
      best = r;
  }
  return best;
}

// Closed on the way out: the other senders' push fails at once.
std::string closedAfter(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach();
  std::string r;
  res->pop(r);
  res->close();
  return r;
}

// A buffer as large as the number of senders: not a constant, so not
// counted (and here it covers them all).
std::string bufferPerSender(const std::vector<std::string> &servers) {
  auto res = std::make_shared<buffered_channel<std::string>>(servers.size() * 2);
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach();
  std::string r;
  res->pop(r);
  return r;
}

// Senders that look at the status can stop.
std::string statusChecked(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  for (const std::string &s : servers)
    std::thread([res, s] {
      if (res->push(query(s)) == channel_op_status::closed)
        return;
    }).detach();
  std::string r;
  res->pop(r);
  res->close();
  return r;
}

// A sender started only for some elements, and a receive in the same
// loop as the start: not countable.
std::string someElements(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  for (const std::string &s : servers) {
    if (s.empty())
      continue;
    std::thread([res, s] { res->push(query(s)); }).detach();
  }
  return res->value_pop();
}

std::string lockStep(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  std::string last;
  for (const std::string &s : servers) {
    std::thread([res, s] { res->push(query(s)); }).detach();
    last = res->value_pop();
  }
  return last;
}

// A sender that sends under a condition may send nothing.
std::string maybeSends(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  for (const std::string &s : servers)
    std::thread([res, s] {
      std::string a = query(s);
      if (good(a))
        res->push(a);
    }).detach();
  return res->value_pop();
}

//===-- Warned: the reader leaves on a timeout or an error -------------===//

// A timed receive gets nothing for sure: returning on its timeout leaves
// every sender blocked.
std::string withTimeout(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>(); // WARN: senders started once per element of 'servers' send to channel 'res' but only 0 values are received before returning and it buffers 0: every sender blocks forever NOTE: close 'res'
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach(); // NOTE: senders started here, once per element of 'servers'
  std::string r;
  if (res->pop_wait_for(r, std::chrono::seconds(1)) == channel_op_status::timeout)
    return ""; // NOTE: returns here after receiving 0 values
  res->close();
  return r;
}

// An error answer makes the reader leave before the close.
std::string onError(const std::vector<std::string> &servers) {
  buffered_channel<std::string> ch(4); // WARN: senders started once per element of 'servers' {{.*}}only 1 value is received before returning and it buffers 3: every sender past the first 4 blocks forever NOTE: close 'ch'
  for (const std::string &s : servers)
    boost::fibers::fiber([&ch, s] { ch.push(query(s)); }).detach(); // NOTE: senders started here, once per element of 'servers'
  std::string r = ch.value_pop();
  if (r.empty())
    return "error"; // NOTE: returns here after receiving 1 value
  ch.close();
  return r;
}

// Closed on both ways out: silent.
std::string timeoutClosed(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach();
  std::string r;
  if (res->pop_wait_for(r, std::chrono::seconds(1)) == channel_op_status::timeout) {
    res->close();
    return "";
  }
  res->close();
  return r;
}

//===-- Silent: exits inside a receive loop taken on a count ------------===//

// The reader counts its answers and returns after the last: it drains every
// sender (the exit is taken on a count kept across iterations).
std::vector<std::string> allAnswers(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>();
  for (const std::string &s : servers)
    std::thread([res, s] { res->push(query(s)); }).detach();
  std::vector<std::string> out;
  size_t got = 0;
  while (true) {
    out.push_back(res->value_pop());
    if (++got == servers.size())
      return out;
  }
}

// Constant senders with a sentinel protocol: the reader leaves on the last
// value, which only the sender knows. (Exits inside a receive loop of
// run-time trip count are judged only against senders started per
// iteration, each sending one value.)
int untilSentinel() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] { ch.push(1); ch.push(-1); }).detach();
  int sum = 0;
  for (;;) {
    int v = ch.value_pop();
    if (v == -1)
      return sum;
    sum += v;
  }
}
