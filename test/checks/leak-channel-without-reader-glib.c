// REQUIRES: glib
// RUN: %check_leak %s leak-channel-without-reader -- -std=c11 %glib_flags
// RUN: %check_leak --config="{CheckOptions: {leak-channel-without-reader.ReportEscapingChannels: 'true'}}" --prefixes=,ESC %s leak-channel-without-reader -- -std=c11 %glib_flags
// RUN: %check_leak %s leak-channel-without-reader -- -x c++ -std=c++17 %glib_flags
// RUN: %check_leak --allow-errors --allow-extra-notes %s leak-channel-without-reader -- -std=c11 %glib_flags -DBROKEN

// GLib's GAsyncQueue, the real header, from C (and the same file as C++).
// The queue is unbounded: a push never blocks, so only form 3 applies --
// values pushed that nobody pops pile up until the queue is freed.
#include <glib.h>

gpointer worker(gpointer data);
void process(gpointer item);

//===-- Form 3: pushed, never popped --------------------------------------===//

static GAsyncQueue *events; // WARN: 'events' is sent to but never received from in this translation unit: the values pile up until it is destroyed NOTE: receive from 'events'
void initEvents(void) { events = g_async_queue_new_full(g_free); }
void postEvent(int code) { g_async_queue_push(events, GINT_TO_POINTER(code + 1)); } // NOTE: sent here

struct Logger {
  GAsyncQueue *lines; // WARN: 'lines' is sent to but never received from NOTE: receive from 'lines'
};
void loggerInit(struct Logger *l) { l->lines = g_async_queue_new(); }
void loggerWrite(struct Logger *l, char *line) { g_async_queue_push(l->lines, line); } // NOTE: sent here

// A field given a queue made elsewhere: whoever made it may pop.
struct Sink {
  GAsyncQueue *out;
};
void sinkWrite(struct Sink *s, char *line) { g_async_queue_push(s->out, line); }

//===-- Must stay silent ---------------------------------------------------===//

// A local queue only its own function writes: dead, freed by the unref.
void logOnly(const char *msg) {
  GAsyncQueue *q = g_async_queue_new();
  g_async_queue_push(q, (gpointer)msg);
  g_async_queue_push(q, (gpointer)msg);
  g_async_queue_unref(q);
}

// Pushed and popped.
void roundTrip(void) {
  GAsyncQueue *q = g_async_queue_new();
  g_async_queue_push(q, GINT_TO_POINTER(1));
  process(g_async_queue_pop(q));
  g_async_queue_unref(q);
}

// A timed pop reads too.
static GAsyncQueue *jobs;
void submit(gpointer job) { g_async_queue_push(jobs, job); }
void drainJobs(void) {
  gpointer job;
  while ((job = g_async_queue_timeout_pop(jobs, 1000)) != NULL)
    process(job);
}

// Handed to a thread function through GLib: its pops are not visible here
// (reported only with ReportEscapingChannels).
void startWorker(void) {
  GAsyncQueue *q = g_async_queue_new(); // ESC-WARN: 'q' is sent to ESC-NOTE: receive from 'q'
  GThread *t = g_thread_new("worker", worker, q);
  g_async_queue_push(q, GINT_TO_POINTER(1)); // ESC-NOTE: sent here
  g_thread_join(t);
}

// A queue made elsewhere.
void pushTo(GAsyncQueue *q) { g_async_queue_push(q, GINT_TO_POINTER(2)); }

#ifdef BROKEN
void broken(void) {
  GAsyncQueue *q = g_async_queue_new(;
  g_async_queue_push(q, undeclared);
#endif
