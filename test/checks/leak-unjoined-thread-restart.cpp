// leak-unjoined-thread: overwriting a live thread member. A restart() or
// start() that move-assigns a new std::thread into a member another function
// may have left running (the constructor, or a method declared before)
// calls std::terminate, unless the path to the assignment joins, detaches
// or tests joinable() first -- directly or through the class's own stop().
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.RequireJoinInDestructor: true}}" %s leak-unjoined-thread -- -std=c++17

#include <atomic>
#include <thread>

//===--- Reported -----------------------------------------------------------===//

// Started in the constructor; stop() joins, but restart() does not call it.
class Poller {
public:
  Poller() : worker_(&Poller::run, this) {} // NOTE: 'worker_' is started here in the constructor
  void restart() {
    stop_ = false;
    worker_ = std::thread(&Poller::run, this); // WARN: a new thread is move-assigned into 'worker_' while the previous one may still be joinable; that assignment calls std::terminate NOTE: overwritten here while it may still be running NOTE: join the old thread
  }
  void stop() {
    stop_ = true;
    worker_.join();
  }
  ~Poller() { stop(); }

private:
  void run();
  std::atomic<bool> stop_{false};
  std::thread worker_;
};

// First started by start(); resume() starts it again without stopping it.
class Uploader {
public:
  void start() { worker_ = std::thread([this] { run(); }); } // NOTE: 'worker_' is started here in 'start'
  void resume() {
    paused_ = false;
    worker_ = std::thread([this] { run(); }); // WARN: a new thread is move-assigned into 'worker_' while the previous one may still be joinable
  }
  void stop() {
    if (worker_.joinable())
      worker_.join();
  }
  ~Uploader() { stop(); }

private:
  void run();
  std::atomic<bool> paused_{false};
  std::thread worker_;
};

// Joined on one branch only: the other path reaches the assignment.
class Reloader {
public:
  Reloader() : worker_([this] { run(); }) {}
  void reload(bool graceful) {
    if (graceful) { // NOTE: taking the false branch
      quit_ = true;
      worker_.join();
    }
    worker_ = std::thread([this] { run(); }); // WARN: a new thread is move-assigned into 'worker_' while the previous one may still be joinable
  }
  ~Reloader() {
    quit_ = true;
    if (worker_.joinable())
      worker_.join();
  }

private:
  void run();
  std::atomic<bool> quit_{false};
  std::thread worker_;
};

//===--- Silent -------------------------------------------------------------===//

// Joins through stop() first.
class StopsFirst {
public:
  StopsFirst() : worker_(&StopsFirst::run, this) {}
  void restart() {
    stop();
    worker_ = std::thread(&StopsFirst::run, this);
  }
  void stop() {
    quit_ = true;
    if (worker_.joinable())
      worker_.join();
  }
  ~StopsFirst() { stop(); }

private:
  void run();
  std::atomic<bool> quit_{false};
  std::thread worker_;
};

// Checks joinable() and joins.
class ChecksJoinable {
public:
  ChecksJoinable() : worker_(&ChecksJoinable::run, this) {}
  void restart() {
    if (worker_.joinable())
      worker_.join();
    worker_ = std::thread(&ChecksJoinable::run, this);
  }
  ~ChecksJoinable() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  void run();
  std::thread worker_;
};

// Detaches the old one.
class DetachesOld {
public:
  DetachesOld() : worker_(&DetachesOld::run, this) {}
  void restart() {
    worker_.detach();
    worker_ = std::thread(&DetachesOld::run, this);
  }
  ~DetachesOld() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  void run();
  std::thread worker_;
};

// Guarded by the object's own state: the guard may keep the old thread from
// running (unsure: silent).
class GuardedByFlag {
public:
  void start() {
    running_ = true;
    worker_ = std::thread([this] { run(); });
  }
  void resume() {
    if (running_)
      return;
    running_ = true;
    worker_ = std::thread([this] { run(); });
  }
  void stop() {
    running_ = false;
    if (worker_.joinable())
      worker_.join();
  }
  ~GuardedByFlag() { stop(); }

private:
  void run();
  std::atomic<bool> running_{false};
  std::thread worker_;
};

// The only start is start() itself: calling it twice is the caller's
// business.
class StartedOnce {
public:
  void start() { worker_ = std::thread([this] { run(); }); }
  void stop() {
    if (worker_.joinable())
      worker_.join();
  }
  ~StartedOnce() { stop(); }

private:
  void run();
  std::thread worker_;
};

// A stop defined in another file may join.
class StopsElsewhere {
public:
  StopsElsewhere() : worker_(&StopsElsewhere::run, this) {}
  void restart() {
    shutdown();
    worker_ = std::thread(&StopsElsewhere::run, this);
  }
  ~StopsElsewhere() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  void shutdown();
  void run();
  std::thread worker_;
};
