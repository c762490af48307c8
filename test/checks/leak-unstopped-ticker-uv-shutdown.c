// RUN: %check_leak %s leak-unstopped-ticker -- -std=gnu11
// RUN: %check_leak --prefixes=NOSHUTDOWN %s leak-unstopped-ticker -- -std=gnu11 -DNO_SHUTDOWN
// REQUIRES: libuv
//
// A function that runs uv_run() owns what it arms: a process-wide ticker is
// a design choice. But when the file shuts the loop down by closing its
// other handles and forgets a periodic timer, uv_run() keeps running for
// that timer and never returns. Without any shutdown (NOSHUTDOWN) the
// function is exempt as before.

#include <signal.h>
#include <uv.h>

static uv_timer_t tick;
static uv_timer_t flush_timer;
static uv_signal_t sig;

static void on_tick(uv_timer_t *t) { (void)t; }

static void on_signal(uv_signal_t *s, int signum) {
  (void)signum;
#ifndef NO_SHUTDOWN
  uv_close((uv_handle_t *)s, NULL); // NOTE: another handle of the loop is closed here
  uv_close((uv_handle_t *)&flush_timer, NULL);
#endif
}

void run_server(uv_loop_t *loop) {
  uv_timer_init(loop, &tick);
  uv_timer_start(&tick, on_tick, 1000, 1000); // WARN: periodic libuv timer 'tick' is never stopped or closed, while the shutdown closes the loop's other handles: the timer keeps uv_run() running, so it never returns
                                              // NOTE@-1: uv_timer_stop() or uv_close() the timer where the other handles are closed
  // Closed by the shutdown: silent.
  uv_timer_init(loop, &flush_timer);
  uv_timer_start(&flush_timer, on_tick, 5000, 5000);
  uv_signal_init(loop, &sig);
  uv_signal_start(&sig, on_signal, SIGINT);
  uv_run(loop, UV_RUN_DEFAULT);
}
