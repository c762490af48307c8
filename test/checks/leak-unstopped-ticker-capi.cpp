// RUN: %check_leak %s leak-unstopped-ticker -- -std=c++17 %glib_flags
// REQUIRES: libuv, libevent, glib
//
// leak-unstopped-ticker on the C timer APIs used from C++ classes: handles
// kept in members, started in one method, stopped (or not) in another.

#include <event2/event.h>
#include <glib.h>
#include <uv.h>

void work();

// ---- libuv ----
class Keepalive {
public:
  explicit Keepalive(uv_loop_t *loop) { uv_timer_init(loop, &timer_); } // NOTE: libuv timer created here
  void start() {
    uv_timer_start(&timer_, [](uv_timer_t *) { work(); }, 1000, 1000); // WARN: periodic libuv timer 'timer_' is started here but no function of 'Keepalive' stops or deletes it
                                                                       // NOTE@-1: uv_timer_stop() or uv_close() it
  }
  ~Keepalive() {}

private:
  uv_timer_t timer_;
};

class GoodKeepalive {
public:
  explicit GoodKeepalive(uv_loop_t *loop) { uv_timer_init(loop, &timer_); }
  void start() {
    uv_timer_start(&timer_, [](uv_timer_t *) { work(); }, 1000, 1000);
  }
  ~GoodKeepalive() { uv_close(reinterpret_cast<uv_handle_t *>(&timer_), nullptr); }

private:
  uv_timer_t timer_;
};

// ---- libevent ----
class Pinger {
public:
  void start(event_base *base) {
    ping_ = event_new(base, -1, EV_PERSIST, &Pinger::onPing, this); // NOTE: libevent timer created here
    timeval tv{5, 0};
    event_add(ping_, &tv); // WARN: periodic libevent timer 'ping_' is started here but no function of 'Pinger' stops
                           // NOTE@-1: event_del() or event_free() it
  }

private:
  static void onPing(evutil_socket_t, short, void *) { work(); }
  event *ping_ = nullptr;
};

class GoodPinger {
public:
  void start(event_base *base) {
    ping_ = event_new(base, -1, EV_PERSIST, &GoodPinger::onPing, this);
    timeval tv{5, 0};
    event_add(ping_, &tv);
  }
  void stop() { event_del(ping_); }
  ~GoodPinger() { event_free(ping_); }

private:
  static void onPing(evutil_socket_t, short, void *) { work(); }
  event *ping_ = nullptr;
};

// ---- GLib ----
class Blinker {
public:
  void start() {
    id_ = g_timeout_add(500, [](gpointer) -> gboolean { work(); return G_SOURCE_CONTINUE; }, this); // WARN: periodic GLib timeout source stored in 'id_' is never removed
                                                                                                      // NOTE@-1: keep the id and g_source_remove() it
                                                                                                      // NOTE@-2: the lambda always returns TRUE
  }

private:
  guint id_ = 0;
};

class GoodBlinker {
public:
  void start() {
    id_ = g_timeout_add(500, [](gpointer) -> gboolean { work(); return G_SOURCE_CONTINUE; }, this);
  }
  void stop() {
    if (id_)
      g_source_remove(id_);
  }

private:
  guint id_ = 0;
};

// The class's stop() is defined in another file: not judged.
class SplitBlinker {
public:
  void stop();
  void start() {
    id_ = g_timeout_add(500, [](gpointer) -> gboolean { return TRUE; }, this);
  }

private:
  guint id_ = 0;
};
