// leak-unjoined-thread and the program model (lib/program): what a called
// function does (FunctionSummaries) and which calls never return
// (ProgramFacts), in both directions -- a leak newly found, a false alarm
// newly silenced. Every WARN marked "Newly found" was missed, and every case
// marked "Newly silent" was reported, before the check asked the model;
// "Silent" and "Still found" cases guard the other side.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17 -pthread
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unjoined-thread.RequireJoinInDestructor: true}}" --prefixes=,STRICT %s leak-unjoined-thread -- -std=c++17 -pthread
#include <pthread.h>
#include <thread>
#include <unistd.h>
#include <vector>

void work() noexcept;
void handle_request() noexcept;
bool ready() noexcept;

// --- trampolineTarget: a static trampoline runs the member it calls ---

// Newly found: the thread runs Pool::run, which never ends.
class Pool {
public:
  void start() {
    pthread_t t;
    pthread_create(&t, nullptr, &Pool::entry, this); // WARN: detached thread runs a loop that nothing can stop
    pthread_detach(t);
  }

private:
  static void *entry(void *p) {
    static_cast<Pool *>(p)->run();
    return nullptr;
  }
  void run() {
    for (;;) // NOTE: this loop has no exit
      handle_request();
  }
};

// Silent: the member the trampoline calls stops on a flag another thread
// sets (this was silent before too; the trampoline must not make it loud).
class StoppablePool {
public:
  void start() {
    pthread_t t;
    pthread_create(&t, nullptr, &StoppablePool::entry, this);
    pthread_detach(t);
  }
  void stop() { stopping = true; }

private:
  static void *entry(void *p) {
    StoppablePool *self = static_cast<StoppablePool *>(p);
    self->run();
    return nullptr;
  }
  void run() {
    while (!stopping)
      handle_request();
  }
  volatile bool stopping = false;
};

// --- returnsFresh: the caller holds the thread a function returns ---

static void *body(void *) { return nullptr; }

static pthread_t spawn_worker() {
  pthread_t t;
  pthread_create(&t, nullptr, body, nullptr);
  return t;
}

static std::thread make_worker() { return std::thread(work); }

static std::thread make_named_worker() {
  std::thread t(work);
  return t;
}

// Newly found: the caller holds what spawn_worker() and make_worker()
// started.
void uses_fresh_handle(bool quick) {
  pthread_t t = spawn_worker(); // WARN: thread 't' started by 'spawn_worker' is neither joined nor detached on this path
  if (quick)
    return; // NOTE: returns here
  pthread_join(t, nullptr);
}

void uses_fresh_thread(bool quick) {
  std::thread t = make_worker(); // WARN: thread 't' is still joinable when it goes out of scope on this path; its destructor calls std::terminate
  if (quick)
    return; // NOTE: returns here
  t.join();
}

void uses_fresh_named_thread() {
  std::thread t = make_named_worker(); // WARN: thread 't' is still joinable when it goes out of scope on this path
}

void drops_fresh_handle() {
  spawn_worker(); // WARN: the thread started by spawn_worker is never joined and its handle is dropped
}

// Silent: joined on every path.
void joins_fresh_thread() {
  std::thread t = make_worker();
  t.join();
}

// Silent: the helper keeps (here: detaches) the thread it starts, so it
// returns no fresh thread; the caller's copy of the id is not the owner.
static pthread_t spawn_detached() {
  pthread_t t;
  pthread_create(&t, nullptr, body, nullptr);
  pthread_detach(t);
  return t;
}

void uses_detached_id() {
  pthread_t t = spawn_detached();
  (void)t;
}

// --- releasesParam: a helper that joins or detaches what it is given ---

static void stop_and_join(std::thread &t) {
  if (t.joinable())
    t.join();
}

static void release_thread(std::thread &t) { t.detach(); }

static void reap(pthread_t t) { pthread_join(t, nullptr); }

// Newly found: the helper detaches it, so the endless thread is detached.
void detached_by_helper() {
  std::thread t([] { // WARN: detached thread runs a loop that nothing can stop
    for (;;) // NOTE: this loop has no exit
      work();
  });
  release_thread(t);
}

// Newly found (with RequireJoinInDestructor): the member is joined by a
// helper, but only in stop(), which the destructor does not call.
class Server {
public:
  Server() : worker(work) {}
  ~Server() {}
  void stop() { stop_and_join(worker); }

private:
  std::thread worker; // STRICT-WARN: thread member 'worker' is started in the constructor but the destructor of 'Server' never joins or detaches it
};

// Silent: the destructor joins through the helper.
class JoinedServer {
public:
  JoinedServer() : worker(work) {}
  ~JoinedServer() { stop_and_join(worker); }

private:
  std::thread worker;
};

// Silent: a C handle joined by a helper, on every path.
void reaped_by_helper() {
  pthread_t t;
  pthread_create(&t, nullptr, body, nullptr);
  reap(t);
}

// --- waitsOnEveryCall: a loop that sleeps through a helper is periodic ---

static void tick() { sleep(1); }

// Newly silent: a periodic loop (leak-unstopped-ticker's question, not
// ours).
void periodic_worker() {
  std::thread([] {
    for (;;) {
      tick();
      work();
    }
  }).detach();
}

// Still found: the helper waits only sometimes.
static void maybe_tick(bool b) {
  if (b)
    sleep(1);
}

void busy_worker() {
  std::thread([] { // WARN: detached thread runs a loop that nothing can stop
    for (;;) { // NOTE: this loop has no exit
      maybe_tick(ready());
      work();
    }
  }).detach();
}

// --- neverReturns: a path into a call that never returns is moot ---

static void serve_forever() {
  for (;;)
    handle_request();
}

// Newly silent: the scope is never left, so the thread is never destroyed.
void server_main_loop() {
  std::thread t(work);
  serve_forever();
}

// Still found: the early return leaves before the endless call.
void server_main_loop_early(bool quick) {
  std::thread t(work); // WARN: thread 't' is still joinable when it goes out of scope on this path; its destructor calls std::terminate
  if (quick)
    return; // NOTE: returns here
  serve_forever();
}

// --- class templates: analysed once, as their pattern ---

// Newly found, once (from the pattern, not from each instantiation).
template <class Job> class TemplatePool {
public:
  void start() {
    std::thread([this] { // WARN: detached thread runs a loop that nothing can stop
      for (;;) // NOTE: this loop has no exit
        handle_request();
    }).detach();
  }
  void start_named() {
    std::thread t([this] { // WARN: detached thread runs a loop that nothing can stop
      while (true) // NOTE: this loop has no exit
        handle_request();
    });
    t.detach(); // NOTE: detached here
  }
  // Silent: the loop calls a member of the dependent Job, which may wait,
  // stop or never return; we cannot tell before instantiation.
  void start_dependent() {
    std::thread([this] {
      for (;;)
        jobs.run_one();
    }).detach();
  }
  // Silent: stops on a member flag.
  void start_stoppable() {
    std::thread([this] {
      while (!stopping)
        handle_request();
    }).detach();
  }
  bool stopping = false;
  Job jobs;
};

struct Jobs {
  void run_one();
};
template class TemplatePool<Jobs>;

void use_template_pool() {
  TemplatePool<Jobs> p;
  p.start();
  p.start_named();
}

// Newly found in a function template, once.
template <class T> void spawn_endless(T arg) {
  std::thread([arg] { // WARN: detached thread runs a loop that nothing can stop
    for (;;) // NOTE: this loop has no exit
      work();
  }).detach();
}

void use_spawn_endless() {
  spawn_endless(1);
  spawn_endless(2.0);
}

// --- returnsFresh for members: a member holds what make_worker() started ---

// Newly found: started in the constructor by a helper, never joined.
class FreshMember {
public:
  FreshMember() : worker(make_worker()) {} // NOTE: started here

private:
  std::thread worker; // WARN: thread member 'worker' is started in the constructor but the destructor of 'FreshMember' never joins or detaches it
};

// Newly found: restarted through a helper while the old thread may run.
class FreshRestart {
public:
  FreshRestart() : worker(make_worker()) {}
  void restart() {
    worker = make_worker(); // WARN: a new thread is move-assigned into 'worker' while the previous one may still be joinable
  }
  ~FreshRestart() {
    if (worker.joinable())
      worker.join();
  }

private:
  std::thread worker;
};
