// REQUIRES: glib
// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c11 %glib_flags

#include <glib.h>
#include <stdio.h>

// Must warn: GHashTable grown with run-time keys, never removed.
static GHashTable *sessions; // WARN: global GHashTable 'sessions' only grows: entries are added with run-time keys
void session_open(const char *user, gpointer data) {
  if (!sessions)
    sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert(sessions, g_strdup(user), data); // NOTE: grows here: 'g_hash_table_insert' adds a key from parameter 'user'
}
gpointer session_find(const char *user) { return g_hash_table_lookup(sessions, user); }

GHashTable *seen; // WARN: global GHashTable 'seen' only grows
void mark_seen(int id) {
  g_hash_table_add(seen, GINT_TO_POINTER(id)); // NOTE: 'g_hash_table_add' adds a key from parameter 'id'
}

static GPtrArray *pending; // WARN: global GPtrArray 'pending' only grows: elements are added with run-time values
void queue_line(FILE *f) {
  char buf[128];
  while (fgets(buf, sizeof buf, f))
    g_ptr_array_add(pending, g_strdup(buf)); // NOTE: 'g_ptr_array_add' adds an element from variable 'buf' (read by 'fgets')
}

static GArray *values; // WARN: global GArray 'values' only grows
void add_value(double v) { g_array_append_val(values, v); } // NOTE: 'g_array_append_vals' adds an element from parameter 'v'

static GTree *ordered; // WARN: global GTree 'ordered' only grows
void order(char *key) { g_tree_insert(ordered, key, key); } // NOTE: 'g_tree_insert' adds a key from parameter 'key'

// A C struct that lives for the program.
static struct {
  GHashTable *by_name; // WARN: member GHashTable 'by_name' only grows
  int count;
} state;
void state_add(const char *name) { g_hash_table_replace(state.by_name, g_strdup(name), NULL); } // NOTE: 'g_hash_table_replace' adds a key from parameter 'name'

// Silent: removed, stolen, cleared or destroyed somewhere.
static GHashTable *removed;
void removed_put(const char *k) { g_hash_table_insert(removed, g_strdup(k), NULL); }
void removed_drop(const char *k) { g_hash_table_remove(removed, k); }

static GHashTable *cleared;
void cleared_put(const char *k) { g_hash_table_insert(cleared, g_strdup(k), NULL); }
void cleared_reset(void) { g_hash_table_remove_all(cleared); }

static GHashTable *destroyed;
void destroyed_put(const char *k) { g_hash_table_insert(destroyed, g_strdup(k), NULL); }
void destroyed_free(void) {
  g_hash_table_destroy(destroyed);
  destroyed = NULL;
}

static GHashTable *expiring;
void expiring_put(const char *k, gint64 when) { g_hash_table_insert(expiring, g_strdup(k), GSIZE_TO_POINTER(when)); }
void expiring_sweep(gint64 now) {
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, expiring);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (GPOINTER_TO_SIZE(v) < (gsize)now)
      g_hash_table_iter_remove(&it);
}

static GHashTable *capped;
void capped_put(const char *k) {
  if (g_hash_table_size(capped) < 1000)
    g_hash_table_insert(capped, g_strdup(k), NULL);
}

// Silent: constant keys.
static GHashTable *flags;
void set_flags(void) {
  g_hash_table_insert(flags, "verbose", GINT_TO_POINTER(1));
  g_hash_table_insert(flags, "debug", GINT_TO_POINTER(0));
}

// Silent: handed to a function we cannot see.
static GHashTable *handed;
void cleanup_table(GHashTable *t);
void handed_put(const char *k) {
  g_hash_table_insert(handed, g_strdup(k), NULL);
  cleanup_table(handed);
}

// Silent: a local table.
guint count_distinct(char **words, int n) {
  GHashTable *local = g_hash_table_new(g_str_hash, g_str_equal);
  for (int i = 0; i < n; ++i)
    g_hash_table_add(local, words[i]);
  guint size = g_hash_table_size(local);
  g_hash_table_destroy(local);
  return size;
}
