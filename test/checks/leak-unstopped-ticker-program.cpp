// RUN: %check_leak --prefixes=,LONG %s leak-unstopped-ticker -- -std=c++17
// RUN: %check_leak --prefixes=,SHORT %s leak-unstopped-ticker -- -std=c++17 -DSHORT_MAIN
//
// leak-unstopped-ticker asks the program model (lib/program) how long a
// ticker's holder lives: a local of a function that never returns
// (ProgramFacts::neverReturns, through its callees), an object that lives as
// long as the process (ProgramFacts::livesForProcess: a local of a main()
// that does not end soon); and what a helper does (FunctionSummaries:
// returnsFresh, releasesParam).

#include <csignal>
#include <ctime>
#include <event2/event.h>
#include <unistd.h>

void work();

// ---- never returns, through a callee: silent ----

// Every call of serveForever() loops forever: sampler() never returns, so
// its ticker lives exactly as long as the process that uses its ticks.
void serveForever() {
  for (;;) {
    pause();
    work();
  }
}

void sampler() {
  timer_t t;
  timer_create(CLOCK_MONOTONIC, nullptr, &t);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timer_settime(t, 0, &its, nullptr);
  serveForever();
}

// ---- an endless loop on one path only: the function returns ----

void samplerIfDaemon(bool daemon) {
  timer_t t;
  timer_create(CLOCK_MONOTONIC, nullptr, &t); // NOTE: POSIX timer created here
  struct itimerspec its = {{1, 0}, {1, 0}};
  timer_settime(t, 0, &its, nullptr); // WARN: periodic POSIX timer 't' is never stopped
                                      // NOTE@-1: timer_delete() it when its owner is done
  if (daemon)
    for (;;) {
      pause();
      work();
    }
}

// The helper's loop has a way out: the caller returns.
void serveUntilSignalled() {
  for (;;) {
    pause();
    if (access("/tmp/stop", 0) == 0)
      return;
  }
}

void samplerUntilSignalled() {
  timer_t t;
  timer_create(CLOCK_MONOTONIC, nullptr, &t); // NOTE: POSIX timer created here
  struct itimerspec its = {{1, 0}, {1, 0}};
  timer_settime(t, 0, &its, nullptr); // WARN: periodic POSIX timer 't' is never stopped
                                      // NOTE@-1: timer_delete() it
  serveUntilSignalled();
}

// ---- a helper that stops what it is given (releasesParam): silent ----

void stopTimer(timer_t t) { timer_delete(t); }

void samplerStopped() {
  timer_t t;
  timer_create(CLOCK_MONOTONIC, nullptr, &t);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timer_settime(t, 0, &its, nullptr);
  work();
  stopTimer(t);
}

// ---- a helper that returns a fresh ticker (returnsFresh) ----

static void onTick(evutil_socket_t, short, void *) { work(); }

// The caller holds what makeTick() returns: its checks apply there.
struct event *makeTick(struct event_base *base) {
  return event_new(base, -1, EV_PERSIST, onTick, nullptr); // NOTE: libevent timer created here
}
struct event *makeReader(struct event_base *base, int fd) {
  return event_new(base, fd, EV_READ | EV_PERSIST, onTick, nullptr);
}

void startTicking(struct event_base *base, int fd) {
  struct timeval tv = {5, 0};
  struct event *tick = makeTick(base);
  event_add(tick, &tv); // WARN: periodic libevent timer 'tick' is never stopped
                        // NOTE@-1: event_del() or event_free() it
  struct event *reader = makeReader(base, fd); // an I/O event, not a timer
  event_add(reader, nullptr);
}

// ---- an owner that lives as long as the process ----

// The only Heartbeat is a local of main(). A main() that runs until the
// process is killed keeps it (and its ticker) for the whole process: by
// design. A main() that plainly ends soon does not make it long-lived, but
// then nothing else stops the ticker either.
class Heartbeat {
public:
  void start() {
    timer_create(CLOCK_MONOTONIC, nullptr, &t_); // SHORT-NOTE: POSIX timer created here
    struct itimerspec its = {{5, 0}, {5, 0}};
    timer_settime(t_, 0, &its, nullptr); // SHORT-WARN: periodic POSIX timer 't_' is started here but no function of 'Heartbeat' stops or deletes it
                                         // SHORT-NOTE@-1: timer_delete() it
  }

private:
  timer_t t_;
};

#ifdef SHORT_MAIN
int main() {
  Heartbeat hb;
  hb.start();
  for (int i = 0; i < 3; ++i)
    usleep(1000);
  return 0;
}
#else
int main() {
  Heartbeat hb;
  hb.start();
  for (;;)
    pause();
}
#endif
