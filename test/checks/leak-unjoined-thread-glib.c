// REQUIRES: glib
// GLib threads: g_thread_new returns a GThread * that must be joined
// (g_thread_join) or released (g_thread_unref, the thread then runs detached).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c11 %glib_flags
// Only g_thread_try_new tracked: the g_thread_new cases go silent.
// RUN: %check_leak --allow-extra-notes --prefixes=ONLYTRY --config="{CheckOptions: {leak-unjoined-thread.SpawnReturningFunctions: 'g_thread_try_new'}}" %s leak-unjoined-thread -- -std=c11 %glib_flags

#include <glib.h>

static gpointer worker(gpointer data) { return data; }
static gpointer endless(gpointer data) {
  for (;;)
    g_print("working\n");
  return data;
}
int ready(void);
void keep(GThread *t);

struct app {
  GThread *thread;
};

void early_return(void) {
  GThread *t = g_thread_new("worker", worker, NULL); // WARN: thread 't' started by 'g_thread_new' is neither joined nor detached on this path
  if (!ready())
    return; // NOTE: returns here
  g_thread_join(t);
}

void dropped(void) {
  g_thread_new("worker", worker, NULL); // WARN: the thread started by g_thread_new is never joined and its handle is dropped
}

void unreffed_endless(void) {
  GThread *t = g_thread_new("loop", endless, NULL); // WARN: detached thread runs a loop that nothing can stop
  g_thread_unref(t); // NOTE: detached here
}

void try_new_early_return(void) {
  GThread *t = g_thread_try_new("worker", worker, NULL, NULL); // WARN: thread 't' started by 'g_thread_try_new' is neither joined nor detached ONLYTRY-WARN: started by 'g_thread_try_new'
  if (!t)
    return; // failed: no thread
  if (!ready())
    return; // NOTE: returns here
  g_thread_join(t);
}

// Silent.
void joined(void) {
  GThread *t = g_thread_new("worker", worker, NULL);
  g_thread_join(t);
}

void unreffed(void) {
  GThread *t = g_thread_new("worker", worker, NULL);
  g_thread_unref(t);
}

void try_new_checked(void) {
  GError *err = NULL;
  GThread *t = g_thread_try_new("worker", worker, NULL, &err);
  if (!t) {
    g_error_free(err);
    return; // no thread was started
  }
  g_thread_join(t);
}

void stored(struct app *a) { a->thread = g_thread_new("worker", worker, NULL); }

void handed_off(void) {
  GThread *t = g_thread_new("worker", worker, NULL);
  keep(t);
}
