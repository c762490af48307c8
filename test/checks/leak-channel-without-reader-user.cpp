// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-channel-without-reader.ChannelTypes: '+acme::Channel', leak-channel-without-reader.SendFunctions: '+acme::Channel::send', leak-channel-without-reader.TrySendFunctions: '+acme::Channel::try_send', leak-channel-without-reader.ReceiveFunctions: '+acme::Channel::recv', leak-channel-without-reader.TryReceiveFunctions: '+acme::Channel::try_recv', leak-channel-without-reader.CloseFunctions: '+acme::Channel::close', leak-channel-without-reader.CapacitySemantics: '+acme::Channel=arg', leak-channel-without-reader.StartFunctions: '+acme::ThreadPool::submit'}}" --prefixes=OPT %s leak-channel-without-reader -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-channel-without-reader.ChannelTypes: '+acme::Channel', leak-channel-without-reader.SendFunctions: '+acme::Channel::send', leak-channel-without-reader.TrySendFunctions: '+acme::Channel::try_send', leak-channel-without-reader.ReceiveFunctions: '+acme::Channel::recv', leak-channel-without-reader.TryReceiveFunctions: '+acme::Channel::try_recv', leak-channel-without-reader.CloseFunctions: '+acme::Channel::close', leak-channel-without-reader.CapacitySemantics: '+acme::Channel=unbuffered', leak-channel-without-reader.StartFunctions: '+acme::ThreadPool::submit'}}" --prefixes=UNBUF %s leak-channel-without-reader -- -std=c++17

// An in-house channel and thread pool (no real header: code bases write
// their own). Without configuration the check does not know them and stays
// silent; configured through the options it treats them like the built-in
// channel families.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace acme {
template <class T> class Channel {
public:
  explicit Channel(std::size_t capacity = 0) : cap_(capacity) {}
  bool send(T v) {
    std::unique_lock<std::mutex> lk(m_);
    notFull_.wait(lk, [&] { return closed_ || q_.size() < cap_; });
    if (closed_)
      return false;
    q_.push_back(std::move(v));
    notEmpty_.notify_one();
    return true;
  }
  bool try_send(T v);
  bool recv(T &out) {
    std::unique_lock<std::mutex> lk(m_);
    notEmpty_.wait(lk, [&] { return closed_ || !q_.empty(); });
    if (q_.empty())
      return false;
    out = std::move(q_.front());
    q_.pop_front();
    notFull_.notify_one();
    return true;
  }
  bool try_recv(T &out);
  void close() {
    std::lock_guard<std::mutex> lk(m_);
    closed_ = true;
    notFull_.notify_all();
    notEmpty_.notify_all();
  }

private:
  std::size_t cap_;
  bool closed_ = false;
  std::deque<T> q_;
  std::mutex m_;
  std::condition_variable notFull_, notEmpty_;
};

class ThreadPool {
public:
  void submit(std::function<void()> task);
};
} // namespace acme

int lookup(int replica);

// Form 1 with the in-house channel and pool: capacity 1, 3 senders.
int fastestReplica(acme::ThreadPool &pool) {
  auto ch = std::make_shared<acme::Channel<int>>(1); // OPT-WARN: 3 senders send 3 values to channel 'ch' but only 1 is received before returning and it buffers 1: 1 sender blocks forever OPT-NOTE: close 'ch' UNBUF-WARN: 3 senders send 3 values to channel 'ch' but only 1 is received before returning and it buffers 0: 2 senders block forever UNBUF-NOTE: close 'ch'
  for (int r = 0; r < 3; ++r)
    pool.submit([ch, r] { ch->send(lookup(r)); }); // OPT-NOTE: 3 senders started here UNBUF-NOTE: 3 senders started here
  int v = 0;
  ch->recv(v);
  return v; // OPT-NOTE: returns here after receiving 1 value UNBUF-NOTE: returns here after receiving 1 value
}

// The same with std::thread (a default start function).
int fastestThread() {
  auto ch = std::make_shared<acme::Channel<int>>(1); // OPT-WARN: 3 senders send 3 values OPT-NOTE: close 'ch' UNBUF-WARN: 3 senders send 3 values UNBUF-NOTE: close 'ch'
  for (int r = 0; r < 3; ++r)
    std::thread([ch, r] { ch->send(lookup(r)); }).detach(); // OPT-NOTE: 3 senders started here UNBUF-NOTE: 3 senders started here
  int v = 0;
  ch->recv(v);
  return v; // OPT-NOTE: returns here after receiving 1 value UNBUF-NOTE: returns here after receiving 1 value
}

// Silent: closed before returning.
int fastestClosed() {
  auto ch = std::make_shared<acme::Channel<int>>(1);
  for (int r = 0; r < 3; ++r)
    std::thread([ch, r] { ch->send(lookup(r)); }).detach();
  int v = 0;
  ch->recv(v);
  ch->close();
  return v;
}

// Form 3: written, never read.
class Metrics {
public:
  void add(int v) { samples_.try_send(v); } // OPT-NOTE: sent here UNBUF-NOTE: sent here
private:
  acme::Channel<int> samples_{128}; // OPT-WARN: 'samples_' is sent to but never received from OPT-NOTE: receive from 'samples_' UNBUF-WARN: 'samples_' is sent to but never received from UNBUF-NOTE: receive from 'samples_'
};

// Silent: read with try_recv.
class Inbox {
public:
  void put(int v) { box_.send(v); }
  bool poll(int &v) { return box_.try_recv(v); }

private:
  acme::Channel<int> box_{16};
};
