// leak-unjoined-thread: a local array of pthread_t filled by a counted loop
// is released only by a join (or detach) loop over the same range that runs
// to its end. A smaller range, or a break / return out of the join loop,
// leaves the threads after it as zombies.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c11 -pthread
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -x c++ -std=c++17 -pthread

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#define NWORKERS 8

void *work(void *arg);
int should_stop(void);

//===--- Reported -----------------------------------------------------------===//

// The join loop stops one short.
int run_batch(void) {
  pthread_t tids[NWORKERS]; // WARN: threads started into 'tids' by 'pthread_create' are not all joined or detached on this path; each one left over stays a zombie holding its stack NOTE: join every element of 'tids' on every path
  for (int i = 0; i < NWORKERS; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < NWORKERS - 1; i++) // NOTE: this loop joins fewer elements than the loop that starts them
    pthread_join(tids[i], NULL);
  return 0;
}

// A variable count, joined up to n - 1.
int run_n(int n) {
  pthread_t tids[64]; // WARN: threads started into 'tids' by 'pthread_create' are not all joined or detached on this path
  if (n > 64)
    return -1;
  for (int i = 0; i < n; ++i)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < n - 1; ++i)
    pthread_join(tids[i], NULL);
  return 0;
}

// An early return out of the join loop.
int run_checked(void) {
  pthread_t tids[4]; // WARN: threads started into 'tids' by 'pthread_create' are not all joined or detached on this path
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < 4; i++) {
    if (pthread_join(tids[i], NULL) != 0) {
      perror("join");
      return -1; // NOTE: returns here
    }
  }
  return 0;
}

// A break out of the join loop.
void run_until_stopped(void) {
  pthread_t tids[4]; // WARN: threads started into 'tids' by 'pthread_create' are not all joined or detached on this path
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < 4; i++) {
    if (should_stop())
      break; // NOTE: breaks out here
    pthread_join(tids[i], NULL);
  }
}

// Never joined at all.
void fire(void) {
  pthread_t tids[2]; // WARN: threads started into 'tids' by 'pthread_create' are not all joined or detached on this path
  for (int i = 0; i < 2; i++)
    pthread_create(&tids[i], NULL, work, NULL);
}

//===--- Silent -------------------------------------------------------------===//

int all_joined(void) {
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < NWORKERS; i++)
    pthread_join(tids[i], NULL);
  return 0;
}

int all_joined_n(int n) {
  pthread_t tids[64];
  for (int i = 0; i < n; ++i)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int j = 0; j < n; ++j)
    pthread_join(tids[j], NULL);
  return 0;
}

void all_detached(void) {
  pthread_t tids[4];
  for (size_t i = 0; i < sizeof(tids) / sizeof(tids[0]); i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (size_t i = 0; i < sizeof(tids) / sizeof(tids[0]); i++)
    pthread_detach(tids[i]);
}

// A failed join is only logged: the loop goes on.
void logged(void) {
  pthread_t tids[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < 4; i++)
    if (pthread_join(tids[i], NULL) != 0)
      perror("join");
}

// Handed to a helper: not followed.
void join_all(pthread_t *tids, int n);
void handed_off(void) {
  pthread_t tids[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  join_all(tids, 4);
}

// Bounds we cannot compare: trusted.
int count(void);
void unknown_bounds(int n) {
  pthread_t tids[16];
  for (int i = 0; i < n; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < count(); i++)
    pthread_join(tids[i], NULL);
}

// main(): returning ends the process.
int main(void) {
  pthread_t tids[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, work, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(tids[i], NULL);
  return 0;
}

//===--- A spawn failing inside the start loop ------------------------------===//

// A later turn fails: the threads of the earlier turns are never joined.
int start_all(void) {
  pthread_t tids[NWORKERS]; // WARN: threads started into 'tids' by 'pthread_create' are not all joined or detached on this path
  for (int i = 0; i < NWORKERS; ++i)
    if (pthread_create(&tids[i], NULL, work, NULL) != 0) // NOTE: when 'pthread_create' fails on a later turn, the threads started on the earlier turns are still running
      return -1; // NOTE: returns here
  for (int i = 0; i < NWORKERS; ++i)
    pthread_join(tids[i], NULL);
  return 0;
}

// The same with the status in a variable.
int start_all_rc(int n) {
  pthread_t tids[16]; // WARN: threads started into 'tids' by 'pthread_create' are not all joined or detached on this path
  for (int i = 0; i < n; ++i) {
    int rc = pthread_create(&tids[i], NULL, work, NULL);
    if (rc) { // NOTE: when 'pthread_create' fails on a later turn
      fprintf(stderr, "pthread_create: %d\n", rc);
      return rc;
    }
  }
  for (int i = 0; i < n; ++i)
    pthread_join(tids[i], NULL);
  return 0;
}

// Silent: the failure path joins the threads started so far.
int start_all_or_undo(void) {
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i) {
    if (pthread_create(&tids[i], NULL, work, NULL) != 0) {
      for (int j = 0; j < i; ++j)
        pthread_join(tids[j], NULL);
      return -1;
    }
  }
  for (int i = 0; i < NWORKERS; ++i)
    pthread_join(tids[i], NULL);
  return 0;
}

// Silent: a start loop of one turn has nothing started before the failure.
int start_one(void) {
  pthread_t tids[1];
  for (int i = 0; i < 1; ++i)
    if (pthread_create(&tids[i], NULL, work, NULL) != 0)
      return -1;
  for (int i = 0; i < 1; ++i)
    pthread_join(tids[i], NULL);
  return 0;
}
