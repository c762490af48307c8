// Form 2 in C: a pointer into the middle of a heap block kept in long-lived
// storage while the base pointer is lost.
// RUN: %check_leak --prefixes=,DEF %s leak-retained-slice -- -std=c11
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.LargeBufferBytes: '100000'}}" %s leak-retained-slice -- -std=c11
// RUN: %check_leak --allow-errors --allow-extra-notes --prefixes=,DEF %s leak-retained-slice -- -std=c11 -DBROKEN

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *g_ext;
const char *g_names[16];
struct config {
  const char *host;
  int port;
};
static struct config g_cfg;

/* Straight line: the file is read into a block, a pointer into it kept. */
void read_ext(int fd, size_t n) {
  char *buf = malloc(n); /* NOTE: the block is allocated here; its base pointer 'buf' is never freed nor kept */
  if (!buf)
    return;
  if (read(fd, buf, n) <= 0)
    return;
  g_ext = buf + 4; /* WARN: pointer into the middle of a heap block stored in 'g_ext' keeps the whole block alive (size unknown) NOTE: copy the part you need into a block of its own */
}

/* C89 style: declared first, allocated later; &buf[off]; a member of a
   static struct. */
void parse_host(void) {
  char *buf;
  buf = calloc(1 << 16, 1); /* DEF-NOTE: the block is allocated here; its base pointer 'buf' is never freed nor kept */
  fgets(buf, 1 << 16, stdin);
  g_cfg.host = &buf[strspn(buf, " ")]; /* DEF-WARN: stored in 'g_cfg' keeps the whole block alive (65536 bytes) DEF-NOTE: copy the part */
}

/* An element of a global array, in a loop. */
void collect(int count, size_t n) {
  for (int i = 0; i < count && i < 16; ++i) {
    char *line = (char *)malloc(n); /* NOTE: the block is allocated here */
    snprintf(line, n, "key=%d", i);
    g_names[i] = strchr(line, '=') ? line + 4 : line + 0; /* WARN: pointer into the middle of a heap block stored in 'g_names' NOTE: copy the part */
  }
}

/* The base pointer dropped at once. */
void dropped(size_t n) {
  g_ext = (char *)malloc(n) + 8; /* WARN: stored in 'g_ext' keeps the whole block alive (size unknown) NOTE: the block is allocated here and its base pointer is dropped NOTE: copy the part */
}

/* A static local, through a macro. */
#define SKIP_HEADER(p) ((p) + 16)
const char *body_of(size_t n) {
  static const char *body;
  char *block = malloc(n); /* NOTE: the block is allocated here */
  body = SKIP_HEADER(block); /* WARN: stored in 'body' NOTE: copy the part */
  return body;
}

/* --- Must stay silent --- */

/* The base is freed (a dangling pointer, another bug) or kept. */
void freed(size_t n) {
  char *buf = malloc(n);
  g_ext = buf + 4;
  free(buf);
}
static char *g_base;
void kept(size_t n) {
  char *buf = malloc(n);
  g_base = buf;
  g_ext = buf + 4;
}
/* Handed to a function that may keep it. */
void remember(char *p);
void handed(size_t n) {
  char *buf = malloc(n);
  remember(buf);
  g_ext = buf + 4;
}
/* Returned: the caller owns it. */
char *returned(size_t n) {
  char *buf = malloc(n);
  g_ext = buf + 4;
  return buf;
}
/* Small blocks (below the threshold). */
void small(void) {
  char *buf = malloc(64);
  strcpy(buf, "name=value");
  g_ext = buf + 5;
}
/* The whole block (offset 0) or the base itself. */
void whole(size_t n) {
  char *buf = malloc(n);
  g_ext = buf + 0;
  g_ext = &buf[0];
}
/* A fixed array or a static buffer: nothing on the heap. */
void fixed(void) {
  static char storage[1 << 16];
  g_ext = storage + 4;
}
/* A parameter: we do not know where it comes from. */
void param(char *p) { g_ext = p + 4; }
/* A local pointer: never long-lived. */
size_t local(size_t n) {
  char *buf = malloc(n);
  const char *p = buf + 4;
  size_t len = strlen(p);
  free(buf);
  return len;
}
/* Reassigned: we cannot tell which block is lost. */
void reassigned(size_t n) {
  char *buf = malloc(n);
  buf = realloc(buf, 2 * n);
  g_ext = buf + 4;
}

#ifdef BROKEN
void broken(size_t n) {
  char *buf = malloc(n);
  g_ext = buf + undefined;
  g_ext = &buf[
#endif
