// RUN: %check_leak --config="{CheckOptions: {leak-unbounded-global-cache.GrowFunctions: 'list_append;rb_insert', leak-unbounded-global-cache.ShrinkFunctions: 'list_remove;rb_erase'}}" --prefixes=,OPT %s leak-unbounded-global-cache -- -std=c11 -I %S/Inputs
// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c11 -I %S/Inputs
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --config="{CheckOptions: {leak-unbounded-global-cache.GrowFunctions: 'list_append;rb insert', leak-unbounded-global-cache.ShrinkFunctions: 'list_append'}}" %s -- -std=c11 -I %S/Inputs 2>&1 | %FileCheck --check-prefix=BAD %s
//
// A project's own C containers (an intrusive list, a red-black tree): the
// options GrowFunctions and ShrinkFunctions name the functions of their API
// that add and remove entries, the container being the first argument.
// Without the options these are opaque structs: silent.
// BAD-DAG: invalid value in option 'leak-unbounded-global-cache.GrowFunctions': 'rb insert' is not an identifier
// BAD-DAG: invalid value in options 'leak-unbounded-global-cache.GrowFunctions' and 'leak-unbounded-global-cache.ShrinkFunctions': 'list_append' is named in both; the entry is ignored

#include <stdlib.h>
#include "capi-containers.h"

struct request {
  struct list_node link;
  long id;
};

// Must warn (with the options): an object grown through its address.
static struct list pending; // OPT-WARN: global struct list 'pending' only grows: elements are added with run-time values and never removed
void enqueue(struct request *r) {
  list_append(&pending, &r->link); // OPT-NOTE: grows here: 'list_append' adds an element from parameter 'r'
}

// Must warn: a tree made at start and filled per request.
static struct rb_tree *sessions; // OPT-WARN: global struct rb_tree 'sessions' only grows
void sessions_init(void) { sessions = rb_new(); }
void session_open(long id, void *s) {
  rb_insert(sessions, id, s); // OPT-NOTE: grows here: 'rb_insert' adds an element from parameter 'id'
}

// Silent: the list is trimmed when a request is done.
static struct list active;
void start(struct request *r) { list_append(&active, &r->link); }
void done(struct request *r) { list_remove(&active, &r->link); }

// Silent: the tree is trimmed.
static struct rb_tree *timers;
void timer_add(long id, void *t) {
  if (!timers)
    timers = rb_new();
  rb_insert(timers, id, t);
}
void timer_cancel(long id) { rb_erase(timers, id); }

// Silent: a local list dies with its function.
void batch(struct request *rs, int n) {
  struct list tmp;
  list_init(&tmp);
  for (int i = 0; i < n; ++i)
    list_append(&tmp, &rs[i].link);
}

// Silent: capped by its length.
static struct list backlog;
void defer(struct request *r) {
  if (list_len(&backlog) >= 128)
    return;
  list_append(&backlog, &r->link);
}
