// REQUIRES: glib
// RUN: %check_leak --config="{CheckOptions: {leak-unbounded-global-cache.GrowFunctions: 'g_list_append;g_list_prepend;g_slist_prepend', leak-unbounded-global-cache.ShrinkFunctions: 'g_list_remove;g_list_delete_link;g_list_free_full;g_slist_remove'}}" --prefixes=,OPT %s leak-unbounded-global-cache -- -std=c11 %glib_flags
// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c11 %glib_flags
//
// GLib's lists are a C container API the model does not know: named in
// GrowFunctions / ShrinkFunctions they are containers (the list is the first
// argument; `L = g_list_append(L, X)` keeps the same container).

#include <glib.h>

// Must warn: a list that only grows.
static GList *history; // OPT-WARN: global GList 'history' only grows: elements are added with run-time values and never removed
void remember(const char *line) {
  history = g_list_append(history, g_strdup(line)); // OPT-NOTE: grows here: 'g_list_append' adds an element from parameter 'line'
}
guint history_len(void) { return g_list_length(history); }

static GSList *peers; // OPT-WARN: global GSList 'peers' only grows
void peer_joined(gpointer p) {
  peers = g_slist_prepend(peers, p); // OPT-NOTE: grows here: 'g_slist_prepend' adds an element from parameter 'p'
}

// Silent: entries leave the list.
static GList *waiting;
void wait_for(gpointer w) { waiting = g_list_prepend(waiting, w); }
void woken(gpointer w) { waiting = g_list_remove(waiting, w); }

// Silent: the whole list is freed.
static GList *batch;
void batch_add(gpointer x) { batch = g_list_append(batch, x); }
void batch_flush(void) {
  g_list_free_full(batch, g_free);
  batch = NULL;
}
