// RUN: %check_leak %s leak-unstopped-ticker -- -std=c11 %glib_flags
//
// leak-unstopped-ticker and the program model (lib/program) in C: whether
// the function that adds a GLib source returns (ProgramFacts::neverReturns).

#include <glib.h>

void work(void);

static gboolean tick(gpointer d) { (void)d; work(); return G_SOURCE_CONTINUE; } // NOTE: 'tick' always returns TRUE

// The main loop returns when quit() is called: each call of runUntilQuit()
// leaves one more source that nobody can remove.
static GMainLoop *loop;
void runUntilQuit(void) {
  loop = g_main_loop_new(NULL, FALSE);
  g_timeout_add(100, tick, NULL); // WARN: periodic GLib timeout source can never be removed: its callback 'tick' never returns FALSE and the source id is discarded
                                  // NOTE@-1: keep the id and g_source_remove() it
  g_main_loop_run(loop);
}
void quit(void) { g_main_loop_quit(loop); }

// app() never returns (serveForever() iterates the context forever): its
// source lives as long as the process, by design.
void serveForever(void) {
  for (;;)
    g_main_context_iteration(NULL, TRUE);
}
void app(void) {
  g_timeout_add(100, tick, NULL);
  serveForever();
}
