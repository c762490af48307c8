// REQUIRES: libuv
// libuv threads: uv_thread_create(&tid, ...) must be matched by
// uv_thread_join(&tid) (libuv has no detach before 1.50).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=gnu11

#include <uv.h>

static void worker(void *arg) { (void)arg; }
int ready(void);

struct loop_thread {
  uv_thread_t tid;
};

int early_return(void) {
  uv_thread_t tid; // WARN: thread 'tid' started by 'uv_thread_create' is neither joined nor detached on this path
  if (uv_thread_create(&tid, worker, NULL))
    return -1; // creation failed: not a leak
  if (!ready())
    return -2; // NOTE: returns here
  uv_thread_join(&tid);
  return 0;
}

// Silent.
void joined(void) {
  uv_thread_t tid;
  uv_thread_create(&tid, worker, NULL);
  uv_thread_join(&tid);
}

void member(struct loop_thread *l) { uv_thread_create(&l->tid, worker, NULL); }
