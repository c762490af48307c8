// REQUIRES: boost-thread
// boost::thread members. By default (BOOST_THREAD_VERSION 2) a boost::thread
// detaches when destroyed: a member running a loop that never ends outlives
// the object that owns it (and keeps using its `this`). With version 3 and
// later the destructor calls std::terminate: the member forms of std::thread
// apply instead. Read from the real header.
// RUN: %check_leak --allow-extra-notes --prefixes=,V2 %s leak-unjoined-thread -- -std=c++17
// RUN: %check_leak --allow-extra-notes --prefixes=,V4 %s leak-unjoined-thread -- -std=c++17 -DBOOST_THREAD_VERSION=4

#include <boost/thread.hpp>
#include <atomic>

int next_job();
void handle(int job);

//===--- Reported -----------------------------------------------------------===//

// The consumer loops forever; the destructor does nothing about it.
class Consumer {
public:
  Consumer() : worker_(&Consumer::run, this) {} // V2-NOTE: started here V4-NOTE: started here
private:
  void run() {
    for (;;) // V2-NOTE: this loop has no exit
      handle(next_job());
  }
  boost::thread worker_; // V2-WARN: thread member 'worker_' runs a loop that never ends, and nothing joins or interrupts it when 'Consumer' is destroyed; its destructor detaches it, so the thread outlives its owner V4-WARN: thread member 'worker_' is started in the constructor but the destructor of 'Consumer' never joins or detaches it
};

// Started by start() with a lambda; the user-written destructor only logs.
void log_line(const char *);
class Pump {
public:
  void start() {
    worker_ = boost::thread([this] { // V2-NOTE: started here
      while (true) // V2-NOTE: this loop has no exit
        handle(next_job());
    });
  }
  ~Pump() { log_line("pump gone"); }

private:
  boost::thread worker_; // V2-WARN: thread member 'worker_' runs a loop that never ends V4-WARN: thread member 'worker_' is started in 'start' but the destructor of 'Pump' never joins or detaches it
};

//===--- Silent -------------------------------------------------------------===//

// interrupt() + join() in the destructor (the loop has an interruption point).
class Interrupted {
public:
  Interrupted() : worker_(&Interrupted::run, this) {}
  ~Interrupted() {
    worker_.interrupt();
    worker_.join();
  }

private:
  void run() {
    for (;;) {
      boost::this_thread::interruption_point();
      handle(next_job());
    }
  }
  boost::thread worker_;
};

// The destructor joins: the loop has a stop flag.
class Flagged {
public:
  Flagged() : worker_(&Flagged::run, this) {}
  ~Flagged() {
    stop_ = true;
    worker_.join();
  }

private:
  void run() {
    while (!stop_)
      handle(next_job());
  }
  std::atomic<bool> stop_{false};
  boost::thread worker_;
};

// The body finishes on its own: detaching at destruction is not a leak
// (V2); with V4 it is still never joined.
class OneShot {
public:
  OneShot() : worker_([] { handle(1); }) {}
private:
  boost::thread worker_; // V4-WARN: thread member 'worker_' is started in the constructor but the destructor of 'OneShot' never joins or detaches it
};

// The loop reads a member the owner can change: it may stop (V2 silent).
class MemberLoop {
public:
  MemberLoop() : worker_(&MemberLoop::run, this) {}
  ~MemberLoop() { quit_ = true; }
private:
  void run() {
    while (!quit_)
      handle(next_job());
  }
  std::atomic<bool> quit_{false};
  boost::thread worker_; // V4-WARN: thread member 'worker_' is started in the constructor but the destructor of 'MemberLoop' never joins or detaches it
};
