// leak-unjoined-thread on C11 threads (<threads.h> of glibc): thrd_create,
// thrd_join and thrd_detach are treated like pthread_create, pthread_join and
// pthread_detach (forms 3, 5 and 6).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c11
// RUN: %check_leak --allow-extra-notes --prefixes=,PERTURN --config="{CheckOptions: {leak-unjoined-thread.ReportDetachedThreadsPerTurn: true}}" %s leak-unjoined-thread -- -std=c11

#include <stdio.h>
#include <threads.h>

int worker(void *arg) { (void)arg; return 0; }
int endless(void *arg) {
  (void)arg;
  for (;;) { // NOTE: this loop has no exit
    puts("working");
  }
}
int ready(void);
int next_client(void);
int serve(void *arg);
void keep_handle(thrd_t t);

//===--- Form 3: neither joined nor detached on some path ---------------===//

int early_return(void) {
  thrd_t t; // WARN: thread 't' started by 'thrd_create' is neither joined nor detached on this path
  thrd_create(&t, worker, NULL); // NOTE: thread started here
  if (!ready())
    return -1; // NOTE: returns here
  thrd_join(t, NULL);
  return 0;
}

void never_joined(void) {
  thrd_t t; // WARN: neither joined nor detached on this path
  thrd_create(&t, worker, NULL);
}

void handle_reused_in_a_loop(int n) {
  thrd_t t; // WARN: thread 't' started by 'thrd_create' is started again before the previous thread was joined or detached
  for (int i = 0; i < n; ++i)
    thrd_create(&t, worker, NULL); // NOTE: started again here
  thrd_join(t, NULL);
}

// Silent: joined or detached on every path, the failure branch, handed off.
int joined(void) {
  thrd_t t;
  if (thrd_create(&t, worker, NULL) != thrd_success)
    return -1; // no thread on this branch
  int res = 0;
  thrd_join(t, &res);
  return res;
}

void detached_at_once(void) {
  thrd_t t;
  if (thrd_create(&t, worker, NULL) == thrd_success)
    thrd_detach(t);
}

void handed_off(void) {
  thrd_t t;
  thrd_create(&t, worker, NULL);
  keep_handle(t);
}

void only_inspected(void) {
  thrd_t t;
  thrd_create(&t, worker, NULL);
  if (thrd_equal(t, thrd_current()))
    puts("same");
  thrd_join(t, NULL);
}

//===--- Forms 5 and 6: detached threads ---------------------------------===//

void detached_endless(void) {
  thrd_t t;
  thrd_create(&t, endless, NULL); // WARN: detached thread runs a loop that nothing can stop
  thrd_detach(t);
}

void thread_per_client(void) {
  while (next_client() >= 0) { // PERTURN-NOTE: this loop has no bound
    thrd_t t;
    thrd_create(&t, serve, NULL); // PERTURN-WARN: a detached thread is started on every turn of this loop
    thrd_detach(t);
  }
}
