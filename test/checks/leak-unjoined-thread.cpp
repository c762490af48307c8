// leak-unjoined-thread with libstdc++'s std::thread: forms 1, 2, 4, 5, 6 and
// the silent shapes next to them.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17
// RUN: %check_leak --allow-extra-notes --prefixes=,CXX20 %s leak-unjoined-thread -- -std=c++20 -DCXX20
// C++14: `auto t = std::thread(f)` goes through an elided move constructor.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++14
// No exception paths: the may-throw cases go silent, explicit throws stay.
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.AnalyzeExceptionPaths: false}}" --prefixes=NOEXC %s leak-unjoined-thread -- -std=c++17
// Members joined only by a stop()/shutdown() method are reported too.
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.RequireJoinInDestructor: true}}" --prefixes=,STRICT %s leak-unjoined-thread -- -std=c++17
// Nothing counts as non-throwing any more: std::cout << ... is a path.
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.NonThrowingFunctions: ''}}" --prefixes=,THROWS %s leak-unjoined-thread -- -std=c++17
// Thread per connection reported too.
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.ReportDetachedThreadsPerTurn: true}}" --prefixes=,PERTURN %s leak-unjoined-thread -- -std=c++17
// Robustness: the same file with a function cut off must not crash.
// RUN: %check_leak --allow-errors --allow-extra-notes --prefixes=,BROKEN %s leak-unjoined-thread -- -std=c++17 -DBROKEN

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#if defined(CXX20)
#include <stop_token>
#endif

void work();
void work_with(int);
bool ready() noexcept;
int next_client();
void handle(int);
void may_throw();
void no_throw() noexcept;
extern "C" void c_function(void);

//===--- Form 1: a local std::thread left joinable on some path ----------===//

void early_return() {
  std::thread t(work); // WARN: thread 't' is still joinable when it goes out of scope on this path; its destructor calls std::terminate NOEXC-WARN: thread 't' is still joinable when it goes out of scope
  if (!ready())        // NOTE: taking the true branch
    return;            // NOTE: returns here
  t.join();
}

void break_out_of_scope() {
  for (int i = 0; i < 3; ++i) {
    std::thread t(work_with, i); // WARN: still joinable when it goes out of scope on this path NOEXC-WARN: still joinable
    if (i == 1)
      break;                     // NOTE: breaks out here
    t.join();
  }
}

void continue_out_of_scope() {
  for (int i = 0; i < 3; ++i) {
    std::thread t(work_with, i); // WARN: still joinable when it goes out of scope on this path NOEXC-WARN: still joinable
    if (i == 1)
      continue;                  // NOTE: continues here
    t.join();
  }
}

void explicit_throw(int n) {
  std::thread t(work); // WARN: still joinable if an exception leaves its scope NOEXC-WARN: still joinable if an exception leaves its scope
  if (n < 0)
    throw std::invalid_argument("n"); // NOTE: throws here
  t.join();
}

void call_that_may_throw() {
  std::thread t(work); // WARN: thread 't' is still joinable if an exception leaves its scope; its destructor calls std::terminate
  may_throw();         // NOTE: 'may_throw' may throw here
  t.join();
}

void switch_case(int k) {
  std::thread t(work); // WARN: still joinable when it goes out of scope on this path NOEXC-WARN: still joinable
  switch (k) {
  case 1:
    t.join();
    break;
  default:
    return;
  }
}

void started_by_assignment() {
  std::thread t;
  t = std::thread(work); // NOTE: thread started here
  if (!ready())
    return;
  t.join();
}
// WARN@-6: thread 't' is still joinable NOEXC-WARN@-6: thread 't' is still joinable

void correlated_start_and_join(bool background) {
  std::thread t;
  if (background)
    t = std::thread(work);
  no_throw();
  if (background)
    t.join();
}

void restarted_in_a_loop(int n) {
  std::thread t; // WARN: a new thread is move-assigned into 't' while the previous one may still be joinable NOEXC-WARN: a new thread is move-assigned into 't'
  for (int i = 0; i < n; ++i)
    t = std::thread(work_with, i); // NOTE: started again here
  if (t.joinable())
    t.join();
}

void restarted_after_join(int n) {
  std::thread t;
  for (int i = 0; i < n; ++i) {
    t = std::thread(work_with, i);
    t.join();
  }
}

void in_lambda() {
  auto run = [] {
    std::thread t(work); // WARN: still joinable NOEXC-WARN: still joinable
    if (ready())
      return;
    t.join();
  };
  run();
}

// Silent: joined or detached on every path.
void joined_on_every_path() {
  std::thread t(work);
  if (!ready()) {
    t.join();
    return;
  }
  t.join();
}

void joinable_test() {
  std::thread t(work);
  if (t.joinable())
    t.join();
}

void detached_finite_body() {
  std::thread t([] { work(); });
  t.detach();
}

void condition_that_may_throw() {
  std::thread t(work); // WARN: still joinable if an exception leaves its scope
  if (next_client() < 0) { // NOTE: 'next_client' may throw here
    t.join();
    return;
  }
  t.join();
}

struct Server {
  bool Running = false;
  bool is_running() const { return Running; } // visible, cannot throw
  void check() const {
    if (!Running)
      throw std::runtime_error("down"); // visible, throws
  }
};

void visible_body_cannot_throw(Server &S) {
  std::thread t(work);
  while (!S.is_running())
    std::this_thread::yield();
  t.join();
}

void visible_body_throws(Server &S) {
  std::thread t(work); // WARN: still joinable if an exception leaves its scope
  S.check();           // NOTE: 'Server::check' may throw here
  t.join();
}

void only_noexcept_calls_between() {
  std::thread t(work); // THROWS-WARN: still joinable if an exception leaves its scope
  no_throw();
  c_function();
  std::cout << "started " << 42 << std::endl; // streams: not a may-throw path
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  t.join();
}

void two_threads_and_a_string() {
  // Starting the second thread, or building a string, fails only when
  // memory or threads run out: not treated as a may-throw path.
  std::thread a(work); // THROWS-WARN: thread 'a' is still joinable if an exception leaves its scope
  std::thread b(work_with, 2); // THROWS-WARN: thread 'b' is still joinable if an exception leaves its scope
  std::string name = "worker";
  a.join();
  b.join();
}

struct JoinGuard {
  std::thread &T;
  ~JoinGuard() {
    if (T.joinable())
      T.join();
  }
};

void raii_guard() {
  std::thread t(work);
  JoinGuard g{t};
  may_throw();
  if (!ready())
    return;
}

template <typename F> struct ScopeExit {
  F Fn;
  ~ScopeExit() { Fn(); }
};
template <typename F> ScopeExit<F> make_scope_exit(F Fn) { return {Fn}; }

void scope_exit_helper() {
  std::thread t(work);
  auto guard = make_scope_exit([&] { t.join(); });
  may_throw();
}

void try_catch_join_rethrow() {
  std::thread t(work);
  try {
    may_throw();
  } catch (...) {
    t.join();
    throw;
  }
  t.join();
}

struct Owner {
  std::thread Worker;
  std::vector<std::thread> Pool;
  ~Owner() {
    if (Worker.joinable())
      Worker.join();
    for (std::thread &T : Pool)
      T.join();
  }
};

void moved_into_member(Owner &O) {
  std::thread t(work);
  O.Worker = std::move(t);
}

void moved_into_container(std::vector<std::thread> &Out) {
  std::thread t(work);
  Out.push_back(std::move(t));
}

std::thread returned_to_caller() {
  std::thread t(work);
  return t;
}

struct ThreadPool {
  void adopt(std::thread T);
};

void given_to_a_pool(ThreadPool &P) {
  std::thread t(work);
  P.adopt(std::move(t));
}

void passed_by_reference(std::thread &Out);
void handed_by_reference() {
  std::thread t(work);
  passed_by_reference(t);
}

#if defined(CXX20)
void jthread_is_fine() {
  std::jthread t(work);
  if (!ready())
    return;
}
#endif

//===--- Form 2: threads in a local container ---------------------------===//

void container_never_joined() {
  std::vector<std::thread> ts; // WARN: threads added to 'ts' are never joined or detached; destroying 'ts' calls std::terminate NOEXC-WARN: threads added to 'ts'
  for (int i = 0; i < 4; ++i)
    ts.emplace_back(work_with, i); // NOTE: thread added here
}

void container_push_back_never_joined() {
  std::vector<std::thread> ts; // WARN: threads added to 'ts' are never joined NOEXC-WARN: threads added to 'ts'
  ts.push_back(std::thread(work));
  ts.push_back(std::thread(work));
  ts.clear();
}

void container_joined_except_early_return() {
  std::vector<std::thread> ts; // WARN: threads added to 'ts' are still joinable when it goes out of scope on this path NOEXC-WARN: threads added to 'ts' are still joinable
  for (int i = 0; i < 4; ++i)
    ts.emplace_back(work_with, i);
  if (!ready())
    return; // NOTE: returns here
  for (auto &t : ts)
    t.join();
}

// Silent: joined in a loop, with an algorithm, by index, or handed off.
void container_joined_in_loop() {
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back(work_with, i);
  for (auto &t : ts)
    t.join();
}

void container_joined_by_algorithm() {
  std::vector<std::thread> ts;
  ts.emplace_back(work);
  std::for_each(ts.begin(), ts.end(), std::mem_fn(&std::thread::join));
}

void container_joined_by_index() {
  std::vector<std::thread> ts;
  ts.emplace_back(work);
  for (size_t i = 0; i < ts.size(); ++i)
    ts[i].join();
}

std::vector<std::thread> container_returned() {
  std::vector<std::thread> ts;
  ts.emplace_back(work);
  return ts;
}

void moved_into_local_container_then_joined() {
  std::vector<std::thread> ts;
  std::thread t(work);
  ts.push_back(std::move(t));
  for (auto &x : ts)
    x.join();
}

void copy_initialized() {
  auto t = std::thread(work); // WARN: thread 't' is still joinable NOEXC-WARN: thread 't' is still joinable
  if (!ready())
    return;
  t.join();
}

void silenced() {
  std::thread t(work); // NOLINT(leak-unjoined-thread): the process exits below
  if (!ready())
    return;
  t.join();
}

void container_moved_into_owner(Owner &O) {
  std::vector<std::thread> ts;
  ts.emplace_back(work);
  O.Pool = std::move(ts);
}

//===--- Form 4: thread members -----------------------------------------===//

class NoDestructor {
  std::thread Worker; // WARN: thread member 'Worker' is started in the constructor but the destructor of 'NoDestructor' never joins or detaches it NOEXC-WARN: thread member 'Worker'
  void run();

public:
  NoDestructor() : Worker(&NoDestructor::run, this) {} // NOTE: started here
};

class JoinedOnlyInStop {
  std::atomic<bool> Stop{false};
  std::thread Worker; // STRICT-WARN: thread member 'Worker' is started in 'start' but the destructor of 'JoinedOnlyInStop' never joins
  void run();

public:
  void start() { Worker = std::thread([this] { run(); }); }
  void stop() {
    Stop = true;
    Worker.join(); // STRICT-NOTE: joined only in 'stop', which the destructor does not call
  }
  ~JoinedOnlyInStop() { Stop = true; }
};

class RestartWithoutJoin {
  std::atomic<bool> Stop{false};
  std::thread Worker;
  void run();

public:
  RestartWithoutJoin() : Worker(&RestartWithoutJoin::run, this) {}
  void restart() {
    Stop = true; // only asks the old thread to stop
    Worker = std::thread(&RestartWithoutJoin::run, this); // WARN: a new thread is move-assigned into 'Worker' while the previous one may still be joinable NOEXC-WARN: move-assigned into 'Worker'
  }
  ~RestartWithoutJoin() {
    Stop = true;
    if (Worker.joinable())
      Worker.join();
  }
};

class PoolClearedWithoutJoin {
  std::vector<std::thread> Workers;
  void run();

public:
  void start(int N) {
    for (int I = 0; I < N; ++I)
      Workers.emplace_back(&PoolClearedWithoutJoin::run, this);
  }
  void reset() {
    Workers.clear(); // WARN: the threads in 'Workers' are destroyed here without being joined NOEXC-WARN: the threads in 'Workers'
  }
  ~PoolClearedWithoutJoin() {
    for (auto &T : Workers)
      T.join();
  }
};

class PoolNeverJoined {
  std::vector<std::thread> Workers; // WARN: threads in member 'Workers' are started in 'start' but the destructor of 'PoolNeverJoined' never joins or detaches them NOEXC-WARN: threads in member 'Workers'
  void run();

public:
  void start(int N) {
    for (int I = 0; I < N; ++I)
      Workers.emplace_back(&PoolNeverJoined::run, this);
  }
};

// Silent: the destructor joins (directly, through a helper, or out of line).
class JoinsInDestructor {
  std::atomic<bool> Stop{false};
  std::thread Worker;
  void run();

public:
  JoinsInDestructor() : Worker(&JoinsInDestructor::run, this) {}
  ~JoinsInDestructor() {
    Stop = true;
    Worker.join();
  }
};

class JoinsThroughStop {
  std::atomic<bool> Stop{false};
  std::thread Worker;
  void run();

public:
  void start() { Worker = std::thread(&JoinsThroughStop::run, this); }
  void stop() {
    Stop = true;
    if (Worker.joinable())
      Worker.join();
  }
  ~JoinsThroughStop() { stop(); }
};

class DestructorElsewhere {
  std::thread Worker;
  void run();

public:
  DestructorElsewhere() : Worker(&DestructorElsewhere::run, this) {}
  ~DestructorElsewhere(); // defined in another file: we cannot tell
};

class RestartThatJoins {
  std::atomic<bool> Stop{false};
  std::thread Worker;
  void run();

public:
  RestartThatJoins() : Worker(&RestartThatJoins::run, this) {}
  void restart() {
    Stop = true;
    if (Worker.joinable())
      Worker.join();
    Stop = false;
    Worker = std::thread(&RestartThatJoins::run, this);
  }
  ~RestartThatJoins() {
    Stop = true;
    if (Worker.joinable())
      Worker.join();
  }
};

class PoolJoined {
  std::vector<std::thread> Workers;
  void run();

public:
  void start(int N) {
    for (int I = 0; I < N; ++I)
      Workers.emplace_back(&PoolJoined::run, this);
  }
  void reset() {
    for (auto &T : Workers)
      T.join();
    Workers.clear();
  }
  ~PoolJoined() { reset(); }
};

// A test fixture: SetUp starts, TearDown joins (the framework always calls
// it). Reported only with RequireJoinInDestructor.
class FixtureLike {
  std::thread Server; // STRICT-WARN: thread member 'Server' is started in 'SetUp'
  void serve();

public:
  virtual ~FixtureLike() = default;
  virtual void SetUp() { Server = std::thread(&FixtureLike::serve, this); }
  virtual void TearDown() { Server.join(); }
};

class NeverStarted {
  std::thread Worker; // default-constructed: not a thread of execution
};

//===--- Form 5: a detached thread whose body can never finish -----------===//

void endless_loop_body() {
  while (true) {
    work();
  }
}

void detached_endless_lambda() {
  std::thread t([] {   // WARN: detached thread runs a loop that nothing can stop NOEXC-WARN: detached thread runs a loop
    for (;;) {         // NOTE: this loop has no exit
      work();
    }
  });
  t.detach();          // NOTE: detached here
}

void detached_endless_function() {
  std::thread(endless_loop_body).detach(); // WARN: detached thread runs a loop that nothing can stop NOEXC-WARN: detached thread runs a loop
}

void detached_local_flag_never_changes() {
  std::thread([] { // WARN: detached thread runs a loop that nothing can stop NOEXC-WARN: detached thread runs a loop
    bool running = true;
    while (running)
      work();
  }).detach();
}

// Silent: a way out, a condition another thread can change, or periodic.
std::atomic<bool> g_stop{false};
bool g_plain_stop = false;

void detached_atomic_flag() {
  std::thread([] {
    while (!g_stop)
      work();
  }).detach();
}

void detached_global_flag() {
  std::thread([] {
    while (!g_plain_stop)
      work();
  }).detach();
}

void detached_with_break() {
  std::thread([] {
    for (;;) {
      if (!ready())
        break;
      work();
    }
  }).detach();
}

void detached_periodic() {
  // Sleeping every turn: leak-unstopped-ticker's pattern, not ours.
  std::thread([] {
    while (true) {
      work();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }).detach();
}

void detached_captured_flag() {
  static bool stop = false;
  std::thread([] {
    while (!stop)
      work();
  }).detach();
}

#if defined(CXX20)
void detached_stop_token(std::stop_token st) {
  std::thread([st] {
    while (!st.stop_requested())
      work();
  }).detach();
}
#endif

struct Daemon {
  void loop() {
    for (;;)
      work();
  }
  void start() {
    std::thread(&Daemon::loop, this).detach(); // WARN: detached thread runs a loop that nothing can stop NOEXC-WARN: detached thread runs a loop
  }
};

struct Service {
  bool Running = true;
  void loop() {
    while (Running)
      work();
  }
  void start() { std::thread(&Service::loop, this).detach(); }
};

//===--- Form 6: one detached thread per turn of an unbounded loop -------===//
// handle() is not visible: whether it finishes is unknown, so these are
// reported only with ReportDetachedThreadsPerTurn (more in
// leak-unjoined-thread-per-turn.cpp).

void accept_loop() {
  int c;
  while ((c = next_client()) >= 0)
    std::thread(handle, c).detach(); // PERTURN-WARN: a detached thread is started on every turn of this loop; nothing bounds how many run at once
}

void server_forever() {
  for (;;) {                         // PERTURN-NOTE: this loop has no bound
    int c = next_client();
    std::thread t(handle, c);        // PERTURN-WARN: a detached thread is started on every turn of this loop
    t.detach();                      // PERTURN-NOTE: detached here
  }
}

// Silent: a counted loop is bounded.
void fixed_fan_out() {
  for (int i = 0; i < 8; ++i)
    std::thread(handle, i).detach();
}

void fan_out_n(int n) {
  for (int i = 0; i < n; ++i)
    std::thread(handle, i).detach();
}

//===--- Templates and macros --------------------------------------------===//

template <typename F> void run_template(F f) {
  std::thread t(f); // FIXME: not reported inside templates (the pattern is dependent and instantiations are skipped)
  if (!ready())
    return;
  t.join();
}
void use_template() { run_template(work); }

#define SPAWN(name, fn) std::thread name(fn)
void macro_spawn() {
  SPAWN(t, work); // WARN: thread 't' is still joinable NOEXC-WARN: thread 't' is still joinable
  if (!ready())
    return;
  t.join();
}

//===--- Exceptions that end the process anyway --------------------------===//
// An exception leaving main() or a noexcept function calls std::terminate
// whether or not the thread is joinable: not a finding (libtorrent's
// examples/client_test.cpp). Caught inside the function after the thread's
// scope ended, it still is.

void noexcept_worker() noexcept {
  std::thread t(work);
  may_throw();
  t.join();
}

void noexcept_but_caught_inside() noexcept {
  try {
    std::thread t(work); // WARN: thread 't' is still joinable if an exception leaves its scope
    may_throw();         // NOTE: 'may_throw' may throw here
    t.join();
  } catch (...) {
  }
}

//===--- Which exceptions can be caught: the program model ---------------===//
// A call that may throw is a path only when something in sight can catch the
// exception: here handle_all() calls the functions above inside a try, so
// their may-throw paths are reported. Where nothing catches it, the path ends
// in std::terminate and is not reported (issue "A program model").

void handle_all(Server &S) {
  try {
    call_that_may_throw();
    condition_that_may_throw();
    visible_body_throws(S);
    only_noexcept_calls_between();
    two_threads_and_a_string();
  } catch (...) {
  }
}

// Another TU may call it, and no catch is in sight: not a path.
void may_throw_uncaught() {
  std::thread t(work);
  may_throw();
  t.join();
}

// Only main() calls it (through a static caller) and nobody catches: an
// explicit throw ends in std::terminate too.
static void explicit_throw_terminates(int n) {
  std::thread t(work);
  if (n < 0)
    throw std::invalid_argument("n");
  t.join();
}
static void start_it() { explicit_throw_terminates(1); }

// A static function whose caller catches: its explicit throw is a path.
static void explicit_throw_caught(int n) {
  std::thread t(work); // WARN: still joinable if an exception leaves its scope NOEXC-WARN: still joinable if an exception leaves its scope
  if (n < 0)
    throw std::invalid_argument("n"); // NOTE: throws here
  t.join();
}
static void catches_it() {
  try {
    explicit_throw_caught(1);
  } catch (const std::exception &) {
  }
}

int main() {
  std::thread loader(work);
  may_throw();
  loader.join();
  noexcept_worker();
  noexcept_but_caught_inside();
  start_it();
  catches_it();
}

#if defined(BROKEN)
void broken_function() {
  std::thread t(work); // BROKEN-WARN: still joinable
  if (ready())
    return
  t.join(
}
#endif
