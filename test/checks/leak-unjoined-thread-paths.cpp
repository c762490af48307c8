// leak-unjoined-thread: paths that cannot happen are pruned while the path
// search runs, so the next, feasible path is found and reported (the
// engine's edge hooks). Before, the first path found was dropped when it was
// infeasible, and the function went silent even when another path leaked.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17 -pthread
#include <pthread.h>
#include <thread>

void *worker(void *);
void work() noexcept;
bool ready() noexcept;
void log_started() noexcept;
int failed(int) noexcept;

// The failure branch of the spawn holds no thread; the early return below
// does leak it.
int start_or_fail(bool quick) {
  pthread_t t; // WARN: thread 't' started by 'pthread_create' is neither joined nor detached on this path
  if (pthread_create(&t, nullptr, worker, nullptr) != 0)
    goto fail;
  if (quick)
    return 1; // NOTE: returns here
  pthread_join(t, nullptr);
  return 0;
fail:
  return -1;
}

// The `else` of the same, unchanged condition that guards the start cannot
// run with a thread; the return after ready() can.
void guarded_start(bool x) {
  std::thread t; // WARN: thread 't' is still joinable when it goes out of scope on this path; its destructor calls std::terminate
  if (x)
    t = std::thread(work);
  if (x)
    log_started();
  else
    return;
  if (ready())
    return; // NOTE: returns here
  t.join();
}

// Silent: every path that leaks goes through a test of the result we cannot
// read (either side may be the "no thread" one).
int start_checked() {
  pthread_t t;
  int rc = pthread_create(&t, nullptr, worker, nullptr);
  if (failed(rc))
    return -1;
  pthread_join(t, nullptr);
  return 0;
}

// Silent: the only paths that leave without a join contradict the guard.
void guarded_start_joined(bool x) {
  std::thread t;
  if (x)
    t = std::thread(work);
  if (x)
    t.join();
}
