// REQUIRES: glib
// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17 %glib_flags

// GLib's tables used from C++: a singleton holding a GHashTable.
#include <glib.h>
#include <string>

class IconCache {
public:
  static IconCache &get() {
    static IconCache C;
    return C;
  }
  void add(const std::string &Name, gpointer Icon) {
    g_hash_table_insert(Table, g_strdup(Name.c_str()), Icon); // NOTE: 'g_hash_table_insert' adds a key from parameter 'Name'
  }

private:
  IconCache() : Table(g_hash_table_new(g_str_hash, g_str_equal)) {}
  GHashTable *Table; // WARN: member GHashTable 'IconCache::Table' only grows
};

static GHashTable *Aliases = g_hash_table_new(g_str_hash, g_str_equal); // WARN: global GHashTable 'Aliases' only grows
void alias(const char *From, const char *To) { g_hash_table_insert(Aliases, (gpointer)From, (gpointer)To); } // NOTE: from parameter 'From'

// Silent: stolen entries.
static GHashTable *Stolen = g_hash_table_new(g_str_hash, g_str_equal);
void putS(char *K) { g_hash_table_insert(Stolen, K, K); }
void takeS(const char *K) { g_hash_table_steal(Stolen, K); }

// Silent: filled once with g_once / std::call_once-like start-up code is not
// modelled for g_once_init_enter; a constant table is.
static GHashTable *Builtins = g_hash_table_new(g_str_hash, g_str_equal);
static const char *const Names[] = {"a", "b"};
void fillBuiltins() {
  for (const char *N : Names)
    g_hash_table_add(Builtins, (gpointer)N);
}
