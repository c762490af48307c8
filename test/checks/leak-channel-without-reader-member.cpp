// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17

// Form 4: channels held as members. A worker object owns a bounded channel
// and a consumer thread; its stop path makes the consumer stop reading (a
// flag, a break) without closing the channel, so producers still sending
// block forever once it is full. Real Boost.Fiber and Boost.Thread headers.
#include <atomic>
#include <boost/fiber/all.hpp>
#include <boost/thread/concurrent_queues/sync_bounded_queue.hpp>
#include <memory>
#include <thread>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
void handle(int);

// The consumer loops while `running_`; stop() clears it and joins.
class Worker {
public:
  Worker() : consumer_([this] {
      while (running_) { // NOTE: the consumer stops reading here
        int v = 0;
        if (jobs_.pop(v) == channel_op_status::success)
          handle(v);
      }
    }) {}
  void submit(int v) { jobs_.push(v); } // NOTE: a producer sends here and blocks once 'jobs_' is full
  void stop() {
    running_ = false;
    consumer_.join();
  }

private:
  std::atomic<bool> running_{true};
  buffered_channel<int> jobs_{64}; // WARN: the consumer of channel 'jobs_' can stop reading without closing it: once it is full every producer blocks forever NOTE: 'jobs_' is never closed in this translation unit NOTE: close 'jobs_' when the consumer stops (before joining it)
  std::thread consumer_;
};

// The consumer breaks out of a range-for over the channel on a stop flag.
// A producer that checks push's status is no better off: nothing closes.
class Logger {
public:
  void start() {
    thread_ = std::thread([this] {
      for (int line : lines_) {
        if (stopping_) // NOTE@+1: the consumer stops reading here
          break;
        handle(line);
      }
    });
  }
  bool log(int line) {
    return lines_.push(line) == channel_op_status::success; // NOTE: a producer sends here
  }
  void stop() {
    stopping_ = true;
    thread_.join();
  }

private:
  bool stopping_ = false;
  buffered_channel<int> lines_{16}; // WARN: the consumer of channel 'lines_' can stop reading NOTE: 'lines_' is never closed NOTE: close 'lines_' when the consumer stops
  std::thread thread_;
};

// Boost.Thread's sync_bounded_queue as a member, consumer in a method.
class Pipeline {
public:
  void feed(int v) { q_.push_back(v); } // NOTE: a producer sends here
  void drainLoop() {
    while (!done_.load()) { // NOTE: the consumer stops reading here
      int v;
      q_.pull_front(v);
      handle(v);
    }
  }
  void shutdown() { done_ = true; }

private:
  std::atomic<bool> done_{false};
  boost::concurrent::sync_bounded_queue<int> q_{8}; // WARN: the consumer of channel 'q_' can stop reading NOTE: 'q_' is never closed NOTE: close 'q_' when the consumer stops
};

//===-- Silent -------------------------------------------------------------===//

// Control: stop() closes the channel before joining: blocked producers fail.
class ClosingWorker {
public:
  ClosingWorker() : consumer_([this] {
      while (running_) {
        int v = 0;
        if (jobs_.pop(v) != channel_op_status::success)
          return;
        handle(v);
      }
    }) {}
  void submit(int v) { jobs_.push(v); }
  void stop() {
    running_ = false;
    jobs_.close();
    consumer_.join();
  }

private:
  std::atomic<bool> running_{true};
  buffered_channel<int> jobs_{64};
  std::thread consumer_;
};

// The consumer reads until the channel is closed (no flag): it never stops
// reading on its own.
class DrainingWorker {
public:
  DrainingWorker() : consumer_([this] {
      for (int v : jobs_)
        handle(v);
    }) {}
  void submit(int v) { jobs_.push(v); }

private:
  buffered_channel<int> jobs_{64};
  std::thread consumer_;
};

// Producers only try: a full channel makes try_push fail, not block.
class TryingWorker {
public:
  TryingWorker() : consumer_([this] {
      while (running_) {
        int v = 0;
        if (jobs_.pop(v) == channel_op_status::success)
          handle(v);
      }
    }) {}
  bool submit(int v) { return jobs_.try_push(v) == channel_op_status::success; }
  void stop() { running_ = false; consumer_.join(); }

private:
  std::atomic<bool> running_{true};
  buffered_channel<int> jobs_{64};
  std::thread consumer_;
};

// A consumer that stops on a sentinel value the producers send: it stops
// when the producers say so, not on a flag.
class SentinelWorker {
public:
  SentinelWorker() : consumer_([this] {
      for (;;) {
        int v = jobs_.value_pop();
        if (v < 0)
          break;
        handle(v);
      }
    }) {}
  void submit(int v) { jobs_.push(v); }

private:
  buffered_channel<int> jobs_{64};
  std::thread consumer_;
};

// The channel is handed to code we cannot see: it may close it.
void adopt(buffered_channel<int> &);
class SharedWorker {
public:
  SharedWorker() : consumer_([this] {
      while (running_) {
        int v = 0;
        jobs_.pop(v);
        handle(v);
      }
    }) { adopt(jobs_); }
  void submit(int v) { jobs_.push(v); }
  void stop() { running_ = false; consumer_.join(); }

private:
  std::atomic<bool> running_{true};
  buffered_channel<int> jobs_{64};
  std::thread consumer_;
};
