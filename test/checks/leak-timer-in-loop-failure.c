// RUN: %check_leak %s leak-timer-in-loop -- -std=c11 -D_GNU_SOURCE
// REQUIRES: libevent
//
// leak-timer-in-loop (issue 14): a timer whose creation failed holds
// nothing. The edge a loop takes when timerfd_create / timer_create /
// evtimer_new reports failure (`fd < 0`, `!= 0`, `!ev`) is not a path on
// which a timer leaks: the engine's edge-feasibility hook (NotHeld). A path
// that skips the release after a successful creation still leaks.

#include <event2/event.h>
#include <signal.h>
#include <stddef.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int running(void);
void use(int);

void skipFailedTimerfd(void) {
  while (running()) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (fd < 0)
      continue; // creation failed: nothing to close
    use(3);
    close(fd);
  }
}

void skipFailedTimerfdMinusOne(void) {
  while (running()) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd == -1)
      continue;
    close(fd);
  }
}

void skipFailedPosixTimer(void) {
  while (running()) {
    timer_t tid;
    if (timer_create(CLOCK_MONOTONIC, NULL, &tid) != 0)
      continue; // no timer was created
    use(1);
    timer_delete(tid);
  }
}

void skipFailedEvent(struct event_base *base, event_callback_fn cb) {
  while (running()) {
    struct event *ev = evtimer_new(base, cb, NULL);
    if (!ev)
      continue; // allocation failed
    use(2);
    event_free(ev);
  }
}

// Still a leak: the creation succeeded and the second `continue` skips the
// close.
void skipAfterSuccess(void) {
  while (running()) { // NOTE: the loop has no small constant trip count; create the timerfd once before the loop
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // WARN: timerfd created on every iteration of this loop outlives the iteration: it is never released
    if (fd < 0)
      continue;
    if (running())
      continue;
    close(fd);
  }
}

// Still a leak: `fd > 0` is no failure test (0 is a valid descriptor), so
// the false edge may hold a timer.
void wrongFailureTest(void) {
  while (running()) { // NOTE: the loop has no small constant trip count
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // WARN: timerfd created on every iteration of this loop outlives the iteration
    if (fd > 0)
      close(fd);
  }
}
