// RUN: %check_leak %s leak-retained-slice -- -std=gnu11
//
// Form 2, issue 17: a pointer into a heap block whose base is freed (or
// kept) on some paths only -- judged per path by the lifetime engine: from
// the store of the interior pointer, a path to the function's end on which
// the base is neither freed nor kept is a leak through the slice. And a base
// that is a pointer field of a call's result (`struct resp r = fetch(fd);
// g = r.body + 16;`), which the call hands over and nothing frees.

#include <stdlib.h>
#include <string.h>

struct resp {
  char *body;
  size_t len;
  int status;
};
struct resp fetch(int fd);
void resp_free(struct resp *r);
int valid(const char *p);

static const char *g_name;
static const char *g_tail;
static const char *g_body;

//===----------------------------------------------------------------------===//
// Must warn.
//===----------------------------------------------------------------------===//

// Freed only when the caller does not keep it.
void parse_name(size_t n, int keep) {
  char *block = malloc(n); // NOTE: the block is allocated here; its base pointer 'block' is freed or kept on some paths only
  g_name = block + 4; // WARN: pointer into the middle of a heap block stored in 'g_name' keeps the whole block alive (size unknown) NOTE: copy the part you need
  if (!keep) // NOTE: taking the false branch
    free(block);
} // NOTE: on this path 'block' is neither freed nor kept: the slice keeps the whole block alive

// Freed on the error path only (an early return keeps nothing).
int parse_tail(size_t n) {
  char *block = malloc(n); // NOTE: its base pointer 'block' is freed or kept on some paths only
  g_tail = &block[8]; // WARN: pointer into the middle of a heap block stored in 'g_tail' NOTE: copy the part you need
  if (!valid(g_tail)) { // NOTE: taking the false branch
    free(block);
    return -1;
  }
  return 0; // NOTE: on this path 'block' is neither freed nor kept
}

// The body of a response: the call hands the block over, nothing frees it.
void keep_body(int fd) {
  struct resp r = fetch(fd); // NOTE: the block is handed over by this call in 'r.body', which is never freed nor kept
  if (r.status != 200)
    return;
  g_body = r.body + 16; // WARN: pointer into the middle of a heap block stored in 'g_body' keeps the whole block alive (size unknown) NOTE: copy the part you need
}

// The body freed on one path only.
void keep_body_maybe(int fd, int keep) {
  struct resp r = fetch(fd); // NOTE: the block is handed over by this call here; its base pointer 'r.body' is freed or kept on some paths only
  g_body = r.body + 16; // WARN: pointer into the middle of a heap block stored in 'g_body' NOTE: copy the part you need
  if (keep) // NOTE: taking the true branch
    return; // NOTE: on this path 'r.body' is neither freed nor kept
  free(r.body);
}

//===----------------------------------------------------------------------===//
// Must stay silent.
//===----------------------------------------------------------------------===//

// Freed on every path after the store (a dangling pointer: another bug).
void parse_freed(size_t n, int fast) {
  char *block = malloc(n);
  g_name = block + 4;
  if (fast) {
    free(block);
    return;
  }
  free(block);
}

// Kept on the other path: the base is stored, the block stays reachable.
static char *g_keep;
void parse_kept(size_t n, int keep) {
  char *block = malloc(n);
  g_name = block + 4;
  if (keep)
    g_keep = block;
  else
    free(block);
}

// Kept before the store: the block stays reachable through g_keep.
void parse_kept_first(size_t n, int keep) {
  char *block = malloc(n);
  g_keep = block;
  g_name = block + 4;
  if (!keep)
    g_keep = 0;
}

// The whole response freed, or handed on.
void drop_body(int fd) {
  struct resp r = fetch(fd);
  g_body = r.body + 16;
  resp_free(&r);
}
void free_body(int fd) {
  struct resp r = fetch(fd);
  g_body = r.body + 16;
  free(r.body);
}

// A copy of the part: nothing of the block is kept.
void copy_body(int fd) {
  struct resp r = fetch(fd);
  g_body = strndup(r.body + 16, 8);
  free(r.body);
}
