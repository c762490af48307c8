// REQUIRES: boost-thread
// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17

// Boost.Thread's synchronized queues, the real headers: sync_bounded_queue(n)
// holds n values and push_back blocks when it is full; sync_queue is
// unbounded (a push never blocks, values pile up instead).
#include <boost/thread/concurrent_queues/sync_bounded_queue.hpp>
#include <boost/thread/concurrent_queues/sync_queue.hpp>
#include <boost/thread/thread.hpp>
#include <memory>
#include <string>

using boost::concurrent::queue_op_status;
using boost::concurrent::sync_bounded_queue;
using boost::concurrent::sync_queue;

std::string fetch(int shard);
bool done(const std::string &s);

//===-- Form 1 ------------------------------------------------------------===//

std::string firstShard() {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(2); // WARN: 4 senders send 4 values to channel 'q' but only 1 is received before returning and it buffers 2: 1 sender blocks forever NOTE: close 'q' before returning
  for (int i = 0; i < 4; ++i)
    boost::thread([q, i] { q->push_back(fetch(i)); }).detach(); // NOTE: 4 senders started here
  std::string r;
  q->pull_front(r);
  return r; // NOTE: returns here after receiving 1 value
}

// Silent: the capacity holds every value but the one received.
std::string roomForAll() {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(3);
  for (int i = 0; i < 4; ++i)
    boost::thread([q, i] { q->push_back(fetch(i)); }).detach();
  std::string r;
  q->pull_front(r);
  return r;
}

// Silent: closed before returning (push_back then throws in the senders).
std::string closedAfterFirst() {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(1);
  for (int i = 0; i < 4; ++i)
    boost::thread([q, i] { q->push_back(fetch(i)); }).detach();
  std::string r;
  q->pull_front(r);
  q->close();
  return r;
}

// Silent: sync_queue never blocks a sender.
std::string unboundedFanOut() {
  auto q = std::make_shared<sync_queue<std::string>>();
  for (int i = 0; i < 4; ++i)
    boost::thread([q, i] { q->push(fetch(i)); }).detach();
  std::string r;
  q->pull(r);
  return r;
}

// The senders use wait_push_back and give up when it is closed -- but
// nothing closes it: checking the status does not unblock them.
std::string statusChecked() {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(1); // WARN: 4 senders send 4 values to channel 'q' but only 1 is received before returning and it buffers 1: 2 senders block forever NOTE: close 'q'
  for (int i = 0; i < 4; ++i)
    boost::thread([q, i] { // NOTE: 4 senders started here
      if (q->wait_push_back(fetch(i)) == queue_op_status::closed)
        return;
    }).detach();
  std::string r;
  q->pull_front(r);
  return r; // NOTE: returns here after receiving 1 value
}

// Silent: the same, closed by the reader.
std::string statusCheckedClosed() {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(1);
  for (int i = 0; i < 4; ++i)
    boost::thread([q, i] {
      if (q->wait_push_back(fetch(i)) == queue_op_status::closed)
        return;
    }).detach();
  std::string r;
  q->pull_front(r);
  q->close();
  return r;
}

//===-- Form 2 ------------------------------------------------------------===//

void scanUntilDone(int start) {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(16); // WARN: the producer sends to channel 'q' without end NOTE: close 'q' on that path
  boost::thread([q, start] {
    for (int i = start;; ++i) // NOTE: the producer's loop has no stop condition
      q->push_back(fetch(i));
  }).detach();
  for (;;) {
    std::string s = q->pull_front();
    if (done(s))
      return; // NOTE: the reader can stop here and 'q' is not closed afterwards
  }
}

// Silent: the reader closes the queue when it stops.
void scanAndClose(int start) {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(16);
  boost::thread([q, start] {
    for (int i = start;; ++i)
      q->push_back(fetch(i));
  }).detach();
  for (;;) {
    std::string s = q->pull_front();
    if (done(s)) {
      q->close();
      return;
    }
  }
}

//===-- Form 3 ------------------------------------------------------------===//

class Journal {
public:
  void append(const std::string &line) { lines_.push(line); } // NOTE: sent here

private:
  sync_queue<std::string> lines_; // WARN: 'lines_' is sent to but never received from in this translation unit: the values pile up until it is destroyed NOTE: receive from 'lines_'
};

// Silent: read by another member function.
class Mailbox {
public:
  void post(const std::string &m) { box_.push(m); }
  bool poll(std::string &m) {
    return box_.try_pull(m) == queue_op_status::success;
  }

private:
  sync_queue<std::string> box_;
};

//===-- Form 1, senders once per element of a run-time container ----------===//

#include <vector>

// A bounded queue of 2 and one thread per shard: the shards past the first
// three block in push_back.
std::string firstOfShards(const std::vector<int> &shards) {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(2); // WARN: senders started once per element of 'shards' send to channel 'q' but only 1 value is received before returning and it buffers 2: every sender past the first 3 blocks forever NOTE: close 'q'
  for (int s : shards)
    boost::thread([q, s] { q->push_back(fetch(s)); }).detach(); // NOTE: senders started here, once per element of 'shards'
  std::string r;
  q->pull_front(r);
  return r; // NOTE: returns here after receiving 1 value
}

// Silent: a capacity as large as the number of senders.
std::string roomPerShard(const std::vector<int> &shards) {
  auto q = std::make_shared<sync_bounded_queue<std::string>>(shards.size());
  for (int s : shards)
    boost::thread([q, s] { q->push_back(fetch(s)); }).detach();
  std::string r;
  q->pull_front(r);
  return r;
}

// Silent: an unbounded queue never blocks its senders.
std::string unboundedShards(const std::vector<int> &shards) {
  auto q = std::make_shared<sync_queue<std::string>>();
  for (int s : shards)
    boost::thread([q, s] { q->push(fetch(s)); }).detach();
  std::string r;
  q->pull(r);
  return r;
}
