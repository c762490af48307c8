// GLib: g_bytes_new_from_bytes() returns a GBytes that references its parent
// (form 1), and g_malloc'ed blocks (form 2).
// REQUIRES: glib
// RUN: %check_leak %s leak-retained-slice -- -std=c11 %glib_flags
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.SlicingFunctions: '+my_bytes_slice'}}" --prefixes=,OPT %s leak-retained-slice -- -std=c11 %glib_flags

#include <glib.h>
#include <string.h>

static GBytes *g_header;
static GHashTable *g_cache;

GBytes *my_bytes_slice(GBytes *parent, gsize off, gsize len);

/* The header slice of a whole file kept in a global. */
void keep_header(GBytes *file) { /* NOTE: the retained buffer comes from parameter 'file' */
  g_header = g_bytes_new_from_bytes(file, 0, 16); /* WARN: slice stored in 'g_header' keeps the whole buffer alive (size unknown) NOTE: copy the part you need into a buffer of its own (e.g. g_bytes_new(data + offset, length)) */
}

/* Read from input, then a slice cached in a global hash table. */
void cache_record(const char *path, const char *key) {
  gchar *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents(path, &contents, &length, NULL))
    return;
  GBytes *all = g_bytes_new_take(contents, length); /* NOTE: the retained buffer is allocated here */
  g_hash_table_insert(g_cache, g_strdup(key), g_bytes_new_from_bytes(all, 4, 8)); /* WARN: slice stored in an element of 'g_cache' keeps the whole buffer alive (size unknown) NOTE: copy the part */
  g_bytes_unref(all);
}

/* A large constant size, through a local variable. */
void keep_large(const void *data) {
  GBytes *big = g_bytes_new(data, 1 << 20); /* NOTE: the retained buffer is allocated here */
  GBytes *part = g_bytes_new_from_bytes(big, 0, 3); /* NOTE: the slice is made here */
  g_header = part; /* WARN: slice stored in 'g_header' keeps the whole buffer alive (1048576 bytes) NOTE: copy the part */
  g_bytes_unref(big);
}

/* A configured slicing function (OwnerTypes does not apply to C pointers). */
void keep_custom(GBytes *file) { /* OPT-NOTE: the retained buffer comes from parameter 'file' */
  g_header = my_bytes_slice(file, 0, 3); /* OPT-WARN: slice stored in 'g_header' OPT-NOTE: copy the part */
}

/* Form 2 with g_malloc. */
static const char *g_value;
void keep_value(gsize n) {
  char *block = g_malloc(n); /* NOTE: the block is allocated here; its base pointer 'block' is never freed nor kept */
  memset(block, 'x', n);
  g_value = block + 6; /* WARN: pointer into the middle of a heap block stored in 'g_value' NOTE: copy the part */
}

/* --- Must stay silent --- */

/* A copy of the slice. */
void copy_header(GBytes *file) {
  gsize size = 0;
  const guint8 *data = g_bytes_get_data(file, &size);
  g_header = g_bytes_new(data, size < 16 ? size : 16);
}
/* A local slice that never escapes. */
gsize local_slice(GBytes *file) {
  GBytes *part = g_bytes_new_from_bytes(file, 0, 16);
  gsize n = g_bytes_get_size(part);
  g_bytes_unref(part);
  return n;
}
/* Returned to the caller. */
GBytes *returned_slice(GBytes *file) { return g_bytes_new_from_bytes(file, 0, 16); }
/* A small parent, or static data. */
void small_parent(const void *data) {
  GBytes *small = g_bytes_new(data, 64);
  g_header = g_bytes_new_from_bytes(small, 0, 3);
  g_bytes_unref(small);
}
static const char k_table[] = "static table contents";
void static_parent(void) {
  GBytes *st = g_bytes_new_static(k_table, sizeof k_table);
  g_header = g_bytes_new_from_bytes(st, 0, 6);
}
/* A parent that is itself global: nothing extra is retained. */
static GBytes *g_file;
void view_into_global(void) { g_header = g_bytes_new_from_bytes(g_file, 0, 6); }
