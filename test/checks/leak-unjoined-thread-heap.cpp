// leak-unjoined-thread: heap threads held by a member (`std::thread *`,
// `std::unique_ptr<std::thread>`). `delete worker_`, `worker_.reset()` or a
// new unique_ptr assigned over the old one runs the destructor of a thread
// that may still be joinable: std::terminate. Silent when the path to the
// deletion joins, detaches or tests joinable() first.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17

#include <atomic>
#include <memory>
#include <thread>

//===--- Reported -----------------------------------------------------------===//

// The destructor asks the thread to stop but deletes it unjoined.
class Flusher {
public:
  Flusher() : worker_(new std::thread(&Flusher::run, this)) {} // NOTE: 'worker_' is started here in the constructor
  ~Flusher() {
    stop_ = true;
    delete worker_; // WARN: the thread 'worker_' points to is destroyed here while it may still be joinable; its destructor calls std::terminate NOTE: destroyed here while it may still be running NOTE: join the old thread (after asking it to stop) before destroying it
  }

private:
  void run();
  std::atomic<bool> stop_{false};
  std::thread *worker_;
};

// Joined only when asked to wait.
class Shipper {
public:
  Shipper() { worker_ = new std::thread([this] { run(); }); }
  void shutdown(bool wait) {
    stop_ = true;
    if (wait) // NOTE: taking the false branch
      worker_->join();
    delete worker_; // WARN: the thread 'worker_' points to is destroyed here while it may still be joinable
    worker_ = nullptr;
  }
  ~Shipper() {
    if (worker_) {
      worker_->join();
      delete worker_;
    }
  }

private:
  void run();
  std::atomic<bool> stop_{false};
  std::thread *worker_ = nullptr;
};

// unique_ptr: reset() without a join.
class Indexer {
public:
  void start() { worker_ = std::make_unique<std::thread>([this] { run(); }); } // NOTE: 'worker_' is started here in 'start'
  void stop() {
    stop_ = true;
    worker_.reset(); // WARN: the thread 'worker_' points to is destroyed here while it may still be joinable
  }
  ~Indexer() {
    if (worker_ && worker_->joinable())
      worker_->join();
  }

private:
  void run();
  std::atomic<bool> stop_{false};
  std::unique_ptr<std::thread> worker_;
};

// unique_ptr: a new thread assigned over one the constructor started.
class Rotator {
public:
  Rotator() : worker_(std::make_unique<std::thread>([this] { run(); })) {}
  void rotate() {
    worker_ = std::make_unique<std::thread>([this] { run(); }); // WARN: the thread 'worker_' points to is destroyed here while it may still be joinable
  }
  ~Rotator() { worker_->join(); }

private:
  void run();
  std::unique_ptr<std::thread> worker_;
};

// unique_ptr never joined: destroying the object destroys the thread.
class Orphan {
public:
  Orphan() : worker_(new std::thread([] {})) {} // NOTE: started here
private:
  std::unique_ptr<std::thread> worker_; // WARN: thread member 'worker_' is started in the constructor but the destructor of 'Orphan' never joins or detaches it
};

//===--- Silent -------------------------------------------------------------===//

class JoinsThenDeletes {
public:
  JoinsThenDeletes() : worker_(new std::thread(&JoinsThenDeletes::run, this)) {}
  ~JoinsThenDeletes() {
    stop_ = true;
    worker_->join();
    delete worker_;
  }

private:
  void run();
  std::atomic<bool> stop_{false};
  std::thread *worker_;
};

class ChecksThenResets {
public:
  void start() { worker_.reset(new std::thread([this] { run(); })); }
  void stop() {
    if (worker_ && worker_->joinable())
      worker_->join();
    worker_.reset();
  }
  ~ChecksThenResets() { stop(); }

private:
  void run();
  std::unique_ptr<std::thread> worker_;
};

// stop() joins and deletes; the destructor only deletes what is left (a
// start/stop protocol, trusted).
class StopProtocol {
public:
  void start() { worker_ = new std::thread([this] { run(); }); }
  void stop() {
    if (!worker_)
      return;
    worker_->join();
    delete worker_;
    worker_ = nullptr;
  }
  ~StopProtocol() { delete worker_; }

private:
  void run();
  std::thread *worker_ = nullptr;
};

// Detached before the reset.
class DetachesFirst {
public:
  DetachesFirst() : worker_(std::make_unique<std::thread>([] {})) {}
  void drop() {
    worker_->detach();
    worker_.reset();
  }
  ~DetachesFirst() {
    if (worker_ && worker_->joinable())
      worker_->join();
  }

private:
  std::unique_ptr<std::thread> worker_;
};

// Handed to someone else: not followed.
void adopt(std::thread *t);
class HandsOff {
public:
  HandsOff() : worker_(new std::thread([] {})) { adopt(worker_); }
  ~HandsOff() { delete worker_; }

private:
  std::thread *worker_;
};

// unique_ptr joined by the destructor.
class JoinedUnique {
public:
  JoinedUnique() : worker_(new std::thread([] {})) {}
  ~JoinedUnique() { worker_->join(); }

private:
  std::unique_ptr<std::thread> worker_;
};
