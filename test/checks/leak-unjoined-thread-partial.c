// leak-unjoined-thread on C: the second of two pthread_create calls fails
// and the function returns without joining the first thread (already
// reported before issue 16's second round: kept here as a regression case
// next to the silent control whose error path joins what was started).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c11 -pthread

#include <pthread.h>
#include <stddef.h>

void *reader(void *arg);
void *writer(void *arg);

int start_pair(void) {
  pthread_t r, w; // WARN: thread 'r' started by 'pthread_create' is neither joined nor detached on this path
  if (pthread_create(&r, NULL, reader, NULL) != 0) // NOTE: thread started here
    return -1;
  if (pthread_create(&w, NULL, writer, NULL) != 0) // NOTE: taking the true branch
    return -1; // NOTE: returns here
  pthread_join(r, NULL);
  pthread_join(w, NULL);
  return 0;
}

// Silent: the error path joins the thread already started.
int start_pair_undo(void) {
  pthread_t r, w;
  if (pthread_create(&r, NULL, reader, NULL) != 0)
    return -1;
  if (pthread_create(&w, NULL, writer, NULL) != 0) {
    pthread_join(r, NULL);
    return -1;
  }
  pthread_join(r, NULL);
  pthread_join(w, NULL);
  return 0;
}
