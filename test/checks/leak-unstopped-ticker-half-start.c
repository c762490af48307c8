// RUN: %check_leak --allow-extra-notes %s leak-unstopped-ticker -- -std=c11 %glib_flags
// REQUIRES: glib
//
// leak-unstopped-ticker: a start that fails half-way. A start/init function
// adds a periodic GLib source (its callback never returns FALSE), keeps the
// id in a struct member or a global, then a later step fails and the
// function returns the error without removing the source. The caller of a
// failed start does not call the stop function, so the source runs for
// the rest of the process. Silent when the error path removes it (directly
// or through a helper), when the source is added after the last step that
// can fail, or when every return after the add is the success value.

#include <glib.h>

void poll_status(void);
int open_device(void);
int load_config(void);

static gboolean tick(gpointer data) {
  (void)data;
  poll_status();
  return G_SOURCE_CONTINUE;
}

//===--- Reported -----------------------------------------------------------===//

struct monitor {
  guint poll_id;
  int fd;
};

int monitor_start(struct monitor *m) {
  m->poll_id = g_timeout_add(1000, tick, m); // WARN: GLib timeout source stored in 'poll_id' stays active when this function fails: the error return does not remove it and its callback 'tick' never returns FALSE NOTE: g_source_remove() it (and clear 'poll_id') before returning the error
  m->fd = open_device();
  if (m->fd < 0) // NOTE: taking the true branch
    return -1; // NOTE: returns here
  return 0;
}

void monitor_stop(struct monitor *m) { g_source_remove(m->poll_id); }

static guint g_refresh_id;

gboolean refresh_init(void) {
  g_refresh_id = g_timeout_add_seconds(5, tick, NULL); // WARN: GLib timeout source stored in 'g_refresh_id' stays active when this function fails
  if (load_config() != 0)
    return FALSE;
  return TRUE;
}

void refresh_shutdown(void) { g_source_remove(g_refresh_id); }

//===--- Silent -------------------------------------------------------------===//

struct poller {
  guint id;
  int fd;
};

void poller_stop(struct poller *p) {
  g_source_remove(p->id);
  p->id = 0;
}

// The error path removes it.
int poller_start(struct poller *p) {
  p->id = g_timeout_add(1000, tick, p);
  p->fd = open_device();
  if (p->fd < 0) {
    g_source_remove(p->id);
    p->id = 0;
    return -1;
  }
  return 0;
}

// Through a helper.
struct poller2 {
  guint id;
};
void poller2_stop(struct poller2 *p) {
  g_source_remove(p->id);
  p->id = 0;
}
int poller2_start(struct poller2 *p) {
  p->id = g_timeout_add(1000, tick, p);
  if (load_config() != 0) {
    poller2_stop(p);
    return -1;
  }
  return 0;
}

// Armed after the last step that can fail.
struct poller3 {
  guint id;
  int fd;
};
void poller3_stop(struct poller3 *p) { g_source_remove(p->id); }
int poller3_start(struct poller3 *p) {
  p->fd = open_device();
  if (p->fd < 0)
    return -1;
  p->id = g_timeout_add(1000, tick, p);
  return 0;
}

// No error return after the add.
struct poller4 {
  guint id;
};
void poller4_stop(struct poller4 *p) { g_source_remove(p->id); }
int poller4_start(struct poller4 *p) {
  p->id = g_timeout_add(1000, tick, p);
  if (load_config() != 0)
    g_warning("no config, using defaults");
  return 0;
}
