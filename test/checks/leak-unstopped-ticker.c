// RUN: %check_leak %s leak-unstopped-ticker -- -std=c11 -D_GNU_SOURCE %glib_flags
// REQUIRES: libuv, libevent, glib
//
// leak-unstopped-ticker on the C timer APIs: periodic POSIX timers and
// timerfds, repeating libuv timers, persistent libevent timers, GLib sources
// whose callback never says stop, and pthread ticker loops.

#include <event2/event.h>
#include <glib.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

void work(void);

// ---- POSIX / timerfd ----

void posixLost(void) {
  timer_t tid;
  timer_create(CLOCK_MONOTONIC, NULL, &tid); // NOTE: POSIX timer created here
  struct itimerspec its = {0};
  its.it_interval.tv_sec = 1;
  its.it_value.tv_sec = 1;
  timer_settime(tid, 0, &its, NULL); // WARN: periodic POSIX timer 'tid' is never stopped
                                     // NOTE@-1: timer_delete() it when its owner is done
}

int timerfdLost(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0); // NOTE: timerfd created here
  struct itimerspec its = {{1, 0}, {1, 0}};
  timerfd_settime(fd, 0, &its, NULL); // WARN: periodic timerfd 'fd' is never stopped
                                      // NOTE@-1: close() the timerfd
  return 0;
}

// Silent: deleted, closed, returned, one-shot, global.
void posixDeleted(void) {
  timer_t tid;
  timer_create(CLOCK_MONOTONIC, NULL, &tid);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timer_settime(tid, 0, &its, NULL);
  work();
  timer_delete(tid);
}
int timerfdReturned(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timerfd_settime(fd, 0, &its, NULL);
  return fd; // the caller closes it
}
void timerfdClosed(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timerfd_settime(fd, 0, &its, NULL);
  close(fd);
}
void posixOneShot(void) {
  timer_t tid;
  timer_create(CLOCK_MONOTONIC, NULL, &tid);
  struct itimerspec its = {{0, 0}, {5, 0}};
  timer_settime(tid, 0, &its, NULL);
}
static timer_t g_tick;
void posixGlobal(void) {
  struct itimerspec its = {{1, 0}, {1, 0}};
  timer_settime(g_tick, 0, &its, NULL); // a process-wide ticker by design
}

// The function never returns: its endless loop consumes the ticks.
void sampleForever(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timerfd_settime(fd, 0, &its, NULL);
  for (;;) {
    unsigned long long ticks;
    read(fd, &ticks, sizeof ticks);
    work();
  }
}

// ---- libuv ----

static void onTick(uv_timer_t *h) { (void)h; work(); }
static void onTickStop(uv_timer_t *h) {
  static int n;
  if (++n == 10)
    uv_timer_stop(h);
}

struct client {
  uv_timer_t keepalive;
  uv_timer_t retry;
};

void clientStart(uv_loop_t *loop, struct client *c) {
  uv_timer_init(loop, &c->keepalive); // NOTE: libuv timer created here
  uv_timer_start(&c->keepalive, onTick, 1000, 1000); // WARN: periodic libuv timer 'keepalive' is never stopped
                                                     // NOTE@-1: uv_timer_stop() or uv_close() it
  uv_timer_init(loop, &c->retry);
  uv_timer_start(&c->retry, onTick, 1000, 1000);
}
void clientStop(struct client *c) { uv_timer_stop(&c->retry); }

void uvSilent(uv_loop_t *loop, struct client *c) {
  uv_timer_t *t = malloc(sizeof *t);
  uv_timer_init(loop, t);
  uv_timer_start(t, onTick, 1000, 0); // one-shot (repeat 0)
  uv_timer_t *u = malloc(sizeof *u);
  uv_timer_init(loop, u);
  uv_timer_start(u, onTickStop, 100, 100); // its callback stops it
  (void)c;
}

// A function that runs the loop: the timer lives as long as the loop.
void uvRunner(void) {
  uv_loop_t *loop = uv_default_loop();
  uv_timer_t t;
  uv_timer_init(loop, &t);
  uv_timer_start(&t, onTick, 1000, 1000);
  uv_run(loop, UV_RUN_DEFAULT);
}

// ---- libevent ----

static void evTick(evutil_socket_t fd, short what, void *arg) {
  (void)fd; (void)what; (void)arg;
  work();
}

struct session {
  struct event *ping;
  struct event *idle;
  struct event *read;
};

void sessionStart(struct event_base *base, struct session *s, int sock) {
  struct timeval tv = {5, 0};
  s->ping = event_new(base, -1, EV_PERSIST, evTick, s); // NOTE: libevent timer created here
  event_add(s->ping, &tv); // WARN: periodic libevent timer 'ping' is never stopped
                           // NOTE@-1: event_del() or event_free() it
  // Persistent, but freed in sessionEnd.
  s->idle = event_new(base, -1, EV_PERSIST, evTick, s);
  event_add(s->idle, &tv);
  // An I/O event, not a timer.
  s->read = event_new(base, sock, EV_READ | EV_PERSIST, evTick, s);
  event_add(s->read, NULL);
  // A one-shot timer.
  struct event *once = evtimer_new(base, evTick, NULL);
  evtimer_add(once, &tv);
}
void sessionEnd(struct session *s) { event_free(s->idle); }

// ---- GLib ----

static gboolean forever(gpointer data) { (void)data; work(); return G_SOURCE_CONTINUE; } // NOTE: 'forever' always returns TRUE
static gboolean foreverToo(gpointer data) { (void)data; return TRUE; } // NOTE: 'foreverToo' always returns TRUE
static gboolean sometimes(gpointer data) {
  if (!data)
    return G_SOURCE_REMOVE;
  work();
  return G_SOURCE_CONTINUE;
}

struct widget {
  guint refresh;
  guint blink;
};

void widgetInit(struct widget *w) {
  g_timeout_add_seconds(5, forever, w); // WARN: periodic GLib timeout source can never be removed: its callback 'forever' never returns FALSE and the source id is discarded
                                        // NOTE@-1: keep the id and g_source_remove() it
  w->refresh = g_timeout_add(100, foreverToo, w); // WARN: periodic GLib timeout source stored in 'refresh' is never removed
                                                  // NOTE@-1: keep the id and g_source_remove() it
  // Silent: removed in cleanup, or the callback can say stop.
  w->blink = g_timeout_add(500, forever, w);
  g_timeout_add(100, sometimes, w);
  g_timeout_add(100, G_SOURCE_FUNC(sometimes), w);
}
void widgetDestroy(struct widget *w) { g_source_remove(w->blink); }

// ---- pthread ticker loops ----

static void *sampler(void *arg) {
  (void)arg;
  for (;;) { // WARN: endless loop waits on every turn and has no exit
             // NOTE@-1: leave the loop when
    work();
    sleep(1); // NOTE: waits here on every turn
  }
  return NULL;
}

static volatile int quit;
static void *goodSampler(void *arg) {
  (void)arg;
  for (;;) {
    sleep(1);
    if (quit)
      break;
  }
  return NULL;
}

// Not a thread body: silent.
void loopForever(void) {
  for (;;) {
    work();
    sleep(1);
  }
}

void startThreads(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, sampler, NULL);
  pthread_create(&b, NULL, goodSampler, NULL);
}

// main (and functions running an event loop) own the process: silent.
int main(void) {
  struct widget w;
  g_timeout_add(1000, forever, &w);
  timer_t tid;
  timer_create(CLOCK_MONOTONIC, NULL, &tid);
  struct itimerspec its = {{1, 0}, {1, 0}};
  timer_settime(tid, 0, &its, NULL);
  for (;;)
    sleep(1);
}
