// leak-unjoined-thread on C code: pthread_create handles (form 3), detached
// threads that can never finish (form 5), one detached thread per turn of an
// unbounded loop (form 6).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c11 -pthread
// The same code compiled as C++ behaves the same (exception paths are only
// analysed for thread objects whose destruction terminates).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -x c++ -std=c++17 -pthread
// Thread per connection reported too.
// RUN: %check_leak --allow-extra-notes --prefixes=,PERTURN --config="{CheckOptions: {leak-unjoined-thread.ReportDetachedThreadsPerTurn: true}}" %s leak-unjoined-thread -- -std=c11 -pthread
// Custom spawn/join functions by name.
// RUN: %check_leak --allow-extra-notes --prefixes=,OPT --config="{CheckOptions: {leak-unjoined-thread.SpawnFunctions: '+my_spawn', leak-unjoined-thread.JoinFunctions: '+my_join'}}" %s leak-unjoined-thread -- -std=c11 -pthread -DMY_API
// Join/detach lists replaced: pthread_detach no longer counts as a release.
// RUN: %check_leak --allow-extra-notes --prefixes=NODETACH --config="{CheckOptions: {leak-unjoined-thread.DetachFunctions: 'g_thread_unref'}}" %s leak-unjoined-thread -- -std=c11 -pthread

#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

void *worker(void *arg) { (void)arg; return NULL; }
void *endless(void *arg) {
  (void)arg;
  for (;;) {
    puts("working");
  }
}
volatile bool stop_requested;
void *stoppable(void *arg) {
  (void)arg;
  while (!stop_requested)
    puts("working");
  return NULL;
}
void *periodic(void *arg) {
  (void)arg;
  while (1) {
    puts("tick");
    sleep(1);
  }
}
int ready(void);
int next_client(void);
void *serve(void *arg);
void keep_handle(pthread_t t);

struct server {
  pthread_t tid;
};

//===--- Form 3: neither joined nor detached on some path ---------------===//

int early_return(void) {
  pthread_t t; // WARN: thread 't' started by 'pthread_create' is neither joined nor detached on this path NODETACH-WARN: neither joined nor detached
  pthread_create(&t, NULL, worker, NULL); // NOTE: thread started here
  if (!ready())
    return -1; // NOTE: returns here
  pthread_join(t, NULL);
  return 0;
}

void never_joined(void) {
  pthread_t t; // WARN: neither joined nor detached on this path NODETACH-WARN: neither joined nor detached
  pthread_create(&t, NULL, worker, NULL);
}

void in_a_loop(int n) {
  for (int i = 0; i < n; ++i) {
    pthread_t t; // WARN: neither joined nor detached on this path NODETACH-WARN: neither joined nor detached
    pthread_create(&t, NULL, worker, NULL);
    if (i == 3)
      break;
    pthread_join(t, NULL);
  }
}

void explicit_joinable_attr(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
  pthread_t t; // WARN: neither joined nor detached NODETACH-WARN: neither joined nor detached
  pthread_create(&t, &attr, worker, NULL);
}

int failure_tested_then_early_return(void) {
  pthread_t t; // WARN: neither joined nor detached on this path NODETACH-WARN: neither joined nor detached
  int rc = pthread_create(&t, NULL, worker, NULL);
  if (rc != 0) {
    perror("pthread_create");
    return -1; // no thread: not this path
  }
  if (!ready())
    return -2; // NOTE: returns here
  pthread_join(t, NULL);
  return 0;
}

void handle_reused_in_a_loop(int n) {
  pthread_t t; // WARN: thread 't' started by 'pthread_create' is started again before the previous thread was joined or detached NODETACH-WARN: started again
  for (int i = 0; i < n; ++i)
    pthread_create(&t, NULL, worker, NULL); // NOTE: started again here
  pthread_join(t, NULL);
}

// Silent: joined or detached on every path, or handed off.
void joined_on_success(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) == 0)
    pthread_join(t, NULL);
}

int failure_goes_to_cleanup(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL))
    goto fail;
  pthread_join(t, NULL);
  return 0;
fail:
  return -1;
}

int joined(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) != 0)
    return -1; // creation failed: no thread to join
  pthread_join(t, NULL);
  return 0;
}

int joined_with_status(void) {
  pthread_t t;
  int rc = pthread_create(&t, NULL, worker, NULL);
  if (rc)
    return rc;
  pthread_join(t, NULL);
  return 0;
}

void detached_right_away(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_detach(t); // NODETACH-WARN@-2: neither joined nor detached
}

void detached_by_attributes(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t t;
  pthread_create(&t, &attr, worker, NULL);
  pthread_attr_destroy(&attr);
}

void attributes_from_caller(const pthread_attr_t *attr) {
  pthread_t t;
  pthread_create(&t, attr, worker, NULL); // unknown detach state: silent
}

void stored_in_struct(struct server *s) {
  pthread_create(&s->tid, NULL, worker, NULL);
}

void out_parameter(pthread_t *out) {
  pthread_create(out, NULL, worker, NULL);
}

void passed_on(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  keep_handle(t);
}

void copied_into_struct(struct server *s) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  s->tid = t;
}

void array_of_threads(void) {
  pthread_t ts[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&ts[i], NULL, worker, NULL);
  for (int i = 0; i < 4; ++i)
    pthread_join(ts[i], NULL);
}

void named_then_joined(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_setname_np(t, "worker"); // tunes the thread, keeps the handle ours
  pthread_join(t, NULL);
}

//===--- Form 5: detached, and the body can never finish ----------------===//

void detached_endless(void) {
  pthread_t t; // NODETACH-WARN: neither joined nor detached
  pthread_create(&t, NULL, endless, NULL); // WARN: detached thread runs a loop that nothing can stop
  pthread_detach(t);                       // NOTE: detached here
}

void detached_endless_by_attr(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t t;
  pthread_create(&t, &attr, endless, NULL); // WARN: detached thread runs a loop that nothing can stop NODETACH-WARN: detached thread runs a loop
}

// Silent: a stop flag another thread sets; a periodic loop (the ticker check's).
void detached_stoppable(void) {
  pthread_t t;
  pthread_create(&t, NULL, stoppable, NULL);
  pthread_detach(t); // NODETACH-WARN@-2: neither joined nor detached
}

void detached_periodic(void) {
  pthread_t t;
  pthread_create(&t, NULL, periodic, NULL);
  pthread_detach(t); // NODETACH-WARN@-2: neither joined nor detached
}

//===--- Form 6: one detached thread per turn of an unbounded loop ------===//
// serve() is not visible: reported only with ReportDetachedThreadsPerTurn.

void accept_loop(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int c;
  while ((c = next_client()) >= 0) { // PERTURN-NOTE: this loop has no bound
    pthread_t t;
    pthread_create(&t, &attr, serve, (void *)(long)c); // PERTURN-WARN: a detached thread is started on every turn of this loop
  }
}

void accept_forever(void) {
  for (;;) {
    pthread_t t;
    pthread_create(&t, NULL, serve, NULL); // PERTURN-WARN: a detached thread is started on every turn of this loop
    pthread_detach(t);
  }
  // NODETACH-WARN@-4: neither joined nor detached
}

// Silent: a counted loop.
void fan_out(void) {
  for (int i = 0; i < 4; ++i) {
    pthread_t t;
    pthread_create(&t, NULL, serve, NULL);
    pthread_detach(t);
  }
  // NODETACH-WARN@-4: neither joined nor detached
}

#ifdef MY_API
typedef struct { int id; } my_thread;
int my_spawn(my_thread *t, void *(*fn)(void *));
int my_join(my_thread t);
void my_api(void) {
  my_thread t; // OPT-WARN: thread 't' started by 'my_spawn' is neither joined nor detached
  my_spawn(&t, worker);
  if (!ready())
    return;
  my_join(t);
}
void my_api_joined(void) {
  my_thread t;
  my_spawn(&t, worker);
  my_join(t);
}
#endif

// Silent: returning from main() ends the process and its threads.
int main(int argc, char **argv) {
  (void)argv;
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  if (argc > 1)
    return 1;
  pthread_join(t, NULL);
  return 0;
}

// Silent: the join is guarded by the same unchanged condition as the start.
int correlated(int inprocess) {
  pthread_t t;
  if (inprocess)
    pthread_create(&t, NULL, worker, NULL);
  puts("running");
  if (inprocess)
    pthread_join(t, NULL);
  return 0;
}

// The condition changes in between: the paths are real.
int correlated_but_changed(int inprocess) {
  pthread_t t; // WARN: neither joined nor detached on this path NODETACH-WARN: neither joined nor detached
  if (inprocess)
    pthread_create(&t, NULL, worker, NULL);
  inprocess = ready();
  if (inprocess)
    pthread_join(t, NULL);
  return 0;
}
