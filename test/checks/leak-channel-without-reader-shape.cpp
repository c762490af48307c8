// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-channel-without-reader.ChannelMethodRoles: 'acme::Mailbox::put=send;acme::Mailbox::take=receive;acme::Mailbox::shutdown=close', leak-channel-without-reader.CapacitySemantics: '+acme::Mailbox=unbuffered'}}" --prefixes=,ROLES %s leak-channel-without-reader -- -std=c++17
// RUN: %clang_tidy_plugin --checks='-*,leak-channel-without-reader' --config="{CheckOptions: {leak-channel-without-reader.ChannelMethodRoles: 'acme::Mailbox::put=sendd;acme::Mailbox;put=send;acme::Mailbox::take=receive'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=BADROLE %s
// BADROLE: warning: invalid value in option 'leak-channel-without-reader.ChannelMethodRoles': 'acme::Mailbox' is not 'Type::method=role'
// BADROLE: warning: invalid value in option 'leak-channel-without-reader.ChannelMethodRoles': 'acme::Mailbox::put=sendd' is not 'Type::method=role' with role one of send, try-send, receive, try-receive, close
// BADROLE: warning: invalid value in option 'leak-channel-without-reader.ChannelMethodRoles': 'put' is not 'Type::method'

// In-house channels recognised by their shape, with no configuration: a
// class with a mutex, a condition variable and a queue whose push waits
// while the queue is full is a bounded channel (send: the waiting push;
// receive: the pop that notifies; close: the method that sets the flag the
// push waits on). Real <mutex>, <condition_variable>, <deque> headers.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

int lookup(int);
void handle(int);

namespace acme {
// A bounded queue, written the usual way.
template <class T> class BoundedQueue {
public:
  explicit BoundedQueue(std::size_t cap) : cap_(cap) {}
  void push(T v) {
    std::unique_lock<std::mutex> lk(m_);
    notFull_.wait(lk, [&] { return closed_ || q_.size() < cap_; });
    if (closed_)
      return;
    q_.push_back(std::move(v));
    notEmpty_.notify_one();
  }
  T pop() {
    std::unique_lock<std::mutex> lk(m_);
    notEmpty_.wait(lk, [&] { return !q_.empty(); });
    T v = std::move(q_.front());
    q_.pop_front();
    notFull_.notify_one();
    return v;
  }
  void close() {
    std::lock_guard<std::mutex> lk(m_);
    closed_ = true;
    notFull_.notify_all();
  }

private:
  std::size_t cap_;
  bool closed_ = false;
  std::deque<T> q_;
  std::mutex m_;
  std::condition_variable notFull_, notEmpty_;
};

// The same with a `while` around the wait, not a template.
class IntRing {
public:
  IntRing(int cap) : cap_(cap) {}
  void put(int v) {
    std::unique_lock<std::mutex> lk(m_);
    while (static_cast<int>(q_.size()) >= cap_)
      cv_.wait(lk);
    q_.push(v);
    cv_.notify_all();
  }
  int get() {
    std::unique_lock<std::mutex> lk(m_);
    while (q_.empty())
      cv_.wait(lk);
    int v = q_.front();
    q_.pop();
    cv_.notify_all();
    return v;
  }

private:
  int cap_;
  std::queue<int> q_;
  std::mutex m_;
  std::condition_variable cv_;
};

// Unbounded: push never waits. Not a blocking channel.
class EventQueue {
public:
  void push(int v) {
    std::lock_guard<std::mutex> lk(m_);
    q_.push_back(v);
    cv_.notify_one();
  }
  int pop() {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [&] { return !q_.empty(); });
    int v = q_.front();
    q_.pop_front();
    return v;
  }

private:
  std::deque<int> q_;
  std::mutex m_;
  std::condition_variable cv_;
};

// Its push waits for room through a helper: the shape is not enough, the
// options name the roles (RUN 2).
class Mailbox {
public:
  void put(int v) {
    std::unique_lock<std::mutex> lk(m_);
    waitForRoom(lk);
    q_.push_back(v);
  }
  int take();
  void shutdown();

private:
  void waitForRoom(std::unique_lock<std::mutex> &lk);
  std::deque<int> q_;
  std::mutex m_;
  std::condition_variable cv_;
};
} // namespace acme

// Form 1 (seed 002's multiQuery) on the in-house queue: room for 1, three
// senders, one read.
int fastest() {
  acme::BoundedQueue<int> q(1); // WARN: 3 senders send 3 values to channel 'q' but only 1 is received before returning and it buffers 1: 1 sender blocks forever NOTE: close 'q'
  for (int i = 0; i < 3; ++i)
    std::thread([&q, i] { q.push(lookup(i)); }).detach(); // NOTE: 3 senders started here
  return q.pop(); // NOTE: returns here after receiving 1 value
}

// Silent: the shape's close, before returning.
int fastestClosed() {
  acme::BoundedQueue<int> q(1);
  for (int i = 0; i < 3; ++i)
    std::thread([&q, i] { q.push(lookup(i)); }).detach();
  int v = q.pop();
  q.close();
  return v;
}

// Silent: room for every sender.
int fastestRoomy() {
  acme::BoundedQueue<int> q(4);
  for (int i = 0; i < 3; ++i)
    std::thread([&q, i] { q.push(lookup(i)); }).detach();
  return q.pop();
}

// Form 1 with the `while`-shaped ring.
int firstOfRing() {
  acme::IntRing r(1); // WARN: 3 senders send 3 values to channel 'r' but only 1 is received before returning and it buffers 1: 1 sender blocks forever NOTE: close 'r'
  for (int i = 0; i < 3; ++i)
    std::thread([&r, i] { r.put(lookup(i)); }).detach(); // NOTE: 3 senders started here
  return r.get(); // NOTE: returns here after receiving 1 value
}

// Silent: an unbounded queue's senders never block.
int firstEvent() {
  acme::EventQueue q;
  for (int i = 0; i < 3; ++i)
    std::thread([&q, i] { q.push(lookup(i)); }).detach();
  return q.pop();
}

// Form 4 with the in-house queue as a member: the consumer stops on a flag,
// nothing calls close().
class Dispatcher {
public:
  void start() {
    t_ = std::thread([this] {
      while (!stop_) { // NOTE: the consumer stops reading here
        handle(jobs_.pop());
      }
    });
  }
  void post(int v) { jobs_.push(v); } // NOTE: a producer sends here
  void stop() {
    stop_ = true;
    t_.join();
  }

private:
  bool stop_ = false;
  acme::BoundedQueue<int> jobs_{32}; // WARN: the consumer of channel 'jobs_' can stop reading without closing it NOTE: 'jobs_' is never closed NOTE: close 'jobs_' when the consumer stops
  std::thread t_;
};

// Only with the roles named (RUN 2): the Mailbox's put waits in a helper.
int firstMail() {
  acme::Mailbox m; // ROLES-WARN: 3 senders send 3 values to channel 'm' but only 1 is received before returning and it buffers 0: 2 senders block forever ROLES-NOTE: close 'm'
  for (int i = 0; i < 3; ++i)
    std::thread([&m, i] { m.put(lookup(i)); }).detach(); // ROLES-NOTE: 3 senders started here
  return m.take(); // ROLES-NOTE: returns here after receiving 1 value
}
