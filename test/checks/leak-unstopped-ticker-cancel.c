// RUN: %check_leak %s leak-unstopped-ticker -- -std=c11 -D_GNU_SOURCE
//
// A pthread ticker loop in a file that uses pthread_cancel: sleep() is a
// cancellation point, so another thread can stop the loop. Silent.

#include <pthread.h>
#include <unistd.h>

void work(void);

static void *sampler(void *arg) {
  (void)arg;
  for (;;) {
    work();
    sleep(1);
  }
  return NULL;
}

static pthread_t tid;
void startSampler(void) { pthread_create(&tid, NULL, sampler, NULL); }
void stopSampler(void) {
  pthread_cancel(tid);
  pthread_join(tid, NULL);
}
