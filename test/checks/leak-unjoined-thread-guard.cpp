// leak-unjoined-thread: a teardown that joins a thread member only when a
// flag is set (`if (running_) { running_ = false; t_.join(); }`), where the
// flag can be clear while the thread is still joinable: the worker clears it
// itself when it leaves its loop, or a start() that fails half-way returns
// after starting the thread but before setting it. The destructor of the
// joinable std::thread then calls std::terminate.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17

#include <atomic>
#include <thread>

bool connect_server();
bool open_log();
void work();

//===--- Reported -----------------------------------------------------------===//

// The worker clears running_ when the connection fails.
class Poller {
public:
  void start() {
    running_ = true;
    t_ = std::thread([this] { // NOTE: 't_' is started here in 'start'
      while (running_) {
        if (!connect_server()) {
          running_ = false; // NOTE: the worker clears 'running_' here, and the thread stays joinable until someone joins it
          break;
        }
        work();
      }
    });
  }
  ~Poller() {
    if (running_) { // WARN: the destructor joins thread member 't_' only if 'running_' is set, but 'running_' can be clear while the thread is still joinable; destroying a 'Poller' then calls std::terminate NOTE: taking the false branch NOTE: test joinable() on 't_' instead of 'running_' before joining
      running_ = false;
      t_.join();
    }
  }

private:
  std::atomic<bool> running_{false};
  std::thread t_;
};

// A start() that fails after starting the thread never sets started_; the
// destructor's stop() then skips the join.
class Loader {
public:
  bool start() {
    t_ = std::thread(&Loader::run, this);
    if (!open_log())
      return false; // NOTE: 'start' returns here after starting 't_' without setting 'started_'
    started_ = true;
    return true;
  }
  void stop() {
    if (started_) { // WARN: 'stop' joins thread member 't_' only if 'started_' is set, but 'started_' can be clear while the thread is still joinable
      started_ = false;
      t_.join();
    }
  }
  ~Loader() { stop(); }

private:
  void run();
  bool started_ = false;
  std::thread t_;
};

// exchange() as the guard; the worker's run() clears the flag through a
// helper of the class.
class Sender {
public:
  void start() {
    running_ = true;
    t_ = std::thread(&Sender::run, this);
  }
  void stop() {
    if (!running_.exchange(false)) // WARN: 'stop' joins thread member 't_' only if 'running_' is set NOTE: taking the true branch
      return;                      // NOTE: returns here
    t_.join();
  }
  ~Sender() { stop(); }

private:
  void run() {
    while (running_)
      if (!connect_server())
        fail();
  }
  void fail() { running_.store(false); } // NOTE: the worker clears 'running_' here
  std::atomic<bool> running_{false};
  std::thread t_;
};

// No destructor of its own: shutdown() is trusted to join, and skips it too.
class Watcher {
public:
  void start() {
    active_ = true;
    t_ = std::thread([this] {
      while (active_.load()) {
        if (!connect_server())
          active_ = false; // NOTE: the worker clears 'active_' here
      }
    });
  }
  void shutdown() {
    if (active_.load() == true) { // WARN: 'shutdown' joins thread member 't_' only if 'active_' is set
      active_ = false;
      t_.join();
    }
  }

private:
  std::atomic<bool> active_{false};
  std::thread t_;
};

//===--- Silent -------------------------------------------------------------===//

// The guard is joinable(): right whatever the worker did.
class JoinableGuard {
public:
  void start() {
    running_ = true;
    t_ = std::thread([this] {
      if (!connect_server())
        running_ = false;
    });
  }
  ~JoinableGuard() {
    running_ = false;
    if (t_.joinable())
      t_.join();
  }

private:
  std::atomic<bool> running_{false};
  std::thread t_;
};

// Only the owner writes the flag, and sets it before starting the thread.
class OwnerFlag {
public:
  void start() {
    running_ = true;
    t_ = std::thread([this] {
      while (running_)
        work();
    });
  }
  ~OwnerFlag() {
    if (running_) {
      running_ = false;
      t_.join();
    }
  }

private:
  std::atomic<bool> running_{false};
  std::thread t_;
};

// The join is unconditional: the worker clearing the flag changes nothing.
class Unconditional {
public:
  void start() {
    running_ = true;
    t_ = std::thread([this] {
      while (running_)
        if (!connect_server())
          running_ = false;
    });
  }
  ~Unconditional() {
    running_ = false;
    t_.join();
  }

private:
  std::atomic<bool> running_{false};
  std::thread t_;
};

// The failing start joins what it started before returning.
class CleanStart {
public:
  bool start() {
    t_ = std::thread(&CleanStart::run, this);
    if (!open_log()) {
      t_.join();
      return false;
    }
    started_ = true;
    return true;
  }
  ~CleanStart() {
    if (started_)
      t_.join();
  }

private:
  void run();
  bool started_ = false;
  std::thread t_;
};

// The flag is set before the thread starts: a failing start leaves it set.
class SetFirst {
public:
  bool start() {
    started_ = true;
    t_ = std::thread(&SetFirst::run, this);
    if (!open_log())
      return false;
    return true;
  }
  ~SetFirst() {
    if (started_)
      t_.join();
  }

private:
  void run();
  bool started_ = false;
  std::thread t_;
};

// A guard on state we cannot follow (a method of the class) stays silent,
// even with a flag the worker clears.
class OpaqueGuard {
public:
  void start() {
    running_ = true;
    t_ = std::thread([this] {
      if (!connect_server())
        running_ = false;
    });
  }
  ~OpaqueGuard() {
    if (ready())
      t_.join();
  }

private:
  bool ready() const;
  std::atomic<bool> running_{false};
  std::thread t_;
};

//===--- Reported: the worker sets the flag the guard skips on ---------------===//

// The worker marks itself done; the destructor joins only while not done.
class Job {
public:
  void start() {
    t_ = std::thread([this] {
      work();
      done_ = true; // NOTE: the worker sets 'done_' here, and the thread stays joinable until someone joins it
    });
  }
  ~Job() {
    if (!done_) // WARN: the destructor joins thread member 't_' only if 'done_' is clear, but 'done_' can be set while the thread is still joinable
      t_.join();
  }

private:
  std::atomic<bool> done_{false};
  std::thread t_;
};

// Silent: the worker sets the flag, but the guard joins when it is set; the
// clear edge is taken only before the worker got there (not a value the
// worker writes).
class Starter {
public:
  void start() {
    t_ = std::thread([this] {
      ready_ = true;
      work();
    });
  }
  ~Starter() {
    if (ready_)
      t_.join();
  }

private:
  std::atomic<bool> ready_{false};
  std::thread t_;
};
