// RUN: %check_leak %s leak-timer-in-loop -- -std=c11 -D_GNU_SOURCE %glib_flags
// RUN: %check_leak --config="{CheckOptions: {leak-timer-in-loop.TimerCreateFunctions: 'my_timer_new', leak-timer-in-loop.TimerStopFunctions: 'my_timer_free'}}" --prefixes=,OPT %s leak-timer-in-loop -- -std=c11 -D_GNU_SOURCE %glib_flags
// REQUIRES: libuv, libevent, glib
//
// leak-timer-in-loop on the C timer APIs: POSIX timer_create, timerfd,
// libuv, GLib timeout sources, libevent, and configured functions.

#include <event2/event.h>
#include <glib.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

int running(void);
void use(int);

// ---- POSIX timer_create ----

void posixLeak(void) {
  while (running()) { // NOTE: the loop has no small constant trip count; create the timer once before the loop and re-arm it inside with timer_settime(), or timer_delete() it in the same iteration
    timer_t tid;
    struct sigevent sev = {0};
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN;
    sev.sigev_value.sival_ptr = &tid;
    timer_create(CLOCK_MONOTONIC, &sev, &tid); // WARN: POSIX timer created on every iteration of this loop outlives the iteration: it is never released, so one timer piles up per iteration and none is ever freed
    struct itimerspec its = {{0, 0}, {5, 0}};
    timer_settime(tid, 0, &its, NULL);
  }
}

// Deleted on one branch only: the other branch leaks (lifetime engine).
void posixConditional(int n) {
  for (int i = 0; i < n; ++i) { // NOTE: the loop has no small constant
    timer_t tid;
    timer_create(CLOCK_MONOTONIC, NULL, &tid); // WARN: POSIX timer created on every iteration
    if (i % 2)
      continue;
    timer_delete(tid);
  }
}

void posixSilent(int n) {
  // Created and deleted in the same iteration.
  while (running()) {
    timer_t tid;
    timer_create(CLOCK_MONOTONIC, NULL, &tid);
    use(1);
    timer_delete(tid);
  }
  // One timer created before the loop and re-armed inside.
  timer_t once;
  timer_create(CLOCK_MONOTONIC, NULL, &once);
  while (running()) {
    struct itimerspec its = {{0, 0}, {1, 0}};
    timer_settime(once, 0, &its, NULL);
  }
  timer_delete(once);
  // A fixed set of timers in an array, all deleted after the loop.
  timer_t set[4];
  for (int i = 0; i < 4; ++i)
    timer_create(CLOCK_MONOTONIC, NULL, &set[i]);
  for (int i = 0; i < 4; ++i)
    timer_delete(set[i]);
  // An unknown number of timers in an array, deleted after the loop.
  timer_t *many = malloc(sizeof(timer_t) * n);
  for (int i = 0; i < n; ++i)
    timer_create(CLOCK_MONOTONIC, NULL, &many[i]);
  for (int i = 0; i < n; ++i)
    timer_delete(many[i]);
  free(many);
}

// ---- timerfd ----

void timerfdLeak(void) {
  while (running()) { // NOTE: the loop has no small constant trip count; create the timerfd once before the loop
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // WARN: timerfd created on every iteration of this loop outlives the iteration: it is never released
    struct itimerspec its = {{0, 0}, {1, 0}};
    timerfd_settime(fd, 0, &its, NULL);
  }
}

void timerfdSilent(void) {
  while (running()) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {1, 0}};
    timerfd_settime(fd, 0, &its, NULL);
    unsigned long long ticks;
    read(fd, &ticks, sizeof ticks);
    close(fd);
  }
}

// ---- libuv ----

static void onTimer(uv_timer_t *h) { (void)h; }
static void onClose(uv_handle_t *h) { free(h); }
static void onceAndClose(uv_timer_t *h) { uv_close((uv_handle_t *)h, onClose); }

void uvLeak(uv_loop_t *loop) {
  while (running()) { // NOTE: the loop has no small constant trip count; initialise one uv_timer_t before the loop
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t); // WARN: libuv timer created on every iteration of this loop outlives the iteration: it is never released
    uv_timer_start(t, onTimer, 1000, 0);
    uv_run(loop, UV_RUN_NOWAIT);
  }
}

// Closes itself when it fires: lives until then, 5 minutes each.
void uvSelfClosing(uv_loop_t *loop) {
  for (;;) { // NOTE: the loop has no small constant
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t); // WARN: one pending timer piles up per iteration, each living 5 minutes until it fires
    uv_timer_start(t, onceAndClose, 300000, 0);
    uv_run(loop, UV_RUN_NOWAIT);
  }
}

void uvSilent(uv_loop_t *loop) {
  // Closed in the same iteration.
  while (running()) {
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t);
    uv_timer_start(t, onTimer, 1000, 0);
    uv_run(loop, UV_RUN_ONCE);
    uv_close((uv_handle_t *)t, onClose);
  }
  // Self-closing with a short delay (below MinDelayMs).
  while (running()) {
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t);
    uv_timer_start(t, onceAndClose, 10, 0);
    uv_run(loop, UV_RUN_ONCE);
  }
  // One handle re-armed.
  uv_timer_t one;
  uv_timer_init(loop, &one);
  while (running()) {
    uv_timer_start(&one, onTimer, 1000, 0);
    uv_run(loop, UV_RUN_ONCE);
  }
  uv_close((uv_handle_t *)&one, NULL);
}

// ---- GLib ----

static gboolean onceCb(gpointer data) { (void)data; return G_SOURCE_REMOVE; }
static gboolean foreverCb(gpointer data) { (void)data; return G_SOURCE_CONTINUE; }

void glibLeak(void) {
  while (running()) { // NOTE: the loop has no small constant trip count; keep one source and g_source_remove() the previous id
    g_timeout_add_seconds(180, onceCb, NULL); // WARN: GLib timeout source created on every iteration of this loop outlives the iteration: one pending timer piles up per iteration, each living 3 minutes until it fires
    g_main_context_iteration(NULL, FALSE);
  }
}

void glibForever(void) {
  while (running()) { // NOTE: the loop has no small constant
    g_timeout_add(50, foreverCb, NULL); // WARN: its callback never returns FALSE, so one source piles up per iteration and none is ever removed
    g_main_context_iteration(NULL, FALSE);
  }
}

void glibSilent(void) {
  // The id is removed in the same iteration.
  while (running()) {
    guint id = g_timeout_add_seconds(60, onceCb, NULL);
    g_main_context_iteration(NULL, FALSE);
    g_source_remove(id);
  }
  // A short one-shot.
  while (running()) {
    g_timeout_add(100, onceCb, NULL);
    g_main_context_iteration(NULL, FALSE);
  }
}

// ---- libevent ----

static void evCb(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what; (void)arg;
}
static void evFreeSelf(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what;
  event_free((struct event *)arg);
}

void eventLeak(struct event_base *base) {
  while (running()) { // NOTE: the loop has no small constant trip count; create the event once before the loop
    struct event *ev = evtimer_new(base, evCb, NULL); // WARN: libevent timer created on every iteration of this loop outlives the iteration: it is never released
    struct timeval tv = {5, 0};
    evtimer_add(ev, &tv);
    event_base_loop(base, EVLOOP_NONBLOCK);
  }
}

void eventSilent(struct event_base *base) {
  // Freed in the same iteration.
  while (running()) {
    struct event *ev = evtimer_new(base, evCb, NULL);
    struct timeval tv = {5, 0};
    evtimer_add(ev, &tv);
    event_base_loop(base, EVLOOP_ONCE);
    event_free(ev);
  }
  // One event re-armed.
  struct event *once = evtimer_new(base, evCb, NULL);
  while (running()) {
    struct timeval tv = {1, 0};
    evtimer_add(once, &tv);
    event_base_loop(base, EVLOOP_ONCE);
  }
  event_free(once);
}

// A self-freeing event: pending until it fires (duration unknown).
void eventSelfFree(struct event_base *base) {
  while (running()) { // NOTE: the loop has no small constant
    struct event *ev = event_new(base, -1, 0, evFreeSelf, NULL); // WARN: one pending timer piles up per iteration, each until it fires
    event_assign(ev, base, -1, 0, evFreeSelf, ev);
    struct timeval tv = {60, 0};
    event_add(ev, &tv);
  }
}

// Events on sockets or signals are not timers (libevent's test/regress.c:
// 70 write events, freed after the loop): silent. Neither is an event on a
// run-time fd, which may be a socket.
void socketEvents(struct event_base *base, evutil_socket_t *socks, int n,
                  evutil_socket_t fd) {
  for (int i = 0; i < n; ++i) {
    struct event *ev = event_new(base, socks[i], EV_WRITE, evCb, NULL);
    event_add(ev, NULL);
    struct event *sig = event_new(base, 2, EV_SIGNAL | EV_PERSIST, evCb, NULL);
    event_add(sig, NULL);
    struct event *any = event_new(base, fd, 0, evCb, NULL);
    event_add(any, NULL);
  }
}

// The do { ... } while (0) of a macro runs once (libevent's tt_ptr_op in
// test/regress_finalize.c): no loop.
#define CHECK_NOT_NULL(e)                                                      \
  do {                                                                         \
    if ((e) == NULL)                                                           \
      return;                                                                  \
  } while (0)
void macroOnce(struct event_base *base) {
  struct event *ev;
  CHECK_NOT_NULL(ev = event_new(base, -1, EV_TIMEOUT, evCb, NULL));
  event_add(ev, NULL);
}

// ---- configured functions (TimerCreateFunctions / TimerStopFunctions) ----

struct my_timer;
struct my_timer *my_timer_new(int ms);
void my_timer_free(struct my_timer *);

void configured(void) {
  while (running()) { // OPT-NOTE: the loop has no small constant
    struct my_timer *t = my_timer_new(1000); // OPT-WARN: timer created on every iteration of this loop outlives the iteration
    (void)t;
  }
  while (running()) {
    struct my_timer *t = my_timer_new(1000);
    my_timer_free(t);
  }
}

// ---- helpers, one level deep ----

static void startTimeout(uv_loop_t *loop) {
  uv_timer_t *t = malloc(sizeof *t);
  uv_timer_init(loop, t); // NOTE: libuv timer created here
  uv_timer_start(t, onTimer, 60000, 0);
}

void helperLoop(uv_loop_t *loop) {
  while (running()) { // NOTE: the loop has no small constant
    startTimeout(loop); // WARN: call to 'startTimeout' creates a libuv timer on every iteration of this loop that outlives the call
    uv_run(loop, UV_RUN_NOWAIT);
  }
}

// A helper that returns its timer: the caller owns it.
static struct event *makeTimer(struct event_base *base) {
  return evtimer_new(base, evCb, NULL);
}
void helperReturns(struct event_base *base) {
  while (running()) {
    struct event *ev = makeTimer(base);
    event_free(ev);
  }
}

// ---- macros ----
#define ARM_ONESHOT(base)                                                      \
  do {                                                                         \
    struct event *e_ = evtimer_new(base, evCb, NULL);                          \
    struct timeval tv_ = {1, 0};                                               \
    evtimer_add(e_, &tv_);                                                     \
    event_base_loop(base, EVLOOP_ONCE);                                        \
    event_free(e_);                                                            \
  } while (0)
void macroSilent(struct event_base *base) {
  while (running())
    ARM_ONESHOT(base);
}
