// RUN: %check_leak --allow-extra-notes %s leak-unstopped-ticker -- -std=c11 %glib_flags
// REQUIRES: glib
//
// leak-unstopped-ticker: a GLib source id kept in a struct member and
// overwritten by a function that may run while the source another function
// added is still active. Its callback never returns FALSE, so the old source
// runs for the rest of the process and its id is lost. Silent when the path
// to the new g_timeout_add removes the old source first (directly or
// through a helper), or tests the id.

#include <glib.h>

void poll_status(void);

static gboolean tick(gpointer data) {
  (void)data;
  poll_status();
  return G_SOURCE_CONTINUE;
}

static gboolean sometimes(gpointer data) {
  if (!data)
    return G_SOURCE_REMOVE;
  poll_status();
  return G_SOURCE_CONTINUE;
}

//===--- Reported -----------------------------------------------------------===//

struct monitor {
  guint poll_id;
};

void monitor_start(struct monitor *m) {
  m->poll_id = g_timeout_add(1000, tick, m); // NOTE: 'poll_id' is first set here
}

// The interval changes: a new source, the old one still running.
void monitor_set_interval(struct monitor *m, guint ms) {
  m->poll_id = g_timeout_add(ms, tick, m); // WARN: a new GLib timeout source id is stored in 'poll_id' while the source it holds may still be active; that source's callback 'tick' never returns FALSE, and with its id lost nothing can remove it NOTE: overwritten here while the old source may still be active NOTE: g_source_remove() the old id before adding a new source
}

void monitor_stop(struct monitor *m) { g_source_remove(m->poll_id); }

// Removed on one branch only.
struct blinker {
  guint blink_id;
};

void blinker_start(struct blinker *b) { b->blink_id = g_timeout_add(500, tick, b); }

void blinker_restart(struct blinker *b, gboolean fast) {
  if (fast) // NOTE: taking the false branch
    g_source_remove(b->blink_id);
  b->blink_id = g_timeout_add(fast ? 100 : 500, tick, b); // WARN: a new GLib timeout source id is stored in 'blink_id'
}

void blinker_stop(struct blinker *b) { g_source_remove(b->blink_id); }

//===--- Silent -------------------------------------------------------------===//

struct poller {
  guint id;
};

void poller_start(struct poller *p) { p->id = g_timeout_add(1000, tick, p); }

void poller_stop(struct poller *p) {
  if (p->id)
    g_source_remove(p->id);
  p->id = 0;
}

// Removes the old source first.
void poller_set_interval(struct poller *p, guint ms) {
  g_source_remove(p->id);
  p->id = g_timeout_add(ms, tick, p);
}

// Through a helper that removes it.
void poller_restart(struct poller *p) {
  poller_stop(p);
  p->id = g_timeout_add(1000, tick, p);
}

// Guarded by the id itself: unsure.
void poller_ensure(struct poller *p) {
  if (p->id != 0)
    return;
  p->id = g_timeout_add(1000, tick, p);
}

// A callback that can say stop: the old source may end on its own.
struct refresher {
  guint id;
};
void refresher_start(struct refresher *r) { r->id = g_timeout_add(100, sometimes, r); }
void refresher_again(struct refresher *r) { r->id = g_timeout_add(100, sometimes, r); }
void refresher_stop(struct refresher *r) { g_source_remove(r->id); }

// Only one function ever sets it.
struct single {
  guint id;
};
void single_start(struct single *s) { s->id = g_timeout_add(100, tick, s); }
void single_stop(struct single *s) { g_source_remove(s->id); }
