// RUN: %check_leak --allow-extra-notes %s leak-unstopped-ticker -- -std=c11 %glib_flags
// REQUIRES: glib
//
// leak-unstopped-ticker: a GLib source id kept in a GLOBAL (not a struct
// member) and overwritten by a function that may run while the source
// another function added is still active. The callback never returns FALSE,
// so the old source runs for the rest of the process and its id is lost.
// Silent when the path to the new g_timeout_add removes the old source first
// (directly or through a helper), tests the id (or another global), or when
// only one function ever stores into the global.

#include <glib.h>

void poll_status(void);

static gboolean tick(gpointer data) {
  (void)data;
  poll_status();
  return G_SOURCE_CONTINUE;
}

//===--- Reported -----------------------------------------------------------===//

static guint g_poll_id;

void poll_start(void) {
  g_poll_id = g_timeout_add(1000, tick, NULL); // NOTE: 'g_poll_id' is first set here
}

// The interval changes: a new source, the old one still running.
void poll_set_interval(guint ms) {
  g_poll_id = g_timeout_add(ms, tick, NULL); // WARN: a new GLib timeout source id is stored in 'g_poll_id' while the source it holds may still be active; that source's callback 'tick' never returns FALSE, and with its id lost nothing can remove it NOTE: overwritten here while the old source may still be active NOTE: g_source_remove() the old id before adding a new source
}

void poll_stop(void) { g_source_remove(g_poll_id); }

// Removed on one branch only.
guint blink_id;

void blink_start(void) { blink_id = g_timeout_add(500, tick, NULL); }

void blink_restart(gboolean fast) {
  if (fast) // NOTE: taking the false branch
    g_source_remove(blink_id);
  blink_id = g_timeout_add(fast ? 100 : 500, tick, NULL); // WARN: a new GLib timeout source id is stored in 'blink_id'
}

void blink_stop(void) { g_source_remove(blink_id); }

//===--- Silent -------------------------------------------------------------===//

static guint refresh_id;

void refresh_start(void) { refresh_id = g_timeout_add(1000, tick, NULL); }

void refresh_stop(void) {
  if (refresh_id)
    g_source_remove(refresh_id);
  refresh_id = 0;
}

// Removes the old source first.
void refresh_set_interval(guint ms) {
  g_source_remove(refresh_id);
  refresh_id = g_timeout_add(ms, tick, NULL);
}

// Through a helper that removes it.
void refresh_restart(void) {
  refresh_stop();
  refresh_id = g_timeout_add(1000, tick, NULL);
}

// Guarded by the id itself: unsure.
void refresh_ensure(void) {
  if (refresh_id != 0)
    return;
  refresh_id = g_timeout_add(1000, tick, NULL);
}

// Only one function ever sets it.
static guint single_id;
void single_start(void) { single_id = g_timeout_add(100, tick, NULL); }
void single_stop(void) { g_source_remove(single_id); }

// A local of the same name pattern: not a global, not this form.
void local_twice(void) {
  guint id = g_timeout_add(100, tick, NULL);
  g_source_remove(id);
  id = g_timeout_add(200, tick, NULL);
  g_source_remove(id);
}
